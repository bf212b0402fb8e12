import { createHash } from 'node:crypto';
// canonicalize 2.x is the CommonJS line of the RFC 8785 (JSON Canonicalization Scheme) reference
// implementation by its author; 3.x+ ship as ES modules only.
import canonicalizeJson from 'canonicalize';

/** A JSON value as stored in a record version or audit event. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** RFC 8785 canonical form: sorted keys, no insignificant whitespace, ECMAScript number rendering. */
export function canonicalJson(value: unknown): string {
  const text = canonicalizeJson(value);
  if (text === undefined) throw new TypeError('value cannot be represented as canonical JSON');
  return text;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) of the UTF-8 bytes of the value's canonical JSON. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(Buffer.from(canonicalJson(value), 'utf8'));
}
