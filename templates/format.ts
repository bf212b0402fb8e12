// Text formatting shared by the templates: times in a named zone, humanised keys, compact JSON.

export interface TimeFormatter {
  /** The IANA zone name the formatter prints in. */
  readonly zone: string;
  /** "2025-03-14 10:26:53 +01:00" (tables, whose header names the zone). */
  short(date: Date): string;
  /** "2025-03-14 10:26:53 Europe/Berlin (UTC+01:00)". */
  full(date: Date): string;
}

/** A formatter for one IANA zone; throws a RangeError naming the zone when it is not known. */
export function timeFormatter(timeZone: string): TimeFormatter {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}": pass an IANA zone name such as "UTC" or "Europe/Berlin".`);
  }
  // Printed as configured: ICU may resolve a zone to a legacy alias (Asia/Kolkata → Asia/Calcutta).
  const resolved = format.resolvedOptions().timeZone;
  const zone = resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
  const parts = (date: Date): { stamp: string; offset: string } => {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError(`Cannot print an invalid date (${String(date)}).`);
    const p: Record<string, string> = {};
    for (const part of format.formatToParts(date)) p[part.type] = part.value;
    const offset = (p.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
    return { stamp: `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`, offset };
  };
  return {
    zone,
    short(date) {
      const { stamp, offset } = parts(date);
      return `${stamp} ${offset}`;
    },
    full(date) {
      const { stamp, offset } = parts(date);
      return `${stamp} ${zone} (UTC${offset})`;
    },
  };
}

const ACRONYM = /^[A-Z0-9]{2,}$/;

/** "batchNumber" → "Batch number", "capa_id" → "Capa id", "sopURL" → "Sop URL". */
export function humaniseKey(key: string): string {
  const words = key
    .replace(/[_\-.]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (ACRONYM.test(w) ? w : w.toLowerCase()));
  if (words.length === 0) return key;
  const first = words[0]!;
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}

/** Compact JSON of an audit value; `—` for a missing one. Never throws. */
export function compactJson(value: unknown): string {
  if (value === undefined) return '—';
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return text === undefined ? '—' : text;
  } catch {
    return String(value);
  }
}

/** A scalar content value as read by a person. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return compactJson(value);
}

/**
 * pdfkit writes the document information into the XMP packet without escaping; PDF/A wants both to
 * agree, so markup characters are replaced by their full-width forms in both.
 */
export function xmpSafe(text: string): string {
  return text.replace(/&/g, '＆').replace(/</g, '＜').replace(/>/g, '＞');
}
