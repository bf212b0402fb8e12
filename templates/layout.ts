// Page model shared by the record and dossier templates: a PDF/A-3b document with embedded fonts,
// a cursor that moves down the page and opens a new page when the next block does not fit, the
// logical structure (tagged PDF), paragraphs and headings, footers, and associated files.
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { FONTS, fontId, registerFonts } from './fonts';
import { xmpSafe } from './format';
import { drawLine, lineHeight, wrapText, type Line, type TextStyle } from './text';
import { LateForms } from './late-forms';
import { renderYield } from './render-yield';

/** A4 portrait; content runs from `top` down to `height - bottom`, the footer sits below it. */
export const PAGE = { width: 595.28, height: 841.89, left: 48, right: 48, top: 54, bottom: 66 } as const;
const MARGINS = { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right };

export const STYLE = {
  title: { role: 'bold', size: 17 },
  h1: { role: 'bold', size: 13 },
  h2: { role: 'bold', size: 10.5 },
  body: { role: 'regular', size: 9 },
  small: { role: 'regular', size: 7.5, color: '#444444' },
  cell: { role: 'regular', size: 7.5 },
  cellBold: { role: 'bold', size: 7.5 },
  mono: { role: 'mono', size: 7.5 },
} satisfies Record<string, TextStyle>;

export interface DocumentMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  generatedAt: Date;
}

/**
 * A PDF/A-3b, tagged PDF 1.7 whose only fonts are the embedded ones of fonts.ts. Its bytes go to
 * `sink` as they are written (a file, for a dossier), else they are kept for toBuffer(). Pages are
 * not buffered: each is written when the next one is opened (see Flow), so nothing is ever drawn
 * on a page after it is left; text known only later goes into late forms (late-forms.ts).
 */
export function createDocument(meta: DocumentMeta, sink?: PdfSink): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    tagged: true,
    displayTitle: true,
    lang: 'en',
    bufferPages: false,
    autoFirstPage: false,
    size: 'A4',
    margins: MARGINS,
    font: fontId(FONTS.regular),
    info: {
      Title: xmpSafe(meta.title),
      Author: xmpSafe(meta.author),
      Subject: xmpSafe(meta.subject),
      Keywords: xmpSafe(meta.keywords),
      Creator: 'Attestflow',
      Producer: 'Attestflow (PDFKit)',
      CreationDate: meta.generatedAt,
    },
  });
  compactOffsets(doc);
  collect(doc, sink);
  registerFonts(doc);
  return doc;
}

/** What of pdfkit's document holds and fills its table of object offsets (the cross-reference table). */
interface OffsetInternals {
  _offsets: { length: number; push(value: null): unknown; [Symbol.iterator](): Iterator<number | null> };
  _waiting: number;
  _ended: boolean;
  _finalize(): void;
  _refEnd(ref: { id: number; offset: number }): void;
}

/** Offsets per chunk of the offset table. */
const OFFSET_CHUNK = 1 << 16;

/**
 * The byte offset of every object, kept by pdfkit to the end for the cross-reference table, in an
 * array of numbers and nulls (8 bytes an object, more while it grows): a long dossier has over a
 * million objects. Kept here in chunks of 32-bit integers instead, and written out the same way.
 */
class OffsetTable {
  private readonly chunks: Uint32Array[] = [];
  length = 0;

  push(): number {
    if (this.length % OFFSET_CHUNK === 0) this.chunks.push(new Uint32Array(OFFSET_CHUNK));
    return (this.length += 1);
  }

  set(index: number, offset: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff) throw new RangeError(`PDF object offset ${offset} does not fit the offset table`);
    this.chunks[Math.floor(index / OFFSET_CHUNK)]![index % OFFSET_CHUNK] = offset;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield this.chunks[Math.floor(i / OFFSET_CHUNK)]![i % OFFSET_CHUNK]!;
  }
}

function compactOffsets(doc: PDFKit.PDFDocument): void {
  const internals = doc as unknown as OffsetInternals;
  const table = new OffsetTable();
  // The objects pdfkit made in its constructor, with the offsets of those already written.
  for (const offset of internals._offsets) {
    const index = table.push() - 1;
    if (offset !== null) table.set(index, offset);
  }
  internals._offsets = table;
  // pdfkit's own _refEnd, with the table's setter for its index assignment.
  internals._refEnd = (ref) => {
    table.set(ref.id - 1, ref.offset);
    if (--internals._waiting === 0 && internals._ended) {
      internals._finalize();
      internals._ended = false;
    }
  };
}

