import { canonicalHash } from './canonical-json';
import { verifyManifestCms, type RevokedSerial, type SignatureManifest } from './pki';

/** A signature as stored, with the manifest and CMS it carries. */
export interface StoredSignature {
  id: string;
  recordId: string;
  recordVersion: number;
  contentHash: string;
  signerId: string;
  printedName: string;
  meaning: string;
  signedAt: string;
  manifest: SignatureManifest | null;
  cms: string | null;
}

/** The record version the signature claims to sign, as stored now. */
export interface SignedRecordVersion {
  recordId: string;
  number: string;
  version: number;
  content: unknown;
}

/**
 * What each check establishes, for readers that say it in their own words (the browser app):
 * - `signature_present`: the signature carries a manifest and a CMS signature at all;
 * - `cms`: the CMS signature is by the signer's own certificate, chained to the organisation CA,
 *   valid and not revoked at the signing time;
 * - `manifest`: what was signed equals the stored signature (record, version, hash, signer, meaning, time);
 * - `record_version`: the signed record version exists;
 * - `content_hash`: the signed content hash is the record version's content hash now.
 */
export const VERIFICATION_CHECK_CODES = ['signature_present', 'cms', 'manifest', 'record_version', 'content_hash'] as const;
export type VerificationCheckCode = (typeof VERIFICATION_CHECK_CODES)[number];

export interface VerificationCheck {
  code: VerificationCheckCode;
  check: string;
  ok: boolean;
  detail: string;
}

export interface SignatureVerification {
  valid: boolean;
  checks: VerificationCheck[];
}

/**
 * 11.70: is this signature the signer's own, over this record version, unaltered? Checks the CMS
 * against the organisation CA (validity and revocation as of the signing time), the manifest against
 * the stored signature, and the manifest's content hash against the record version's content now.
 */
export function verifyStoredSignature(input: {
  signature: StoredSignature;
  recordVersion: SignedRecordVersion | undefined;
  caCertificatePem: string;
  revokedSerials: RevokedSerial[];
}): SignatureVerification {
  const { signature, recordVersion } = input;
  const checks: VerificationCheck[] = [];
  const add = (code: VerificationCheckCode, check: string, ok: boolean, detail: string) => checks.push({ code, check, ok, detail });
  const { manifest, cms } = signature;
  if (!manifest || !cms) {
    add('signature_present', 'cryptographic signature', false, 'The signature carries no manifest or CMS signature (made before per-signer keys existed).');
    return { valid: false, checks };
  }
  const cmsResult = verifyManifestCms({ manifest, cmsBase64: cms, caCertificatePem: input.caCertificatePem, revokedSerials: input.revokedSerials });
  add(
    'cms',
    'CMS signature by the signer\u2019s certificate, chained to the organisation CA',
    cmsResult.ok,
    cmsResult.ok
      ? `Signed by "${cmsResult.signerCertificate?.subjectCommonName}" (certificate ${cmsResult.signerCertificate?.serialHex}), valid at the signing time.`
      : cmsResult.problems.join(' '),
  );
  const mismatches = (
    [
      ['signature id', manifest.signatureId, signature.id],
      ['record', manifest.recordId, signature.recordId],
      ['record version', manifest.recordVersion, signature.recordVersion],
      ['content hash', manifest.contentHash, signature.contentHash],
      ['signer', manifest.signerId, signature.signerId],
      ['printed name', manifest.printedName, signature.printedName],
      ['meaning', manifest.meaning, signature.meaning],
      ['signing time', new Date(manifest.signedAt).toISOString(), signature.signedAt],
    ] as const
  ).filter(([, signed, stored]) => signed !== stored);
  add(
    'manifest',
    'signed manifest equals the stored signature',
    mismatches.length === 0,
    mismatches.length === 0
      ? 'Every signed field matches.'
      : mismatches.map(([field, signed, stored]) => `${field}: signed "${signed}", stored "${stored}"`).join('; '),
  );
  if (!recordVersion) {
    add('record_version', 'record version exists', false, `Record ${manifest.recordId} has no version ${manifest.recordVersion}.`);
  } else {
    const actual = canonicalHash(recordVersion.content);
    const ok = recordVersion.recordId === manifest.recordId && recordVersion.version === manifest.recordVersion && actual === manifest.contentHash;
    add(
      'content_hash',
      'signed content hash equals the record version\u2019s content now',
      ok,
      ok
        ? `${recordVersion.number} version ${recordVersion.version}: SHA-256 ${actual}.`
        : `${recordVersion.number} version ${recordVersion.version} hashes to ${actual}; the signature covers ${manifest.contentHash} of record ${manifest.recordId}.`,
    );
  }
  return { valid: checks.every((c) => c.ok), checks };
}

/** A verdict a person can read. */
export function describeVerification(signature: Pick<StoredSignature, 'id' | 'printedName' | 'meaning' | 'signedAt'>, result: SignatureVerification): string {
  const lines = [
    `Signature ${signature.id}: ${signature.printedName}, "${signature.meaning}", ${signature.signedAt}`,
    ...result.checks.map((c) => `  ${c.ok ? 'PASS' : 'FAIL'}  ${c.check}: ${c.detail}`),
    result.valid ? 'VERDICT: VALID — the signature is intact and bound to this record version.' : 'VERDICT: INVALID — see the failed checks above.',
  ];
  return lines.join('\n');
}
