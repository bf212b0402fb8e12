import { createHash, X509Certificate } from 'node:crypto';
import { wholeSecond } from '../pki/x509-support';
import { buildCadesDetached, type CadesSignerKeys } from './cades';
import { SUBFILTER_CADES } from './pdf-signature';
import { addSignaturePlaceholder } from './pdf-update';

export type PdfSeal = CadesSignerKeys;

export interface SealPdfOptions {
  /** The claimed signing time, written to the signature dictionary's /M (whole seconds, UTC). */
  signingTime: Date;
  reason: string;
  location?: string;
  /** The signer's name in the signature dictionary (/Name), e.g. the organisation. */
  name: string;
  contactInfo?: string;
}

/** Room reserved for the DER CMS: /Contents holds twice as many hex digits. */
export const SIGNATURE_LENGTH = 16384;

function assertSealUsable(seal: PdfSeal, at: Date): void {
  const cert = new X509Certificate(seal.certificatePem);
  const ca = new X509Certificate(seal.caCertificatePem);
  if (at < new Date(cert.validFrom) || at > new Date(cert.validTo)) throw new RangeError('the sealing certificate is not valid at the signing time');
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) throw new Error('the sealing certificate is not issued by the given CA');
}

/**
 * Seals a finished PDF with a PAdES baseline B-B signature (ETSI EN 319 142-1): an incremental update
 * adds an invisible signature field whose dictionary has SubFilter ETSI.CAdES.detached, the signing
 * time in /M, and a detached CAdES CMS over the ByteRange (the whole file except /Contents). The CMS
 * carries the seal and CA certificates and the signing-certificate-v2 attribute, no signing-time.
 * The input must use classic xref tables (as pdfkit writes) and not be encrypted; any later change to
 * the output (even an appended byte) makes verifySealedPdf report it as not covering the whole file.
 */
export function sealPdf(pdf: Buffer, seal: PdfSeal, options: SealPdfOptions): Buffer {
  const signingTime = wholeSecond(options.signingTime);
  if (Number.isNaN(signingTime.getTime())) throw new RangeError('invalid signingTime');
  assertSealUsable(seal, signingTime);

  const placeholder = addSignaturePlaceholder(pdf, { ...options, signingTime, subFilter: SUBFILTER_CADES, signatureLength: SIGNATURE_LENGTH });
  const { pdf: out, byteRangeAt, byteRangeWidth, contentsStart, contentsEnd } = placeholder;
  if (out[contentsStart] !== 0x3c || out[contentsEnd - 1] !== 0x3e) throw new Error('misplaced /Contents placeholder');
  const byteRange = `[0 ${contentsStart} ${contentsEnd} ${out.length - contentsEnd}]`;
  if (byteRange.length > byteRangeWidth) throw new RangeError('the PDF is too large for the ByteRange placeholder');
  out.write(byteRange.padEnd(byteRangeWidth, ' '), byteRangeAt, 'latin1');

  const digest = createHash('sha256').update(out.subarray(0, contentsStart)).update(out.subarray(contentsEnd)).digest();
  const cms = buildCadesDetached(digest, seal);
  if (cms.length > SIGNATURE_LENGTH) throw new RangeError(`the CMS (${cms.length} bytes) exceeds the placeholder`);
  out.write(cms.toString('hex').padEnd(SIGNATURE_LENGTH * 2, '0'), contentsStart + 1, 'latin1');
  return out;
}
