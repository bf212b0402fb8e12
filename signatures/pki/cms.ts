import { constants, createHash, createPrivateKey, privateEncrypt, timingSafeEqual, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { certificateIssuerAndSerial, parseSignedData, type ParsedSignerInfo } from './cms-parse';
import { manifestBytes, manifestSignedAt, type SignatureManifest } from './signature-manifest';
import { assertKeyMatchesCertificate, certificateNames, normaliseSerialHex, OID, subjectAttribute, wholeSecond } from './x509-support';

export interface SignDetachedCmsOptions {
  /** The exact bytes signed; not carried in the CMS (detached). */
  content: Buffer;
  /** Goes into the signed signingTime attribute (whole seconds). */
  signingTime: Date;
  certificatePem: string;
  privateKeyPem: string;
  caCertificatePem: string;
}

/** DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2): followed by the 32-byte digest. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * A signer for forge's pkcs7: forge digests the signed attributes, the RSASSA-PKCS1-v1_5 private-key
 * operation runs in Node (native OpenSSL) rather than in forge's JavaScript RSA.
 */
function nodeRsaSigner(privateKeyPem: string): forge.pki.rsa.PrivateKey {
  const key = createPrivateKey(privateKeyPem);
  const sign = (md: forge.md.MessageDigest): string => {
    if (md.algorithm !== 'sha256') throw new Error(`unexpected digest ${md.algorithm}`);
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
  };
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

/**
 * A detached CMS SignedData (RFC 5652): SHA-256 with RSA, signed attributes contentType,
 * signingTime and messageDigest, carrying the signer and CA certificates. Returns base64 DER.
 * Refuses a key that does not match the certificate, and a certificate not valid at signingTime.
 */
export function signDetachedCms(options: SignDetachedCmsOptions): string {
  const { content, signingTime, certificatePem, privateKeyPem, caCertificatePem } = options;
  assertKeyMatchesCertificate(certificatePem, privateKeyPem, 'signer');
  const cert = forge.pki.certificateFromPem(certificatePem);
  if (signingTime < cert.validity.notBefore || signingTime > cert.validity.notAfter) {
    throw new RangeError('the signing certificate is not valid at the signing time');
  }

  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content.toString('binary'));
  p7.addCertificate(cert);
  p7.addCertificate(caCertificatePem);
  p7.addSigner({
    key: nodeRsaSigner(privateKeyPem),
    certificate: cert,
    digestAlgorithm: OID.sha256,
    // In DER SET OF order (by encoding: the shorter SEQUENCEs first), so the SET is valid DER.
    authenticatedAttributes: [
      { type: OID.contentType, value: OID.data },
      { type: OID.signingTime, value: signingTime.toISOString() },
      { type: OID.messageDigest },
    ],
  });
  p7.sign({ detached: true });
  // forge re-encodes the issuer from parsed attributes (double-encoding UTF-8); use the exact bytes.
  const [signerInfo] = (p7 as unknown as { signerInfos: forge.asn1.Asn1[] }).signerInfos;
  const sid = Array.isArray(signerInfo?.value) ? signerInfo.value[1] : undefined;
  if (!sid || !Array.isArray(sid.value)) throw new Error('unexpected SignerInfo from node-forge');
  sid.value[0] = certificateNames(cert).issuer;
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary').toString('base64');
}

export interface SignManifestCmsOptions {
  manifest: SignatureManifest;
  certificatePem: string;
  privateKeyPem: string;
  caCertificatePem: string;
}

/**
 * signDetachedCms over the manifest's canonical bytes, with signingTime = manifest.signedAt.
 * Refuses a certificate that does not name the manifest's signer (user id and printed name), since
 * verifyManifestCms would reject the signature: after a change of printed name, issue a new certificate.
 */
export function signManifestCms(options: SignManifestCmsOptions): string {
  const { manifest, ...keys } = options;
  const cert = forge.pki.certificateFromPem(keys.certificatePem);
  if (subjectAttribute(cert, OID.serialNumber) !== manifest.signerId) throw new Error('the certificate belongs to another user than manifest.signerId');
  if (subjectAttribute(cert, OID.commonName) !== manifest.printedName) throw new Error('the certificate name differs from manifest.printedName');
  return signDetachedCms({ content: manifestBytes(manifest), signingTime: manifestSignedAt(manifest), ...keys });
}

export interface RevokedSerial {
  serialHex: string;
  revokedAt: Date;
}

export interface VerifyDetachedCmsOptions {
  content: Buffer;
  cmsBase64: string;
  caCertificatePem: string;
  /** The time the signature claims (e.g. manifest.signedAt); validity and revocation are judged at it. */
  signingTime: Date;
  revokedSerials?: RevokedSerial[];
  /** When given, the certificate must name this user id (subject serialNumber) and printed name (CN). */
  expectedSigner?: { userId?: string; printedName?: string };
}

export interface VerifyManifestCmsOptions {
  manifest: SignatureManifest;
  cmsBase64: string;
  caCertificatePem: string;
  revokedSerials?: RevokedSerial[];
}

export interface SignerCertificateInfo {
  serialHex: string;
  subjectCommonName: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CmsVerification {
  ok: boolean;
  problems: string[];
  signerCertificate?: SignerCertificateInfo;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkSignerInfo(si: ParsedSignerInfo, options: VerifyDetachedCmsOptions, problems: string[]): void {
  if (si.digestAlgorithm !== OID.sha256) problems.push(`digest algorithm ${si.digestAlgorithm} is not SHA-256`);
  if (si.signatureAlgorithm !== OID.rsaEncryption && si.signatureAlgorithm !== OID.sha256WithRSAEncryption) {
    problems.push(`signature algorithm ${si.signatureAlgorithm} is not RSA`);
  }
  const attrs = si.signedAttributes;
  if (attrs.malformed.length > 0) problems.push(`signed attributes repeated or multi-valued: ${attrs.malformed.join(', ')}`);
  if (attrs.contentType !== OID.data) problems.push('the signed contentType attribute is not id-data');
  const digest = createHash('sha256').update(options.content).digest();
  if (!attrs.messageDigest || !sameBytes(attrs.messageDigest, digest)) problems.push('the message digest does not match the content');
  if (!attrs.signingTime) problems.push('no signingTime attribute');
  else if (attrs.signingTime.getTime() !== wholeSecond(options.signingTime).getTime()) {
    problems.push(`signingTime ${attrs.signingTime.toISOString()} differs from the claimed ${options.signingTime.toISOString()}`);
  }
}

function within(date: Date, cert: forge.pki.Certificate): boolean {
  return date >= cert.validity.notBefore && date <= cert.validity.notAfter;
}

function checkCertificate(signer: forge.pki.Certificate, signerX509: X509Certificate, options: VerifyDetachedCmsOptions, problems: string[]): void {
  const { signingTime, expectedSigner } = options;
  const at = signingTime.toISOString();
  const caX509 = new X509Certificate(options.caCertificatePem);
  const ca = forge.pki.certificateFromPem(options.caCertificatePem);
  if (!caX509.ca) problems.push('the given CA certificate is not a CA');
  if (!signerX509.checkIssued(caX509) || !signerX509.verify(caX509.publicKey)) problems.push('the signer certificate is not issued by the CA');
  if (signerX509.ca) problems.push('the signer certificate is a CA certificate');
  const keyUsage = signer.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (!keyUsage?.digitalSignature && !keyUsage?.nonRepudiation) problems.push('the signer certificate is not for digital signatures');
  if (!within(signingTime, signer)) problems.push(`the signer certificate was not valid at ${at}`);
  if (!within(signingTime, ca)) problems.push(`the CA certificate was not valid at ${at}`);
  if (expectedSigner?.userId !== undefined && subjectAttribute(signer, OID.serialNumber) !== expectedSigner.userId) {
    problems.push('the certificate belongs to another user (user id differs)');
  }
  if (expectedSigner?.printedName !== undefined && subjectAttribute(signer, OID.commonName) !== expectedSigner.printedName) {
    problems.push('the certificate name differs from the printed name');
  }
  const serial = normaliseSerialHex(signer.serialNumber);
  for (const revoked of options.revokedSerials ?? []) {
    if (normaliseSerialHex(revoked.serialHex) === serial && revoked.revokedAt <= signingTime) {
      problems.push(`the signer certificate was revoked at ${revoked.revokedAt.toISOString()}, on or before signing`);
    }
  }
}

/**
 * Verifies a detached CMS signature as of its signing time: the content digest, the RSA signature
 * over the signed attributes (as received), the chain to the CA, validity at signingTime, the
 * expected signer, and revocation. Only revocations at or before signingTime count, so signatures
 * made before a revocation stay valid.
 */
export function verifyDetachedCms(options: VerifyDetachedCmsOptions): CmsVerification {
  const problems: string[] = [];
  const fail = (problem: string): CmsVerification => ({ ok: false, problems: [...problems, problem] });
  let parsed: ReturnType<typeof parseSignedData>;
  try {
    parsed = parseSignedData(Buffer.from(options.cmsBase64, 'base64'));
  } catch (error) {
    return fail(`malformed CMS: ${(error as Error).message}`);
  }
  if (parsed.encapsulatedContentType !== OID.data) problems.push('the encapsulated content type is not id-data');
  if (parsed.hasEncapsulatedContent) problems.push('the CMS is not detached');
  const [si, ...others] = parsed.signerInfos;
  if (!si || others.length > 0) return fail(`expected exactly one signer, found ${parsed.signerInfos.length}`);
  if (!si.signedAttributesDer) return fail('the CMS has no signed attributes');
  checkSignerInfo(si, options, problems);

  const certDer = parsed.certificatesDer.find((der) => {
    try {
      const id = certificateIssuerAndSerial(der);
      return sameBytes(id.issuerDer, si.issuerDer) && normaliseSerialHex(id.serialHex) === normaliseSerialHex(si.serialHex);
    } catch {
      return false;
    }
  });
  if (!certDer) return fail('the signer certificate is not in the CMS');
  let signer: forge.pki.Certificate;
  try {
    const signerX509 = new X509Certificate(certDer);
    signer = forge.pki.certificateFromAsn1(forge.asn1.fromDer(certDer.toString('binary')));
    if (!cryptoVerify('sha256', si.signedAttributesDer, signerX509.publicKey, si.signature)) problems.push('the signature does not verify');
    checkCertificate(signer, signerX509, options, problems);
  } catch (error) {
    return fail(`certificate check failed: ${(error as Error).message}`);
  }
  return {
    ok: problems.length === 0,
    problems,
    signerCertificate: {
      serialHex: normaliseSerialHex(signer.serialNumber),
      subjectCommonName: subjectAttribute(signer, OID.commonName) ?? '',
      notBefore: signer.validity.notBefore,
      notAfter: signer.validity.notAfter,
    },
  };
}

/** verifyDetachedCms over the manifest's canonical bytes at manifest.signedAt, for manifest.signerId / printedName. */
export function verifyManifestCms(options: VerifyManifestCmsOptions): CmsVerification {
  const { manifest, ...rest } = options;
  let signingTime: Date;
  try {
    signingTime = manifestSignedAt(manifest);
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
  const expectedSigner = { userId: manifest.signerId, printedName: manifest.printedName };
  return verifyDetachedCms({ ...rest, content: manifestBytes(manifest), signingTime, expectedSigner });
}
