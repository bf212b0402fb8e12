/**
 * A small reader of PDF objects (ISO 32000-1 §7.3, §7.5): enough to walk the catalog, the signature
 * fields and the embedded files of the PDFs pdfkit writes and of their incremental updates. It
 * follows classic xref tables (with /Prev); for cross-reference streams it falls back to scanning for
 * "N G obj" headers, and objects inside object streams are not supported.
 */

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
/** A string object; `start`/`end` are the file offsets of its token, e.g. `<` and after `>`. */
export class PdfString {
  constructor(
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
    readonly hex: boolean,
  ) {}
}
export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue>) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
}
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly dataStart: number,
  ) {}
}
export type PdfValue = null | boolean | number | PdfName | PdfRef | PdfString | PdfDict | PdfStream | PdfValue[];

const isWhite = (c: number | undefined): boolean => c === 0 || c === 9 || c === 10 || c === 12 || c === 13 || c === 32;
const isDelimiter = (c: number | undefined): boolean => c !== undefined && '()<>[]{}/%'.includes(String.fromCharCode(c));
const isRegular = (c: number | undefined): boolean => c !== undefined && !isWhite(c) && !isDelimiter(c);
const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
const MAX_DEPTH = 64;

export class PdfParser {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  skip(): void {
    for (;;) {
      const c = this.buf[this.pos];
      if (isWhite(c)) this.pos++;
      else if (c === 0x25 /* % */) while (this.pos < this.buf.length && this.buf[this.pos] !== 10 && this.buf[this.pos] !== 13) this.pos++;
      else return;
    }
  }

  /** The next run of regular characters (a number or keyword), consumed. */
  token(): string {
    this.skip();
    const start = this.pos;
    while (isRegular(this.buf[this.pos])) this.pos++;
    return this.buf.toString('latin1', start, this.pos);
  }

  expectToken(expected: string): void {
    const at = this.pos;
    const got = this.token();
    if (got !== expected) throw new Error(`expected "${expected}" at offset ${at}, found "${got.slice(0, 20)}"`);
  }

  integer(): number {
    const at = this.pos;
    const t = this.token();
    if (!/^\d+$/.test(t)) throw new Error(`expected an integer at offset ${at}`);
    return Number(t);
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_DEPTH) throw new Error('PDF objects nested too deeply');
    this.skip();
    const c = this.buf[this.pos];
    if (c === undefined) throw new Error('unexpected end of PDF');
    if (c === 0x3c /* < */) return this.buf[this.pos + 1] === 0x3c ? this.dict(depth) : this.hexString();
    if (c === 0x28 /* ( */) return this.literalString();
    if (c === 0x2f /* / */) return this.name();
    if (c === 0x5b /* [ */) {
      this.pos++;
      const items: PdfValue[] = [];
      for (this.skip(); this.buf[this.pos] !== 0x5d; this.skip()) items.push(this.value(depth + 1));
      this.pos++;
      return items;
    }
    const at = this.pos;
    const t = this.token();
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) throw new Error(`unexpected token "${t.slice(0, 20)}" at offset ${at}`);
    if (/^\d+$/.test(t)) {
      const after = this.pos;
      const gen = this.token();
      if (/^\d+$/.test(gen) && this.token() === 'R') return new PdfRef(Number(t), Number(gen));
      this.pos = after;
    }
    return Number(t);
  }

  private dict(depth: number): PdfDict {
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    for (this.skip(); !(this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e); this.skip()) {
      const key = this.value(depth + 1);
      if (!(key instanceof PdfName)) throw new Error(`expected a name key at offset ${this.pos}`);
      entries.set(key.name, this.value(depth + 1));
    }
    this.pos += 2;
    return new PdfDict(entries);
  }

  private name(): PdfName {
    this.pos++;
    const start = this.pos;
    while (isRegular(this.buf[this.pos])) this.pos++;
    const raw = this.buf.toString('latin1', start, this.pos);
    return new PdfName(
      Buffer.from(
        raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8'),
    );
  }

  private hexString(): PdfString {
    const start = this.pos;
    const end = this.buf.indexOf(0x3e, start);
    if (end < 0) throw new Error(`unterminated hex string at offset ${start}`);
    const digits = this.buf.toString('latin1', start + 1, end).replace(/[\0\t\n\f\r ]/g, '');
    if (/[^0-9a-fA-F]/.test(digits)) throw new Error(`invalid hex string at offset ${start}`);
    this.pos = end + 1;
    return new PdfString(Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex'), start, this.pos, true);
  }

  private literalString(): PdfString {
    const start = this.pos++;
    const out: number[] = [];
    for (let nesting = 1; ;) {
      const c = this.buf[this.pos++];
      if (c === undefined) throw new Error(`unterminated string at offset ${start}`);
      if (c === 0x28) nesting++;
      else if (c === 0x29 && --nesting === 0) break;
      if (c === 0x0d) {
        if (this.buf[this.pos] === 0x0a) this.pos++;
        out.push(0x0a);
      } else if (c !== 0x5c /* \ */) out.push(c);
      else {
        const e = this.buf[this.pos++];
        if (e === undefined) throw new Error(`unterminated string at offset ${start}`);
        const octal = /^[0-7]{1,3}/.exec(this.buf.toString('latin1', this.pos - 1, this.pos + 2));
        if (octal) {
          out.push(parseInt(octal[0], 8) & 0xff);
          this.pos += octal[0].length - 1;
        } else if (e === 0x0d || e === 0x0a) {
          if (e === 0x0d && this.buf[this.pos] === 0x0a) this.pos++;
        } else out.push(ESCAPES[String.fromCharCode(e)] ?? e);
      }
    }
    return new PdfString(Buffer.from(out), start, this.pos, false);
  }
}

/** Parses "N G obj <value> [stream]" at `offset`. */
export function parseIndirectObject(buf: Buffer, offset: number, expectedNum?: number): PdfValue {
  const parser = new PdfParser(buf, offset);
  const num = parser.integer();
  parser.integer();
  parser.expectToken('obj');
  if (expectedNum !== undefined && num !== expectedNum) throw new Error(`the xref entry of object ${expectedNum} points to object ${num}`);
  const value = parser.value();
  if (!(value instanceof PdfDict)) return value;
  const afterDict = parser.pos;
  if (parser.token() !== 'stream') return value;
  if (buf[parser.pos] === 0x0d) parser.pos++;
  if (buf[parser.pos] === 0x0a) parser.pos++;
  if (parser.pos === afterDict) throw new Error(`malformed stream at offset ${offset}`);
  return new PdfStream(value, parser.pos);
}

/** Text strings (§7.9.2.2): UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding (read as Latin-1). */
export function pdfText(value: PdfValue | undefined): string | undefined {
  if (!(value instanceof PdfString)) return undefined;
  const b = value.bytes;
  if (b[0] === 0xfe && b[1] === 0xff)
    return Buffer.from(b.subarray(2, b.length - (b.length % 2)))
      .swap16()
      .toString('utf16le');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3).toString('utf8');
  return b.toString('latin1');
}
