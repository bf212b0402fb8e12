import { inflateSync } from 'node:zlib';
import { PdfObjectGraph } from './pdf-object-graph';
import { parseIndirectObject, PdfDict, PdfParser, PdfStream, type PdfValue } from './pdf-objects';

/** Decoded streams larger than this are refused (a guard against compression bombs). */
const MAX_DECODED_BYTES = 256 * 1024 * 1024;

function startxrefOffset(buf: Buffer): number | undefined {
  const at = buf.lastIndexOf('startxref', buf.length, 'latin1');
  if (at < 0) return undefined;
  const match = /^\s*(\d+)/.exec(buf.toString('latin1', at + 9, at + 40));
  return match ? Number(match[1]) : undefined;
}

/** A parsed PDF: its newest trailer and lazy access to its objects, newest revision first. */
export class PdfFile extends PdfObjectGraph {
  readonly trailer: PdfDict;
  /** The offset in the last startxref, if any. */
  readonly startxref: number | undefined;
  /** True when the objects were found through classic xref tables (not by the scanning fallback). */
  readonly classicXref: boolean;
  /** Object number → file offset; null for an object freed by a newer revision. */
  private readonly offsets = new Map<number, number | null>();

  constructor(readonly buf: Buffer) {
    super();
    const startxref = startxrefOffset(buf);
    let trailer: PdfDict | undefined;
    try {
      if (startxref !== undefined) trailer = this.readXrefTables(startxref);
    } catch {
      trailer = undefined;
    }
    this.startxref = startxref;
    this.classicXref = trailer !== undefined;
    if (!trailer) {
      this.offsets.clear();
      trailer = this.scanObjects(startxref);
    }
    this.trailer = trailer;
  }

  /** Classic xref tables from `offset` back through /Prev; the newest entry of an object wins. */
  private readXrefTables(offset: number): PdfDict {
    let newest: PdfDict | undefined;
    const seen = new Set<number>();
    for (let at: number | undefined = offset; at !== undefined;) {
      if (seen.has(at)) throw new Error('the xref /Prev chain loops');
      seen.add(at);
      const parser: PdfParser = new PdfParser(this.buf, at);
      parser.expectToken('xref');
      for (;;) {
        const save = parser.pos;
        if (parser.token() === 'trailer') break;
        parser.pos = save;
        const first = parser.integer();
        const count = parser.integer();
        for (let i = 0; i < count; i++) {
          const entryOffset = parser.integer();
          parser.integer();
          const kind = parser.token();
          if (kind !== 'n' && kind !== 'f') throw new Error(`malformed xref entry at offset ${parser.pos}`);
          if (!this.offsets.has(first + i)) this.offsets.set(first + i, kind === 'n' ? entryOffset : null);
        }
      }
      const trailer: PdfValue = parser.value();
      if (!(trailer instanceof PdfDict)) throw new Error('the trailer is not a dictionary');
      newest ??= trailer;
      const prev: PdfValue | undefined = trailer.get('Prev');
      at = typeof prev === 'number' ? prev : undefined;
    }
    if (!newest) throw new Error('no xref table');
    return newest;
  }

  /** Fallback (e.g. cross-reference streams): every "N G obj" header, the last definition wins. */
  private scanObjects(startxref: number | undefined): PdfDict {
    const text = this.buf.toString('latin1');
    for (const match of text.matchAll(/(?<![0-9])(\d+)[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]+obj(?![^\0\t\n\f\r ()<>[\]{}/%])/g)) {
      this.offsets.set(Number(match[1]), match.index);
    }
    const trailerAt = text.lastIndexOf('trailer');
    if (trailerAt >= 0) {
      const parser = new PdfParser(this.buf, trailerAt + 7);
      const trailer = parser.value();
      if (trailer instanceof PdfDict) return trailer;
    }
    const xrefStream = startxref === undefined ? undefined : parseIndirectObject(this.buf, startxref);
    if (xrefStream instanceof PdfStream && this.name(xrefStream.dict.get('Type')) === 'XRef') return xrefStream.dict;
    throw new Error('no PDF trailer found');
  }

  protected load(num: number): PdfValue {
    const offset = this.offsets.get(num);
    return offset === undefined || offset === null ? null : parseIndirectObject(this.buf, offset, num);
  }

  /** The stream's bytes as stored: /Length when it ends at "endstream", else up to "endstream". */
  rawStream(stream: PdfStream): Buffer {
    const length = this.resolve(stream.dict.get('Length'));
    if (typeof length === 'number' && Number.isInteger(length) && length >= 0) {
      const end = stream.dataStart + length;
      if (end <= this.buf.length && /^[\0\t\n\f\r ]*endstream/.test(this.buf.toString('latin1', end, end + 32))) {
        return this.buf.subarray(stream.dataStart, end);
      }
    }
    let end = this.buf.indexOf('endstream', stream.dataStart, 'latin1');
    if (end < 0) throw new Error('unterminated stream');
    if (this.buf[end - 1] === 0x0a) end--;
    if (this.buf[end - 1] === 0x0d) end--;
    return this.buf.subarray(stream.dataStart, end);
  }

  /** The stream's decoded bytes; only FlateDecode without predictors is supported. */
  streamBytes(stream: PdfStream): Buffer {
    const filter = this.resolve(stream.dict.get('Filter'));
    const filters = filter === undefined || filter === null ? [] : Array.isArray(filter) ? filter : [filter];
    const params = this.resolve(stream.dict.get('DecodeParms'));
    let data = this.rawStream(stream);
    filters.forEach((f, i) => {
      const name = this.name(f);
      if (name !== 'FlateDecode' && name !== 'Fl') throw new Error(`unsupported stream filter ${name ?? '?'}`);
      const predictor = this.dict(Array.isArray(params) ? params[i] : params)?.get('Predictor');
      if (typeof predictor === 'number' && predictor > 1) throw new Error('unsupported FlateDecode predictor');
      data = inflateSync(data, { maxOutputLength: MAX_DECODED_BYTES });
    });
    return data;
  }
}
