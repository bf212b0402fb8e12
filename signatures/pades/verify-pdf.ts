import { createHash, timingSafeEqual, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { RevokedSerial } from '../pki/cms';
import { certificateIssuerAndSerial, parseSignedData, type ParsedSignedData, type ParsedSignerInfo } from '../pki/cms-parse';
import { normaliseSerialHex, OID, subjectAttribute } from '../pki/x509-support';
import { essCertHash, readSigningCertificateV2 } from './cades';
import { readTlv } from '../pki/der';
import { findSignatureDictionaries, lastSignature, parsePdfDate, SUBFILTER_CADES, type PdfSignatureDictionary } from './pdf-signature';

export { listPdfAttachments, type PdfAttachment } from './pdf-attachments';

export interface PdfVerificationCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface PdfVerification {
  /** True when every check passed. */
  ok: boolean;
  checks: PdfVerificationCheck[];
  signer?: { subjectCommonName: string; serialHex: string };
  /** The claimed signing time: the signature dictionary's /M. */
  signingTime?: Date;
  /** The ByteRange covers the whole file except the /Contents hex string. */
  coversWholeFile: boolean;
}

export interface VerifySealedPdfOptions {
  caCertificatePem: string;
  revokedSerials?: RevokedSerial[];
}

type Add = (check: string, ok: boolean, detail: string) => boolean;

const sameBytes = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

/** ByteRange [0 a b c] must leave out exactly the /Contents token; returns the signed bytes. */
function checkByteRange(pdf: Buffer, sig: PdfSignatureDictionary, add: Add): { signed?: Buffer; whole: boolean } {
  const range = sig.byteRange;
  const contents = sig.contents;
  if (!range || !contents?.hex) {
    add('byte-range', false, !range ? 'no valid /ByteRange' : 'no hex /Contents string');
    return { whole: false };
  }
  const [start, firstLength, second, secondLength] = range;
  const fits = start === 0 && firstLength === contents.start && second === contents.end && second + secondLength <= pdf.length;
  add('byte-range', fits, `[${range.join(' ')}]; /Contents occupies [${contents.start}, ${contents.end})`);
  if (!fits) return { whole: false };
  const whole = second + secondLength === pdf.length;
  add('whole-document', whole, whole ? 'Total document signed' : `${pdf.length - second - secondLength} bytes after the signed range are not covered`);
  return { signed: Buffer.concat([pdf.subarray(0, firstLength), pdf.subarray(second, second + secondLength)]), whole };
}

/** The DER CMS inside the zero-padded /Contents, parsed. */
function parseContents(contents: Buffer, add: Add): { cms: ParsedSignedData; si: ParsedSignerInfo; signedAttributesDer: Buffer } | undefined {
  try {
    const der = readTlv(contents).bytes;
    if (contents.subarray(der.length).some((b) => b !== 0)) throw new Error('non-zero bytes after the CMS');
    const cms = parseSignedData(Buffer.from(der));
    const [si, ...others] = cms.signerInfos;
    const problems: string[] = [];
    if (!si || others.length > 0) throw new Error(`expected exactly one signer, found ${cms.signerInfos.length}`);
    if (!si.signedAttributesDer) throw new Error('the CMS has no signed attributes');
    if (cms.hasEncapsulatedContent) problems.push('the CMS is not detached');
    if (cms.encapsulatedContentType !== OID.data) problems.push('the encapsulated content type is not id-data');
    if (si.signedAttributes.contentType !== OID.data) problems.push('the contentType attribute is not id-data');
    if (si.signedAttributes.malformed.length > 0) problems.push(`repeated or multi-valued attributes: ${si.signedAttributes.malformed.join(', ')}`);
    if (si.digestAlgorithm !== OID.sha256) problems.push(`digest algorithm ${si.digestAlgorithm} is not SHA-256`);
    if (si.signatureAlgorithm !== OID.rsaEncryption && si.signatureAlgorithm !== OID.sha256WithRSAEncryption) {
      problems.push(`signature algorithm ${si.signatureAlgorithm} is not RSA`);
    }
    add('cms-structure', problems.length === 0, problems.join('; ') || `detached SignedData, ${cms.certificatesDer.length} certificates`);
    return { cms, si, signedAttributesDer: si.signedAttributesDer };
  } catch (error) {
    add('cms-structure', false, `malformed CMS: ${(error as Error).message}`);
    return undefined;
  }
}

function checkSigningCertificateV2(signedAttributesDer: Buffer, certDer: Buffer, add: Add): void {
  try {
    const attributes = readSigningCertificateV2(signedAttributesDer);
    const first = attributes[0]?.[0];
    if (attributes.length !== 1 || !first) throw new Error(`expected one signing-certificate-v2 attribute, found ${attributes.length}`);
    const hash = essCertHash(first.hashAlgorithm, certDer);
    if (!hash) throw new Error(`unsupported hash algorithm ${first.hashAlgorithm}`);
    if (!sameBytes(hash, first.certHash)) throw new Error('certHash does not match the signer certificate');
    if (first.issuerSerial) {
      const id = certificateIssuerAndSerial(certDer);
      const same =
        sameBytes(id.issuerDer, first.issuerSerial.issuerDer) && normaliseSerialHex(id.serialHex) === normaliseSerialHex(first.issuerSerial.serialHex);
      if (!same) throw new Error('issuerSerial does not match the signer certificate');
    }
    add('signing-certificate-v2', true, `${first.hashAlgorithm} certHash matches${first.issuerSerial ? ', issuerSerial matches' : ''}`);
  } catch (error) {
    add('signing-certificate-v2', false, (error as Error).message);
  }
}

function within(date: Date, cert: X509Certificate): boolean {
  return date >= new Date(cert.validFrom) && date <= new Date(cert.validTo);
}

function checkCertificate(certDer: Buffer, signingTime: Date | undefined, options: VerifySealedPdfOptions, add: Add): forge.pki.Certificate {
  const signer = new X509Certificate(certDer);
  const forgeCert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(certDer.toString('binary')));
  const ca = new X509Certificate(options.caCertificatePem);
  const chain: string[] = [];
  if (!ca.ca) chain.push('the given CA certificate is not a CA');
  if (!signer.checkIssued(ca) || !signer.verify(ca.publicKey)) chain.push('the signer certificate is not issued by the CA');
  if (signer.ca) chain.push('the signer certificate is a CA certificate');
  const keyUsage = forgeCert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (!keyUsage?.digitalSignature && !keyUsage?.nonRepudiation) chain.push('the signer certificate is not for digital signatures');
  add('certificate-chain', chain.length === 0, chain.join('; ') || `issued by ${ca.subject.replace(/\n/g, ', ')}`);

  if (!signingTime) {
    add('certificate-validity', false, 'no signing time to judge validity at');
    return forgeCert;
  }
  const at = signingTime.toISOString();
  const validity = [
    !within(signingTime, signer) && `the signer certificate was not valid at ${at}`,
    !within(signingTime, ca) && `the CA certificate was not valid at ${at}`,
  ];
  const invalid = validity.filter((p): p is string => typeof p === 'string');
  add('certificate-validity', invalid.length === 0, invalid.join('; ') || `valid at ${at}`);

  const serial = normaliseSerialHex(forgeCert.serialNumber);
  const revocation = (options.revokedSerials ?? []).find((r) => normaliseSerialHex(r.serialHex) === serial);
  if (!revocation) add('revocation', true, 'not revoked');
  else if (revocation.revokedAt <= signingTime) add('revocation', false, `revoked at ${revocation.revokedAt.toISOString()}, on or before signing`);
  else add('revocation', true, `revoked at ${revocation.revokedAt.toISOString()}, after signing`);
  return forgeCert;
}

