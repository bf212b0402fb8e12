import { PdfFile } from './pdf-file';
import { PdfRef, PdfString, pdfText, type PdfDict, type PdfValue } from './pdf-objects';

/** A signature dictionary (ISO 32000-1 §12.8.1) as found through the AcroForm signature fields. */
export interface PdfSignatureDictionary {
  fieldName?: string;
  type?: string;
  filter?: string;
  subFilter?: string;
  /** The /ByteRange integers, or undefined when it is not an array of four non-negative integers. */
  byteRange?: [number, number, number, number];
  /** The /Contents string with its token offsets in the file. */
  contents?: PdfString;
  /** The raw /M text (a PDF date). */
  m?: string;
  reason?: string;
  name?: string;
  location?: string;
}

/** The PAdES SubFilter (ETSI EN 319 142-1). */
export const SUBFILTER_CADES = 'ETSI.CAdES.detached';
const MAX_FIELD_DEPTH = 32;

function byteRangeOf(file: PdfFile, value: PdfValue | undefined): PdfSignatureDictionary['byteRange'] {
  const items = file.array(value).map((v) => file.resolve(v));
  if (items.length !== 4 || !items.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) return undefined;
  return items as [number, number, number, number];
}

function describe(file: PdfFile, dict: PdfDict, fieldName: string | undefined): PdfSignatureDictionary {
  const contents = file.resolve(dict.get('Contents'));
  return {
    fieldName,
    type: file.name(dict.get('Type')),
    filter: file.name(dict.get('Filter')),
    subFilter: file.name(dict.get('SubFilter')),
    byteRange: byteRangeOf(file, dict.get('ByteRange')),
    contents: contents instanceof PdfString ? contents : undefined,
    m: pdfText(file.resolve(dict.get('M'))),
    reason: pdfText(file.resolve(dict.get('Reason'))),
    name: pdfText(file.resolve(dict.get('Name'))),
    location: pdfText(file.resolve(dict.get('Location'))),
  };
}

/**
 * Every signed signature field's dictionary (/FT /Sig, possibly inherited, with a /V), walking the
 * AcroForm field tree. Throws when the PDF cannot be parsed.
 */
export function findSignatureDictionaries(pdf: Buffer): PdfSignatureDictionary[] {
  const file = new PdfFile(pdf);
  const catalog = file.dict(file.trailer.get('Root'));
  if (!catalog) throw new Error('the PDF has no document catalog');
  const found: PdfSignatureDictionary[] = [];
  const visited = new Set<number>();
  const walk = (value: PdfValue, inheritedType: string | undefined, parentName: string | undefined, depth: number): void => {
    if (depth > MAX_FIELD_DEPTH) return;
    if (value instanceof PdfRef) {
      if (visited.has(value.num)) return;
      visited.add(value.num);
    }
    const field = file.dict(value);
    if (!field) return;
    const fieldType = file.name(field.get('FT')) ?? inheritedType;
    const partial = pdfText(file.resolve(field.get('T')));
    const fieldName = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const signature = file.dict(field.get('V'));
    if (fieldType === 'Sig' && signature) found.push(describe(file, signature, fieldName));
    for (const kid of file.array(field.get('Kids'))) walk(kid, fieldType, fieldName, depth + 1);
  };
  for (const field of file.array(file.dict(catalog.get('AcroForm'))?.get('Fields'))) walk(field, undefined, undefined, 0);
  return found;
}

/** The signature whose ByteRange reaches furthest into the file: the one applied last. */
export function lastSignature(signatures: PdfSignatureDictionary[]): PdfSignatureDictionary | undefined {
  const end = (s: PdfSignatureDictionary): number => (s.byteRange ? s.byteRange[2] + s.byteRange[3] : -1);
  return signatures.reduce<PdfSignatureDictionary | undefined>((best, s) => (!best || end(s) > end(best) ? s : best), undefined);
}

/** A PDF date (§7.9.4) "D:YYYYMMDDHHmmSSOHH'mm'" as a Date; undefined when malformed. */
export function parsePdfDate(text: string | undefined): Date | undefined {
  const match = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:Z(?:00'?(?:00'?)?)?|([+-])(\d{2})(?:'(\d{2})?'?)?)?$/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = match;
  const fields = [Number(mo), Number(d), Number(h), Number(mi), Number(s), Number(oh), Number(om)];
  const [month, day, hour, minute, second, offH, offM] = fields as [number, number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return undefined;
  const local = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (new Date(local).getUTCDate() !== day) return undefined;
  return new Date(local - (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000);
}