/** The logical structure: a Document element with sections, headings, paragraphs and tables. */
export class Tags {
  readonly root: PDFKit.PDFStructureElement;

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  element(parent: PDFKit.PDFStructureElement, type: string): PDFKit.PDFStructureElement {
    const el = this.doc.struct(type);
    parent.add(el);
    return el;
  }

  /** Draws content as a marked-content sequence belonging to `el`. */
  mark(el: PDFKit.PDFStructureElement, type: string, draw: () => void): void {
    const content = this.doc.markStructureContent(type);
    draw();
    this.doc.endMarkedContent();
    el.add(content);
  }

  /** Draws page furniture (footers, running heads, rules) outside the logical structure. */
  artifact(draw: () => void): void {
    this.doc.markContent('Artifact', { type: 'Pagination' });
    draw();
    this.doc.endMarkedContent();
  }
}

/**
 * The writing position: always on the last page while laying out. Each page is finished (its
 * footer placed, then written out by pdfkit) when the next one is opened, and the last one by
 * close(). Each page's footer is a late form, written by close() once N of "Page n of N" is known.
 */
export class Flow {
  y: number = PAGE.top;
  readonly left = PAGE.left;
  readonly width = PAGE.width - PAGE.left - PAGE.right;
  readonly top = PAGE.top;
  readonly bottom = PAGE.height - PAGE.bottom;
  /** Printed small at the top of every page opened from now on (e.g. "CC-0001 (continued)"). */
  runningHead: string | null = null;
  /** Forms placed on a page and written later (page numbers, counts). */
  readonly late: LateForms;
  /** Pages opened so far. */
  private pages = 0;
  /** The late form of each page's footer, by page index (object numbers only). */
  private readonly footerForms: number[] = [];

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly tags: Tags,
    /** The footer's left part, the same on every page (the right part is "Page n of N"). */
    private readonly footer: string,
  ) {
    this.late = new LateForms(doc, PAGE);
  }

  /** Zero-based index of the page being written. */
  get page(): number {
    return this.pages - 1;
  }

  /** Height available on an empty page. */
  get capacity(): number {
    return this.bottom - this.top;
  }

  newPage(): void {
    renderYield();
    if (this.pages > 0) this.finishPage();
    const previous = this.pages > 0 ? (this.doc.page as unknown as PageInternals) : undefined;
    // Without buffered pages, pdfkit writes the previous page (dictionary, resources, content) here.
    this.doc.addPage({ size: 'A4', margins: MARGINS });
    // Written: its dictionary is needed from now on only for its number (/Kids, /Pg, /Dest).
    if (previous) (previous.dictionary as unknown as { data: unknown }).data = null;
    this.pages += 1;
    this.y = this.top;
    const head = this.runningHead;
    if (head) {
      this.tags.artifact(() => {
        const lines = wrapText(this.doc, head, STYLE.small, this.width);
        if (lines[0]) drawLine(this.doc, lines[0], this.left, this.top - 22, STYLE.small);
      });
    }
  }

  /**
   * Finishes the last page and writes every page's footer ("left text … Page n of N") into its
   * late form; run once, after layout, before the document is ended. Returns the number of pages.
   */
  close(): number {
    if (this.pages > 0) this.finishPage();
    this.footerForms.forEach((form, i) => this.late.write(form, () => drawFooter(this.doc, this.footer, pageNumberText(i, this.pages))));
    this.footerForms.length = 0;
    this.late.assertAllWritten();
    return this.pages;
  }

  /** The page being left: a late form for its footer, then its structure parents written out. */
  private finishPage(): void {
    this.tags.artifact(() => this.footerForms.push(this.late.place()));
    finishPage(this.doc, this.doc.page);
  }

  fits(height: number): boolean {
    return this.y + height <= this.bottom + 0.01;
  }

  /** Opens a new page unless `height` still fits on this one (or this page is still empty). */
  ensure(height: number): void {
    if (!this.fits(height) && this.y > this.top) this.newPage();
  }

  /** Draws lines one below the other, continuing on new pages; each page's share is one marked sequence of `el`. */
  drawLines(el: PDFKit.PDFStructureElement, type: string, lines: Line[], x: number, style: TextStyle, width: number, align: 'left' | 'right' = 'left'): void {
    const step = lineHeight(style.size);
    let i = 0;
    while (i < lines.length) {
      if (!this.fits(step)) this.newPage();
      this.tags.mark(el, type, () => {
        while (i < lines.length && this.fits(step)) {
          drawLine(this.doc, lines[i]!, x, this.y, style, width, align);
          this.y += step;
          i += 1;
        }
      });
    }
  }

  /** A paragraph of wrapped text; kept on one page when it fits on one, else split line by line. */
  paragraph(
    parent: PDFKit.PDFStructureElement,
    text: string,
    style: TextStyle,
    options: { tag?: string; indent?: number; after?: number; keep?: boolean } = {},
  ): void {
    const tag = options.tag ?? 'P';
    const indent = options.indent ?? 0;
    const lines = wrapText(this.doc, text, style, this.width - indent);
    const height = lines.length * lineHeight(style.size);
    this.ensure(options.keep && height <= this.capacity ? height : Math.min(height, 2 * lineHeight(style.size)));
    const el = this.tags.element(parent, tag);
    this.drawLines(el, tag, lines, this.left + indent, style, this.width - indent);
    el.end();
    this.y += options.after ?? 4;
  }

  /** A heading kept with at least `keepWith` points of what follows; optionally a bookmark. */
  heading(
    parent: PDFKit.PDFStructureElement,
    text: string,
    level: 1 | 2,
    options: { keepWith?: number; bookmark?: PDFKit.PDFOutline } = {},
  ): PDFKit.PDFOutline | undefined {
    const style = level === 1 ? STYLE.h1 : STYLE.h2;
    const lines = wrapText(this.doc, text, style, this.width);
    const height = lines.length * lineHeight(style.size);
    this.y += level === 1 ? 10 : 6;
    this.ensure(height + (options.keepWith ?? 40));
    const item = options.bookmark?.addItem(text);
    const tag = level === 1 ? 'H1' : 'H2';
    const el = this.tags.element(parent, tag);
    this.drawLines(el, tag, lines, this.left, style, this.width);
    el.end();
    this.y += 4;
    return item;
  }

  /** A thin horizontal rule at the current position (page furniture). */
  rule(color = '#999999', width = 0.5): void {
    const y = this.y;
    this.tags.artifact(() => {
      this.doc
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .lineWidth(width)
        .strokeColor(color)
        .stroke();
    });
  }
}

