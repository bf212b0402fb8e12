// Auditor dossier (21 CFR 11.10(b), EU Annex 11 §8): a selection of records in one PDF/A-3b file,
// each reproduced as in its controlled record PDF, with a cover, contents with the page each record
// starts on, a signature index, a manifest of embedded record hashes, and the records' canonical
// JSON and signatures embedded with a manifest.json of SHA-256 hashes.
import fs from 'node:fs';
import { timeFormatter } from './format';
import {
  Flow,
  Tags,
  attachmentEntry,
  createDocument,
  embed,
  finish,
  manifestAttachment,
  sha256,
  toBuffer,
  writeFinishedBookmarks,
  type AttachmentEntry,
  type PdfSink,
} from './layout';
import type { SectionContext } from './sections/context';
import { renderCover } from './sections/cover';
import { renderRecordManifest, renderSignatureIndex, type IndexedSignature, type RecordManifestRow } from './sections/dossier-index';
import { checkpointAttachments, recordAttachments, renderRecord } from './sections/record';
import { renderToc } from './sections/toc';
import type { DossierPdfInput, DossierRecordSource, DossierRecordSummary, RecordSectionInput } from './types';

export type { DossierPdfInput, DossierRecordSource, DossierRecordSummary } from './types';

/** Lets timers and I/O run between records, so a long render does not starve the event loop. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const summariseRecord = (r: RecordSectionInput): DossierRecordSummary => ({ record: r.record, labels: r.labels });

const sourceOf = (records: DossierPdfInput['records']): DossierRecordSource =>
  Array.isArray(records) ? { summaries: records.map(summariseRecord), load: (i) => records[i]! } : records;

/** Renders a dossier into memory; `onProgress(done, total)` is called after each record is laid out. */
export async function renderDossierPdf(input: DossierPdfInput, onProgress?: (done: number, total: number) => void): Promise<Buffer> {
  const { doc } = await layOutDossier(input, undefined, onProgress);
  return toBuffer(doc);
}

/**
 * Renders a dossier straight into a file (created or truncated), record by record: the bytes of
 * each finished page go to the file as they are made, and each record's section is released once
 * drawn, so memory stays flat however many records there are. Resolves with the size and pages.
 */
export async function renderDossierPdfToFile(
  input: DossierPdfInput,
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ bytes: number; pages: number }> {
  const fd = fs.openSync(file, 'w');
  try {
    const sink: PdfSink = { write: (bytes) => writeFully(fd, bytes) };
    const { doc, pages } = await layOutDossier(input, sink, onProgress);
    const bytes = await finish(doc);
    fs.fsyncSync(fd);
    return { bytes, pages };
  } finally {
    fs.closeSync(fd);
  }
}

function writeFully(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

async function layOutDossier(
  input: DossierPdfInput,
  sink: PdfSink | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ doc: PDFKit.PDFDocument; pages: number }> {
  const time = timeFormatter(input.timeZone);
  const source = sourceOf(input.records);
  const summaries = source.summaries;
  const total = summaries.length;
  const doc = createDocument(
    {
      title: `Dossier: ${input.title}`,
      author: input.organisation,
      subject: `Auditor dossier ${input.dossierId}: ${total} record${total === 1 ? '' : 's'} (${input.selectionDescription})`,
      keywords: `dossier, ${input.dossierId}, ${summaries.map((r) => r.record.number).join(', ')}`,
      generatedAt: input.generatedAt,
    },
    sink,
  );
  const tags = new Tags(doc);
  const flow = new Flow(doc, tags, `Dossier ${input.dossierId} · ${input.organisation} · Generated ${time.full(input.generatedAt)}`);
  const section = () => tags.element(tags.root, 'Sect');
  const context = (parent: PDFKit.PDFStructureElement): SectionContext => ({ flow, time, parent, outline: doc.outline });

  flow.newPage();
  const cover = section();
  // The cover's counts and the contents' page numbers are written in at the end.
  const counts = renderCover(context(cover), input, summaries);

  flow.newPage();
  flow.runningHead = `${input.title} · Contents (continued)`;
  const tocSection = section();
  const toc = renderToc(context(tocSection), summaries);

  // Each record's files are embedded as soon as it is drawn; what the closing sections need of it
  // (signatures, hashes, manifest entries) is kept, the record itself is not.
  const embedded = new Map<string, AttachmentEntry>();
  const embedOnce = (file: Parameters<typeof embed>[1]) => {
    const entry = attachmentEntry(file);
    const earlier = embedded.get(file.name);
    if (earlier && earlier.sha256 !== entry.sha256) throw new Error(`Two different embedded files are named ${file.name}`);
    if (!earlier) {
      embed(doc, file, input.generatedAt, { release: true });
      embedded.set(file.name, entry);
    }
  };
  const signatures: IndexedSignature[] = [];
  const recordPages: number[] = [];
  const manifestRows: RecordManifestRow[] = [];
  let auditEvents = 0;
  for (let i = 0; i < total; i++) {
    const record = await source.load(i);
    const expected = summaries[i]!.record;
    if (record.record.id !== expected.id || record.record.version !== expected.version || record.record.status !== expected.status) {
      throw new Error(
        `Dossier record ${i + 1} changed while the dossier was rendered: listed as ${expected.number} v${expected.version} (${expected.status}), ` +
          `now ${record.record.number} v${record.record.version} (${record.record.status}); request the dossier again`,
      );
    }
    auditEvents += record.audit.length;
    flow.runningHead = null;
    flow.newPage();
    flow.runningHead = `${input.title} · ${record.record.number} v${record.record.version} (continued)`;
    const parent = section();
    const rendered = renderRecord(context(parent), record, input.organisation);
    parent.end();
    recordPages.push(rendered.firstPage);
    for (const s of record.signatures) {
      signatures.push({
        printedName: s.printedName,
        meaning: s.meaning,
        signedAt: s.signedAt,
        recordNumber: record.record.number,
        page: rendered.signaturePages.get(s.id) ?? rendered.firstPage,
      });
    }
    manifestRows.push({
      number: record.record.number,
      version: record.record.version,
      jsonSha256: sha256(Buffer.from(record.canonicalJson, 'utf8')),
      contentHash: record.record.contentHash,
    });
    recordAttachments(record).forEach(embedOnce);
    // The bookmarks of the records before this one are complete: written now, not kept to the end.
    writeFinishedBookmarks(doc.outline);
    onProgress?.(i + 1, total);
    await yieldToEventLoop();
  }
  checkpointAttachments(input.auditCheckpoint).forEach(embedOnce);

  flow.runningHead = null;
  flow.newPage();
  flow.runningHead = `${input.title} · Signature index and manifest (continued)`;
  const indexSection = section();
  const signatureIndexPage = renderSignatureIndex(context(indexSection), signatures);
  const manifestPage = renderRecordManifest(context(indexSection), manifestRows, embedded.size + 1);
  indexSection.end();

  toc.records.forEach((cell, i) => cell.fill(String(recordPages[i]! + 1)));
  toc.signatureIndex.fill(String(signatureIndexPage + 1));
  toc.manifest.fill(String(manifestPage + 1));
  tocSection.end();
  counts.signatures.fill(String(signatures.length));
  counts.auditEvents.fill(String(auditEvents));
  cover.end();

  embed(doc, manifestAttachment([...embedded.values()], { dossier: input.dossierId, generatedAt: input.generatedAt.toISOString() }), input.generatedAt);
  const pages = flow.close();
  return { doc, pages };
}