/**
 * Verifies the last signature of a PDF sealed by `sealPdf` as a PAdES B-B seal of the organisation:
 * that it covers the whole file but /Contents, the SHA-256 digest of the byte ranges, the RSA
 * signature over the signed attributes (as received), signing-certificate-v2, the absence of a CMS
 * signing-time, the chain to the CA, validity at /M, and revocation at /M. Never throws.
 */
export function verifySealedPdf(pdf: Buffer, options: VerifySealedPdfOptions): PdfVerification {
  const checks: PdfVerificationCheck[] = [];
  const add: Add = (check, ok, detail) => {
    checks.push({ check, ok, detail });
    return ok;
  };
  const partial: Omit<PdfVerification, 'ok' | 'checks'> = { coversWholeFile: false };
  const done = (): PdfVerification => ({ ok: checks.length > 0 && checks.every((c) => c.ok), checks, ...partial });

  let sig: PdfSignatureDictionary | undefined;
  try {
    sig = lastSignature(findSignatureDictionaries(pdf));
  } catch (error) {
    add('signature-dictionary', false, `unreadable PDF: ${(error as Error).message}`);
    return done();
  }
  if (!sig) {
    add('signature-dictionary', false, 'no signed signature field');
    return done();
  }
  add('signature-dictionary', sig.type === undefined || sig.type === 'Sig', `field ${sig.fieldName ?? '?'}, /Type /${sig.type ?? '(none)'}`);
  add('sub-filter', sig.subFilter === SUBFILTER_CADES, `/SubFilter /${sig.subFilter ?? '(none)'}`);
  partial.signingTime = parsePdfDate(sig.m);
  add('signing-time', !!partial.signingTime, partial.signingTime ? `/M ${partial.signingTime.toISOString()}` : `no valid /M (${sig.m ?? 'absent'})`);
  const { signed, whole } = checkByteRange(pdf, sig, add);
  partial.coversWholeFile = whole;
  if (!signed || !sig.contents) return done();

  const parsed = parseContents(sig.contents.bytes, add);
  if (!parsed) return done();
  const { cms, si, signedAttributesDer } = parsed;
  const digest = createHash('sha256').update(signed).digest();
  const digestOk = !!si.signedAttributes.messageDigest && sameBytes(si.signedAttributes.messageDigest, digest);
  add('message-digest', digestOk, digestOk ? 'matches the signed byte ranges' : 'does not match the signed byte ranges');
  add(
    'no-cms-signing-time',
    !si.signedAttributes.signingTime,
    si.signedAttributes.signingTime ? 'PAdES B-B forbids a CMS signing-time attribute' : 'absent, as PAdES requires',
  );

  const certDer = cms.certificatesDer.find((der) => {
    try {
      const id = certificateIssuerAndSerial(der);
      return sameBytes(id.issuerDer, si.issuerDer) && normaliseSerialHex(id.serialHex) === normaliseSerialHex(si.serialHex);
    } catch {
      return false;
    }
  });
  if (!add('signer-certificate', !!certDer, certDer ? 'found in the CMS' : 'the signer certificate is not in the CMS') || !certDer) return done();
  try {
    const signatureOk = cryptoVerify('sha256', signedAttributesDer, new X509Certificate(certDer).publicKey, si.signature);
    add('signature', signatureOk, signatureOk ? 'RSA signature over the signed attributes verifies' : 'the signature does not verify');
    checkSigningCertificateV2(signedAttributesDer, certDer, add);
    const cert = checkCertificate(certDer, partial.signingTime, options, add);
    partial.signer = { subjectCommonName: subjectAttribute(cert, OID.commonName) ?? '', serialHex: normaliseSerialHex(cert.serialNumber) };
  } catch (error) {
    add('certificate', false, `certificate check failed: ${(error as Error).message}`);
  }
  return done();
}