interface PageInternals {
  dictionary: { data: { StructParents?: number } };
}

interface DocumentInternals {
  ref(data?: unknown): { end(): void; data: unknown };
  getStructParentTree(): { get(key: number): unknown; add(key: number, value: unknown): void };
  _font?: { layoutCache?: Record<string, unknown> };
  _fontFamilies?: Record<string, { layoutCache?: Record<string, unknown> }>;
}

/** Where the footer's first line sits. */
const FOOTER_Y = PAGE.height - PAGE.bottom + 20;

const pageNumberText = (index: number, count: number): string => `Page ${index + 1} of ${count}`;

/** A rule, then "left text … Page n of N" (the left text wrapped to the room left, two lines at most). */
function drawFooter(doc: PDFKit.PDFDocument, left: string, pageText: string): void {
  const width = PAGE.width - PAGE.left - PAGE.right;
  doc
    .moveTo(PAGE.left, FOOTER_Y - 6)
    .lineTo(PAGE.left + width, FOOTER_Y - 6)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  const right = wrapText(doc, pageText, STYLE.small, width)[0]!;
  const leftLines = wrapText(doc, left, STYLE.small, width - right.width - 16);
  leftLines.slice(0, 2).forEach((line, n) => drawLine(doc, line, PAGE.left, FOOTER_Y + n * lineHeight(STYLE.small.size), STYLE.small));
  drawLine(doc, right, PAGE.left, FOOTER_Y, STYLE.small, width, 'right');
}

/**
 * A page the flow has left (pdfkit writes it when the next page is added): its entry of the
 * structure parent tree (one reference per marked sequence) is written out now, as an indirect
 * array, so that the structure elements it names can be released.
 */
function finishPage(doc: PDFKit.PDFDocument, page: PDFKit.PDFPage): void {
  const internals = doc as unknown as DocumentInternals;
  const key = (page as unknown as PageInternals).dictionary.data.StructParents;
  if (key !== undefined) {
    const tree = internals.getStructParentTree();
    const parents = tree.get(key);
    if (Array.isArray(parents)) {
      const array = internals.ref(parents);
      array.end();
      array.data = null;
      tree.add(key, array);
    }
  }
  if ((pagesFinished.get(doc) ?? 0) % 4 === 3) boundLayoutCaches(internals);
  pagesFinished.set(doc, (pagesFinished.get(doc) ?? 0) + 1);
}

