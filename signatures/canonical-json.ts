import { createHash } from 'node:crypto';
// canonicalize 2.x is the CommonJS line of the RFC 8785 (JSON Canonicalization Scheme) reference
// implementation by its author; 3.x+ ship as ES modules only.
import canonicalizeJson from 'canonicalize';

/** A JSON value as stored in a record version or audit event. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A key that JavaScript objects always list first, in numeric order, whatever the insertion order. */
const ARRAY_INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/** Marks a value the fast path cannot order natively; the reference implementation then renders it. */
class NeedsReference extends Error {}

/**
 * A copy of the value whose object keys are inserted in UTF-16 code-unit order, so that the engine's
 * own JSON.stringify writes RFC 8785's form: its strings and numbers are the ECMAScript renderings the
 * scheme prescribes, and it keeps insertion order for every key that is not an array index.
 */
function sortedForStringify(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new NeedsReference();
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw new NeedsReference();
    return value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw new NeedsReference();
  if (Array.isArray(value)) return value.map(sortedForStringify);
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source).sort();
  const sorted: Record<string, unknown> = {};
  for (const key of keys) {
    if (ARRAY_INDEX_KEY.test(key)) throw new NeedsReference();
    sorted[key] = sortedForStringify(source[key]);
  }
  return sorted;
}

/**
 * RFC 8785 canonical form: sorted keys, no insignificant whitespace, ECMAScript number rendering.
 * The common case goes through the engine's JSON.stringify over a key-sorted copy (several times
 * faster, which audit-chain verification needs); array-index keys, toJSON objects and non-finite
 * numbers go to the reference implementation, and canonical-json.spec.ts checks both agree.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(sortedForStringify(value)) as string | undefined;
  } catch (error) {
    if (!(error instanceof NeedsReference)) throw error;
    text = canonicalizeJson(value);
  }
  if (text === undefined) throw new TypeError('value cannot be represented as canonical JSON');
  return text;
}

/**
 * The canonical JSON of an object whose own keys the caller has already put in canonical order (and
 * none of which is an array index): only the values are sorted. Used where one fixed shape is
 * hashed very often (audit events); the caller's spec checks its key order against the reference.
 */
export function canonicalJsonOfOrderedKeys(value: Record<string, unknown>): string {
  try {
    const ordered: Record<string, unknown> = {};
    for (const key in value) ordered[key] = sortedForStringify(value[key]);
    return JSON.stringify(ordered);
  } catch (error) {
    if (!(error instanceof NeedsReference)) throw error;
    return canonicalJson(value);
  }
}

/**
 * The canonical JSON of a value that came out of JSON.parse (a jsonb column read as text): written
 * directly, without the key-sorted copy canonicalJson makes, which audit-chain verification does
 * twice per event. Keys are sorted by UTF-16 code units (Array.prototype.sort's own order), strings
 * and numbers are the engine's JSON.stringify renderings, as RFC 8785 prescribes. A non-finite
 * number goes to canonicalJson (and so to the reference implementation, which refuses it);
 * canonical-json.spec.ts checks that this agrees with the reference.
 */
export function canonicalJsonOfParsed(value: JsonValue): string {
  try {
    return writeParsed(value);
  } catch (error) {
    if (!(error instanceof NeedsReference)) throw error;
    return canonicalJson(value);
  }
}

function writeParsed(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NeedsReference();
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + writeParsed(value[i]!);
        return `${text}]`;
      }
      const keys = Object.keys(value).sort();
      let text = '{';
      for (let i = 0; i < keys.length; i++) text += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${writeParsed(value[keys[i]!]!)}`;
      return `${text}}`;
    }
    default:
      throw new NeedsReference();
  }
}

/** The reference implementation alone; for the specs that compare the fast path with it. */
export function referenceCanonicalJson(value: unknown): string | undefined {
  return canonicalizeJson(value);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) of the UTF-8 bytes of the value's canonical JSON. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
