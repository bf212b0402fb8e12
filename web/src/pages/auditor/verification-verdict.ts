import type { components } from '../../api/schema';

type PdfVerification = components['schemas']['PdfVerificationView'];

/**
 * What an uploaded PDF's checks mean, in one word for people:
 * - valid: sealed by the organisation, unchanged since, every embedded file and signature intact;
 * - altered: the bytes changed after sealing (the seal's digest or byte range, the manifest of
 *   embedded files, or a record JSON its signatures bind no longer match);
 * - unknown_signer: sealed, but not by a certificate the organisation CA issued;
 * - revoked: sealed by a certificate revoked on or before the seal's time;
 * - not_sealed: the file carries no seal at all (not an Attestflow record or dossier);
 * - invalid: anything else that failed (a malformed signature, a signer's CMS that does not verify).
 */
export type VerdictKind = 'valid' | 'altered' | 'unknown_signer' | 'revoked' | 'not_sealed' | 'invalid';

const SEAL_CHECK = /^organisation seal/;
const MANIFEST_CHECK = /^every embedded file matches the manifest/;
const SIGNER_CHECK = /^signature of /;

/**
 * The seal check's detail names each failed part of the PAdES verification as `<part>: <reason>`,
 * with the parts signatures/pades/verify-pdf.ts checks (signature-dictionary, byte-range,
 * whole-document, message-digest, certificate-chain, revocation, …).
 */
const failedSealPart = (detail: string, part: string) => new RegExp(`(^|\\s)${part}: `).test(detail);

export function verdictOf(result: Pick<PdfVerification, 'valid' | 'checks'>): VerdictKind {
  if (result.valid) return 'valid';
  const failed = result.checks.filter((c) => !c.ok);
  const seal = failed.find((c) => SEAL_CHECK.test(c.check));
  if (seal) {
    if (failedSealPart(seal.detail, 'signature-dictionary')) return 'not_sealed';
    if (['byte-range', 'whole-document', 'message-digest'].some((part) => failedSealPart(seal.detail, part))) return 'altered';
    if (failedSealPart(seal.detail, 'certificate-chain')) return 'unknown_signer';
    if (failedSealPart(seal.detail, 'revocation')) return 'revoked';
    return 'invalid';
  }
  if (failed.some((c) => MANIFEST_CHECK.test(c.check) || c.check === 'embedded files readable')) return 'altered';
  if (failed.some((c) => SIGNER_CHECK.test(c.check) && /embedded record JSON hashes to/.test(c.detail))) return 'altered';
  return 'invalid';
}