const pagesFinished = new WeakMap<PDFKit.PDFDocument, number>();

/** Distinct words (hashes, ids, times) kept in pdfkit's per-font layout cache before it starts over. */
const LAYOUT_CACHE_WORDS = 1000;

/**
 * pdfkit caches the shaped glyphs of every distinct word it has drawn, for the document's life: a
 * long dossier's hashes and ids would fill memory. Starting a cache over costs only re-shaping.
 */
function boundLayoutCaches(doc: DocumentInternals): void {
  for (const font of Object.values(doc._fontFamilies ?? {})) {
    const cache = font.layoutCache;
    if (cache && Object.keys(cache).length > LAYOUT_CACHE_WORDS) font.layoutCache = Object.create(null) as Record<string, unknown>;
  }
}

interface OutlineInternals {
  dictionary: { data: unknown };
  outlineData: Record<string, unknown>;
  children: OutlineInternals[];
  endOutline(): void;
}

const bookmarksWritten = new WeakMap<object, number>();

/**
 * Writes out the top-level bookmarks before the last one, each with its sub-bookmarks, instead of
 * keeping them (title, destination, children) to the document's end: none gets children once a
 * later one is added. pdfkit links siblings (/Prev, /Next) when the outline is ended, so each is
 * linked here and left in the list as a stand-in that keeps only its object number.
 */
export function writeFinishedBookmarks(outline: PDFKit.PDFOutline): void {
  const items = (outline as unknown as OutlineInternals).children;
  let i = bookmarksWritten.get(outline) ?? 0;
  for (; i < items.length - 1; i++) {
    const item = items[i]!;
    if (i > 0) item.outlineData.Prev = items[i - 1]!.dictionary;
    item.outlineData.Next = items[i + 1]!.dictionary;
    item.endOutline();
    item.dictionary.data = null;
    items[i] = { dictionary: item.dictionary, outlineData: {}, children: [], endOutline: () => undefined };
  }
  bookmarksWritten.set(outline, i);
}

export type AttachmentRelationship = 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';

