/**
 * What changed between two versions of a record's content, field by field, for the person about to
 * sign the newer one (21 CFR 11.50: they see what they sign, and what changed since they read it).
 *
 * Content is JSON (a process declares its shape). Objects are compared key by key, in the order the
 * newer version lists them (keys only the older one has come after; stored content lists its keys
 * in jsonb's order, as the record page shows them). A list of plain values (affected
 * items, areas) is one field: any difference reports the whole list before and after, which reads
 * better than positions. A list holding objects (implementation tasks, lots) is compared position by
 * position, so a changed owner of task 2 is named as such; an entry added or removed at the end is
 * `added` or `removed`, and one inserted in the middle shows as the entries after it changing.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type ContentChangeKind = 'added' | 'removed' | 'changed';

export interface ContentChange {
  /** Object keys and list positions (as decimal strings), outermost first; empty for the content as a whole. */
  path: string[];
  kind: ContentChangeKind;
  /** The older version's value (absent for `added`). */
  before?: JsonValue;
  /** The newer version's value (absent for `removed`). */
  after?: JsonValue;
}

const isObject = (value: JsonValue): value is { [key: string]: JsonValue } => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: JsonValue) => value === null || typeof value !== 'object';
const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** Deep equality of JSON values; key order does not matter (as in the RFC 8785 canonical form the hash is taken of). */
export function sameJson(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]!));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => has(b, key) && sameJson(a[key]!, b[key]!));
  }
  return false;
}

function collect(before: JsonValue, after: JsonValue, path: string[], out: ContentChange[]): void {
  if (sameJson(before, after)) return;
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(after)) {
      if (has(before, key)) collect(before[key]!, after[key]!, [...path, key], out);
      else out.push({ path: [...path, key], kind: 'added', after: after[key]! });
    }
    for (const key of Object.keys(before)) {
      if (!has(after, key)) out.push({ path: [...path, key], kind: 'removed', before: before[key]! });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && !(before.every(isScalar) && after.every(isScalar))) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) {
      const at = [...path, String(i)];
      if (i >= before.length) out.push({ path: at, kind: 'added', after: after[i]! });
      else if (i >= after.length) out.push({ path: at, kind: 'removed', before: before[i]! });
      else collect(before[i]!, after[i]!, at, out);
    }
    return;
  }
  out.push({ path, kind: 'changed', before, after });
}

/** The changes that turn `before` into `after`; none when the two are equal. */
export function contentChanges(before: JsonValue, after: JsonValue): ContentChange[] {
  const out: ContentChange[] = [];
  collect(before, after, [], out);
  return out;
}
