import { PdfFile } from './pdf-file';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, pdfText, type PdfValue } from './pdf-objects';

/** Serialises a parsed PDF value (strings as hex, so any bytes survive); streams cannot be written. */
export function serialize(value: PdfValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/\.?0+$/, '');
  if (value instanceof PdfName) {
    const bytes = [...Buffer.from(value.name, 'utf8')];
    return `/${bytes.map((b) => (b > 0x20 && b < 0x7f && !'#()<>[]{}/%'.includes(String.fromCharCode(b)) ? String.fromCharCode(b) : `#${b.toString(16).padStart(2, '0')}`)).join('')}`;
  }
  if (value instanceof PdfString) return `<${value.bytes.toString('hex')}>`;
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`;
  if (value instanceof PdfDict) return `<<${[...value.entries].map(([k, v]) => `${serialize(new PdfName(k))} ${serialize(v)}`).join(' ')}>>`;
  if (value instanceof PdfStream) throw new Error('cannot rewrite a stream object');
  throw new Error('unknown PDF value');
}

/** A text string token: a literal for printable ASCII, else UTF-16BE with a byte order mark, in hex. */
export function textString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  return `<feff${Buffer.from(text, 'utf16le').swap16().toString('hex')}>`;
}

/** A PDF date in UTC: D:YYYYMMDDHHmmSSZ. */
export function pdfDate(date: Date): string {
  return `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

export interface SignatureFieldOptions {
  subFilter: string;
  signingTime: Date;
  reason: string;
  name: string;
  location?: string;
  contactInfo?: string;
  /** Bytes reserved for the DER CMS. */
  signatureLength: number;
}

export interface SignaturePlaceholder {
  pdf: Buffer;
  /** Offset and width of the blank `[...]` reserved for the ByteRange array. */
  byteRangeAt: number;
  byteRangeWidth: number;
  /** Offsets of the `<` and after the `>` of the zero-filled /Contents hex string. */
  contentsStart: number;
  contentsEnd: number;
}

const BYTE_RANGE_WIDTH = 48;

function withEntries(dict: PdfDict, entries: Record<string, PdfValue>): PdfDict {
  return new PdfDict(new Map([...dict.entries, ...Object.entries(entries)]));
}

function firstPage(file: PdfObjectSource, catalog: PdfDict): { ref: PdfRef; dict: PdfDict } {
  let node = catalog.get('Pages');
  for (let depth = 0; depth < 32; depth++) {
    const dict = file.dict(node);
    if (!dict) break;
    if (file.name(dict.get('Type')) !== 'Pages') {
      if (node instanceof PdfRef) return { ref: node, dict };
      break;
    }
    node = file.array(dict.get('Kids'))[0];
  }
  throw new Error('the PDF has no first page object');
}

/** What the update needs to read of the PDF it extends: PdfFile over a buffer, or PdfFileReader over a file. */
export type PdfObjectSource = Pick<PdfFile, 'trailer' | 'startxref' | 'classicXref' | 'resolve' | 'dict' | 'array' | 'name'>;

/** The bytes of a signature update to append after `inputLength` bytes, with offsets counted in the whole file. */
export interface SignatureUpdate {
  update: Buffer;
  byteRangeAt: number;
  byteRangeWidth: number;
  contentsStart: number;
  contentsEnd: number;
}

/**
 * Appends an incremental update (ISO 32000-1 §7.5.6) with an invisible, locked signature field on the
 * first page whose signature dictionary reserves zeroed /Contents and a blank /ByteRange. The original
 * bytes stay an unchanged prefix. Needs classic xref tables; refuses encrypted PDFs.
 */
export function addSignaturePlaceholder(input: Buffer, options: SignatureFieldOptions): SignaturePlaceholder {
  const { update, ...offsets } = signatureUpdate(new PdfFile(input), input.length, input[input.length - 1], options);
  return { pdf: Buffer.concat([input, update]), ...offsets };
}

/**
 * The incremental update of addSignaturePlaceholder, for a PDF of `inputLength` bytes whose last
 * byte is `lastByte`, read through `file`: the caller appends `update` to the PDF.
 */
