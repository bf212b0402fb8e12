import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { wholeSecond } from '../pki/x509-support';
import { buildCadesDetached, type CadesSignerKeys } from './cades';
import { SUBFILTER_CADES } from './pdf-signature';
import { PdfFileReader } from './pdf-file-reader';
import { addSignaturePlaceholder, signatureUpdate } from './pdf-update';

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
  const signingTime = checkedSigningTime(seal, options);
  const placeholder = addSignaturePlaceholder(pdf, { ...options, signingTime, subFilter: SUBFILTER_CADES, signatureLength: SIGNATURE_LENGTH });
  const { pdf: out, byteRangeAt, byteRangeWidth, contentsStart, contentsEnd } = placeholder;
  if (out[contentsStart] !== 0x3c || out[contentsEnd - 1] !== 0x3e) throw new Error('misplaced /Contents placeholder');
  out.write(byteRangeText(out.length, byteRangeWidth, contentsStart, contentsEnd), byteRangeAt, 'latin1');

  const digest = createHash('sha256').update(out.subarray(0, contentsStart)).update(out.subarray(contentsEnd)).digest();
  out.write(cmsHex(digest, seal), contentsStart + 1, 'latin1');
  return out;
}

/** Bytes hashed per read when sealing a file. */
const HASH_CHUNK = 1 << 20;

/**
 * sealPdf for a PDF in a file, sealed in place and never read whole into memory: the same
 * incremental update is appended to the file, the ByteRange's SHA-256 is computed by reading the
 * file in chunks, and the CMS is written into the reserved /Contents. The file then holds exactly
 * what sealPdf would return for its former bytes. Returns the sealed file's size and SHA-256.
 */
export function sealPdfFile(file: string, seal: PdfSeal, options: SealPdfOptions): { size: number; sha256: string } {
  const signingTime = checkedSigningTime(seal, options);
  const fd = fs.openSync(file, 'r+');
  try {
    const inputLength = fs.fstatSync(fd).size;
    const reader = new PdfFileReader(fd, inputLength);
    const last = Buffer.alloc(1);
    if (inputLength > 0) fs.readSync(fd, last, 0, 1, inputLength - 1);
    const { update, byteRangeAt, byteRangeWidth, contentsStart, contentsEnd } = signatureUpdate(reader, inputLength, inputLength > 0 ? last[0] : undefined, {
      ...options,
      signingTime,
      subFilter: SUBFILTER_CADES,
      signatureLength: SIGNATURE_LENGTH,
    });
    const size = inputLength + update.length;
    if (update[contentsStart - inputLength] !== 0x3c || update[contentsEnd - 1 - inputLength] !== 0x3e) throw new Error('misplaced /Contents placeholder');
    update.write(byteRangeText(size, byteRangeWidth, contentsStart, contentsEnd), byteRangeAt - inputLength, 'latin1');
    writeAt(fd, update, inputLength);

    const hash = createHash('sha256');
    const chunk = Buffer.alloc(HASH_CHUNK);
    const hashRange = (from: number, to: number) => {
      for (let at = from; at < to;) {
        const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, to - at), at);
        if (n === 0) throw new Error('the PDF file ended early while hashing');
        hash.update(chunk.subarray(0, n));
        at += n;
      }
    };
    hashRange(0, contentsStart);
    hashRange(contentsEnd, size);
    writeAt(fd, Buffer.from(cmsHex(hash.digest(), seal), 'latin1'), contentsStart + 1);
    fs.fsyncSync(fd);

    const whole = createHash('sha256');
    for (let at = 0; at < size;) {
      const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, size - at), at);
      if (n === 0) throw new Error('the sealed PDF file ended early');
      whole.update(chunk.subarray(0, n));
      at += n;
    }
    return { size, sha256: whole.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}

function checkedSigningTime(seal: PdfSeal, options: SealPdfOptions): Date {
  const signingTime = wholeSecond(options.signingTime);
  if (Number.isNaN(signingTime.getTime())) throw new RangeError('invalid signingTime');
  assertSealUsable(seal, signingTime);
  return signingTime;
}

function byteRangeText(size: number, width: number, contentsStart: number, contentsEnd: number): string {
  const byteRange = `[0 ${contentsStart} ${contentsEnd} ${size - contentsEnd}]`;
  if (byteRange.length > width) throw new RangeError('the PDF is too large for the ByteRange placeholder');
  return byteRange.padEnd(width, ' ');
}

/** The DER CMS over the ByteRange digest, as the hex digits of /Contents (zero-padded to the reserved room). */
function cmsHex(digest: Buffer, seal: PdfSeal): string {
  const cms = buildCadesDetached(digest, seal);
  if (cms.length > SIGNATURE_LENGTH) throw new RangeError(`the CMS (${cms.length} bytes) exceeds the placeholder`);
  return cms.toString('hex').padEnd(SIGNATURE_LENGTH * 2, '0');
}

function writeAt(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}