export interface Attachment {
  name: string;
  data: Buffer;
  type: string;
  relationship: AttachmentRelationship;
  description: string;
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Embeds a file as a PDF/A-3 associated file (catalog /AF, /AFRelationship, MIME subtype, dates). */
export function embed(doc: PDFKit.PDFDocument, file: Attachment, at: Date, { release = false }: { release?: boolean } = {}): void {
  const options: PDFKit.Mixins.PDFAttachmentOptions & { relationship: AttachmentRelationship } = {
    name: file.name,
    type: file.type,
    description: file.description,
    creationDate: at,
    modifiedDate: at,
    relationship: file.relationship,
  };
  const spec = doc.file(file.data, options) as unknown as { data: unknown };
  if (release) {
    // Written already; the catalog's /AF and the name tree need only its number. pdfkit's registry
    // of embedded files (for embedding one file twice) is not needed by a caller that embeds a name once.
    spec.data = null;
    const registry = (doc as unknown as { _fileRegistry?: Record<string, unknown> })._fileRegistry;
    if (registry) delete registry[file.name];
  }
}

/** An embedded file as manifest.json lists it. */
export interface AttachmentEntry {
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export const attachmentEntry = (file: Attachment): AttachmentEntry => ({
  name: file.name,
  mediaType: file.type,
  size: file.data.length,
  sha256: sha256(file.data),
});

/** `manifest.json`: every other attachment's name, media type, size and SHA-256. */
export function manifestAttachment(files: (Attachment | AttachmentEntry)[], about: Record<string, string>): Attachment {
  const manifest = { ...about, files: files.map((f) => ('data' in f ? attachmentEntry(f) : f)) };
  return {
    name: 'manifest.json',
    data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'),
    type: 'application/json',
    relationship: 'Supplement',
    description: 'SHA-256 of every embedded file',
  };
}

/** Where a document's bytes go as pdfkit writes them. */
export interface PdfSink {
  /** Takes (writes or copies) the bytes before it returns: their buffer is reused afterwards. */
  write(bytes: Buffer): void;
}

interface Collector {
  sink: PdfSink;
  chunks: Buffer[];
  /** Lines written as text and not yet copied into `staging`. */
  text: string[];
  textLength: number;
  /** Bytes on their way to the sink, reused from one batch to the next. */
  staging: Buffer;
  staged: number;
  bytes: number;
}

/** What of pdfkit's document collect() replaces: its one writer of output bytes, and its byte count. */
interface WriterInternals {
  _write(data: string | Uint8Array): void;
  _offset: number;
}

const collectors = new WeakMap<PDFKit.PDFDocument, Collector>();

/** Bytes handed to the sink at a time; lines of text are joined up to this length too. */
const BATCH_BYTES = 1 << 20;

/**
 * Collects the document's output from the start. pdfkit writes each line of each object (and each
 * line of the cross-reference table: one per object) as a Uint8Array of its own, pushed through its
 * stream: millions of tiny buffers for a long dossier, each with memory of its own outside the heap,
 * freed only when the garbage collector gets to them. Its writer is replaced here by one that keeps
 * the lines as text and copies them (latin1, as pdfkit's own conversion: the low byte of each
 * character) into one buffer that is reused for every batch handed to the sink; streams' bytes are
 * copied in too, or passed straight on when larger than a batch. pdfkit's byte count (its objects'
 * offsets) is kept as before. Without a sink, the batches are kept (copied).
 */
function collect(doc: PDFKit.PDFDocument, sink?: PdfSink): void {
  const collector: Collector = {
    sink: sink ?? { write: (bytes) => collector.chunks.push(Buffer.from(bytes)) },
    chunks: [],
    text: [],
    textLength: 0,
    staging: Buffer.allocUnsafe(BATCH_BYTES),
    staged: 0,
    bytes: 0,
  };
  collectors.set(doc, collector);
  // What the constructor wrote (the header) is read first, so that the order stays the same.
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) addBytes(collector, chunk);
  const writer = doc as unknown as WriterInternals;
  writer._write = (data) => {
    if (data instanceof Uint8Array) {
      addBytes(collector, data);
      writer._offset += data.length;
    } else {
      const line = `${data}\n`;
      collector.text.push(line);
      collector.textLength += line.length;
      writer._offset += line.length;
      if (collector.textLength >= BATCH_BYTES) stageText(collector);
    }
  };
  // Nothing else is pushed but the end of the document: reading on lets the stream end.
  doc.on('data', (chunk: Buffer) => addBytes(collector, chunk));
}

/** Copies the pending lines into the staging buffer, handing it to the sink whenever it fills. */
function stageText(collector: Collector): void {
  if (collector.text.length === 0) return;
  const text = collector.text.length === 1 ? collector.text[0]! : collector.text.join('');
  collector.text = [];
  collector.textLength = 0;
  for (let from = 0; from < text.length;) {
    if (collector.staged === collector.staging.length) flushStaging(collector);
    const n = Math.min(text.length - from, collector.staging.length - collector.staged);
    collector.staging.write(text.slice(from, from + n), collector.staged, n, 'latin1');
    collector.staged += n;
    from += n;
  }
}

function addBytes(collector: Collector, bytes: Uint8Array): void {
  stageText(collector);
  if (collector.staged + bytes.length <= collector.staging.length) {
    collector.staging.set(bytes, collector.staged);
    collector.staged += bytes.length;
    return;
  }
  flushStaging(collector);
  if (bytes.length >= collector.staging.length) {
    collector.bytes += bytes.length;
    collector.sink.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } else {
    collector.staging.set(bytes, 0);
    collector.staged = bytes.length;
  }
}

function flushStaging(collector: Collector): void {
  if (collector.staged === 0) return;
  const bytes = collector.staging.subarray(0, collector.staged);
  collector.staged = 0;
  collector.bytes += bytes.length;
  collector.sink.write(bytes);
}

function flush(collector: Collector): void {
  stageText(collector);
  flushStaging(collector);
}

/** Finishes the document; resolves with the number of bytes written to its sink. */
export function finish(doc: PDFKit.PDFDocument): Promise<number> {
  const collector = collectors.get(doc);
  if (!collector) throw new Error('finish() needs a document made by createDocument()');
  return new Promise((resolve, reject) => {
    doc.on('end', () => {
      try {
        flush(collector);
        resolve(collector.bytes);
      } catch (error) {
        reject(error as Error);
      }
    });
    doc.on('error', reject);
    doc.end();
  });
}

/** Finishes a document made without a sink and returns its bytes. */
export async function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const collector = collectors.get(doc);
  if (!collector) throw new Error('toBuffer() needs a document made by createDocument()');
  await finish(doc);
  return Buffer.concat(collector.chunks);
}
