import { canonicalJson } from '../canonical-json';

/**
 * What a signer signs (21 CFR 11.50 / 11.70): the record version by its content hash, who signed
 * (id and printed name), the meaning, when, and at which workflow step. Its canonical JSON bytes
 * are the detached content of the CMS signature.
 */
export interface SignatureManifest {
  v: 1;
  signatureId: string;
  recordId: string;
  recordNumber: string;
  recordVersion: number;
  /** SHA-256 (hex) of the record version's canonical content. */
  contentHash: string;
  signerId: string;
  printedName: string;
  /** The meaning of the signature, e.g. "approved", "reviewed", "authored". */
  meaning: string;
  comment: string | null;
  /** ISO 8601 UTC, e.g. 2026-03-01T09:30:00.000Z. */
  signedAt: string;
  step: string;
}

const ISO_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?Z$/;

/** The instant of `signedAt`; throws unless it is a real ISO 8601 UTC timestamp (no 30 February). */
export function manifestSignedAt(manifest: Pick<SignatureManifest, 'signedAt'>): Date {
  const match = ISO_UTC.exec(manifest.signedAt);
  const date = new Date(manifest.signedAt);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString() !== `${match[1]}.${(match[2] ?? '').padEnd(3, '0')}Z`) {
    throw new RangeError(`signedAt is not an ISO 8601 UTC timestamp: ${manifest.signedAt}`);
  }
  return date;
}

/** The exact bytes that are signed: UTF-8 of the RFC 8785 canonical JSON. */
export function manifestBytes(manifest: SignatureManifest): Buffer {
  return Buffer.from(canonicalJson(manifest), 'utf8');
}