export function signatureUpdate(file: PdfObjectSource, inputLength: number, lastByte: number | undefined, options: SignatureFieldOptions): SignatureUpdate {
  if (!file.classicXref || file.startxref === undefined) throw new Error('only PDFs with classic cross-reference tables can be sealed');
  if (file.trailer.get('Encrypt') !== undefined) throw new Error('encrypted PDFs cannot be sealed');
  const rootRef = file.trailer.get('Root');
  const catalog = file.dict(rootRef);
  const size = file.trailer.get('Size');
  if (!(rootRef instanceof PdfRef) || !catalog || typeof size !== 'number') throw new Error('the PDF trailer lacks /Root or /Size');
  const page = firstPage(file, catalog);

  let next = size;
  const sigRef = new PdfRef(next++, 0);
  const widgetRef = new PdfRef(next++, 0);
  const acroFormValue = catalog.get('AcroForm');
  const acroForm = file.dict(acroFormValue) ?? new PdfDict(new Map());
  const fields = file.array(acroForm.get('Fields'));
  const taken = new Set(fields.map((f) => pdfText(file.resolve(file.dict(f)?.get('T')))));
  let fieldNumber = 1;
  while (taken.has(`Seal${fieldNumber}`)) fieldNumber++;

  const rewritten: { ref: PdfRef; body: string }[] = [];
  const newAcroForm = withEntries(acroForm, { Fields: [...fields, widgetRef], SigFlags: 3 });
  if (acroFormValue instanceof PdfRef) rewritten.push({ ref: acroFormValue, body: serialize(newAcroForm) });
  else {
    const formRef = acroFormValue === undefined ? new PdfRef(next++, 0) : undefined;
    if (formRef) rewritten.push({ ref: formRef, body: serialize(newAcroForm) });
    rewritten.push({ ref: rootRef, body: serialize(withEntries(catalog, { AcroForm: formRef ?? newAcroForm })) });
  }
  const annots = file.array(page.dict.get('Annots'));
  rewritten.push({ ref: page.ref, body: serialize(withEntries(page.dict, { Annots: [...annots, widgetRef] })) });
  const widget = `<</Type /Annot /Subtype /Widget /FT /Sig /T ${textString(`Seal${fieldNumber}`)} /Rect [0 0 0 0] /F 132 /P ${serialize(page.ref)} /V ${serialize(sigRef)}>>`;
  rewritten.push({ ref: widgetRef, body: widget });

  const optional = [options.location && `/Location ${textString(options.location)}`, options.contactInfo && `/ContactInfo ${textString(options.contactInfo)}`];
  const sigHead = `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter ${serialize(new PdfName(options.subFilter))} /ByteRange `;
  const sigMiddle = ` /Contents <${'0'.repeat(options.signatureLength * 2)}>`;
  const sigTail = ` /M (${pdfDate(options.signingTime)}) /Name ${textString(options.name)} /Reason ${textString(options.reason)}${optional
    .filter(Boolean)
    .map((e) => ` ${e}`)
    .join('')}>>`;
  const sigBody = `${sigHead}${' '.repeat(BYTE_RANGE_WIDTH)}${sigMiddle}${sigTail}`;

  const eol = lastByte === 0x0a || lastByte === 0x0d ? '' : '\n';
  let offset = inputLength + eol.length;
  let text = eol;
  const entries: { ref: PdfRef; offset: number }[] = [];
  let sigOffset = 0;
  for (const { ref, body } of [{ ref: sigRef, body: sigBody }, ...rewritten]) {
    const object = `${ref.num} ${ref.gen} obj\n${body}\nendobj\n`;
    if (ref === sigRef) sigOffset = offset + `${ref.num} ${ref.gen} obj\n`.length;
    entries.push({ ref, offset });
    text += object;
    offset += Buffer.byteLength(object, 'latin1');
  }
  const xrefOffset = offset;
  text += 'xref\n';
  for (const { ref, offset: at } of entries.sort((a, b) => a.ref.num - b.ref.num)) {
    text += `${ref.num} 1\n${String(at).padStart(10, '0')} ${String(ref.gen).padStart(5, '0')} n\r\n`;
  }
  const info = file.trailer.get('Info');
  const id = file.trailer.get('ID');
  const carried = `${info !== undefined ? ` /Info ${serialize(info)}` : ''}${id !== undefined ? ` /ID ${serialize(id)}` : ''}`;
  text += `trailer\n<</Size ${next} /Root ${serialize(rootRef)}${carried} /Prev ${file.startxref}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;

  const byteRangeAt = sigOffset + sigHead.length;
  const contentsStart = byteRangeAt + BYTE_RANGE_WIDTH + ' /Contents '.length;
  return {
    update: Buffer.from(text, 'latin1'),
    byteRangeAt,
    byteRangeWidth: BYTE_RANGE_WIDTH,
    contentsStart,
    contentsEnd: contentsStart + options.signatureLength * 2 + 2,
  };
}
