import fs from 'node:fs';
import { PdfObjectGraph } from './pdf-object-graph';
import { parseIndirectObject, PdfDict, PdfParser, type PdfValue } from './pdf-objects';

/** Longest object (or trailer) read in one piece: a catalog listing every embedded file fits easily. */
const MAX_OBJECT_BYTES = 64 * 1024 * 1024;
/** Bytes at the end of the file searched for `startxref`. */
const TAIL_BYTES = 1024;
/** A classic xref entry is exactly 20 bytes, its end of line included (ISO 32000-1 §7.5.4). */
const XREF_ENTRY_BYTES = 20;

interface XrefSubsection {
  first: number;
  count: number;
  /** File offset of the subsection's first entry. */
  at: number;
}

/**
 * Objects of a PDF file on disk, read where they lie instead of loading the file: the newest trailer,
 * the classic xref tables along /Prev (only their subsection headers are read; an entry is read when
 * its object is), and each object parsed from a window at its offset. For sealing a large file
 * (sealPdfFile); it reads what signatureUpdate needs. Files without classic xref tables are
 * refused (classicXref is false), not scanned.
 */
export class PdfFileReader extends PdfObjectGraph {
  readonly trailer: PdfDict;
  readonly startxref: number | undefined;
  readonly classicXref: boolean;
  /** Newest section first. */
  private readonly sections: XrefSubsection[][] = [];

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {
    super();
    const tailStart = Math.max(0, size - TAIL_BYTES);
    const tail = this.read(tailStart, size - tailStart);
    const at = tail.lastIndexOf('startxref', tail.length, 'latin1');
    const match = at < 0 ? null : /^\s*(\d+)/.exec(tail.toString('latin1', at + 9, at + 40));
    this.startxref = match ? Number(match[1]) : undefined;
    let trailer: PdfDict | undefined;
    try {
      if (this.startxref !== undefined) trailer = this.readXrefSections(this.startxref);
    } catch {
      trailer = undefined;
    }
    this.classicXref = trailer !== undefined;
    this.trailer = trailer ?? new PdfDict(new Map());
  }

  private read(position: number, length: number): Buffer {
    const buf = Buffer.alloc(Math.max(0, Math.min(length, this.size - position)));
    for (let done = 0; done < buf.length;) {
      const n = fs.readSync(this.fd, buf, done, buf.length - done, position + done);
      if (n === 0) throw new Error('the PDF file ended early');
      done += n;
    }
    return buf;
  }

  /** Parses something at `offset` from a window that grows until the parse no longer runs off its end. */
  private parseAt<T>(offset: number, parse: (buf: Buffer) => T): T {
    for (let window = 64 * 1024; ; window *= 4) {
      const buf = this.read(offset, window);
      try {
        return parse(buf);
      } catch (error) {
        if (offset + buf.length >= this.size || window >= MAX_OBJECT_BYTES) throw error;
      }
    }
  }

  private readXrefSections(offset: number): PdfDict {
    let newest: PdfDict | undefined;
    const seen = new Set<number>();
    for (let at: number | undefined = offset; at !== undefined;) {
      if (seen.has(at)) throw new Error('the xref /Prev chain loops');
      seen.add(at);
      const subsections: XrefSubsection[] = [];
      let pos: number = at;
      let parser = new PdfParser(this.read(pos, 256), 0);
      parser.expectToken('xref');
      for (;;) {
        const save = parser.pos;
        if (parser.token() === 'trailer') {
          pos += parser.pos;
          break;
        }
        parser.pos = save;
        const first = parser.integer();
        const count = parser.integer();
        parser.skip();
        const entries = pos + parser.pos;
        subsections.push({ first, count, at: entries });
        pos = entries + count * XREF_ENTRY_BYTES;
        parser = new PdfParser(this.read(pos, 256), 0);
      }
      const trailer: PdfValue = this.parseAt(pos, (buf) => new PdfParser(buf, 0).value());
      if (!(trailer instanceof PdfDict)) throw new Error('the trailer is not a dictionary');
      this.sections.push(subsections);
      newest ??= trailer;
      const prev: PdfValue | undefined = trailer.get('Prev');
      at = typeof prev === 'number' ? prev : undefined;
    }
    if (!newest) throw new Error('no xref table');
    return newest;
  }

  /** The object's offset from the newest section that lists it; null when free or absent. */
  private offsetOf(num: number): number | null {
    for (const section of this.sections) {
      const sub = section.find((s) => num >= s.first && num < s.first + s.count);
      if (!sub) continue;
      const entry = this.read(sub.at + (num - sub.first) * XREF_ENTRY_BYTES, XREF_ENTRY_BYTES).toString('latin1');
      const match = /^(\d{10}) (\d{5}) ([nf])/.exec(entry);
      if (!match) throw new Error(`malformed xref entry for object ${num}`);
      return match[3] === 'n' ? Number(match[1]) : null;
    }
    return null;
  }

  protected load(num: number): PdfValue {
    const offset = this.offsetOf(num);
    return offset === null ? null : this.parseAt(offset, (buf) => parseIndirectObject(buf, 0, num));
  }
}
