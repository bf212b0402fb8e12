import { createPublicKey, generateKeyPairSync, randomBytes as nodeRandomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** Source of randomness, e.g. `crypto.randomBytes`; passed in so callers and tests control it. */
export type RandomBytes = (size: number) => Buffer;

/** A PEM certificate with its PEM private key (PKCS#8). */
export interface CertificateAndKey {
  certificatePem: string;
  privateKeyPem: string;
}

/** The organisation's root CA as returned by `createOrganisationCa`. */
export type OrganisationCa = CertificateAndKey;

export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  commonName: '2.5.4.3',
  /** LDAP `uid` (RFC 4519): the login name. */
  uid: '0.9.2342.19200300.100.1.1',
  /** X.520 serialNumber: carries the stable user id. */
  serialNumber: '2.5.4.5',
  authorityKeyIdentifier: '2.5.29.35',
  cRLNumber: '2.5.29.20',
  cRLReason: '2.5.29.21',
} as const;

/** forge's typings declare `valueTagClass` as an asn1.Class although it holds a universal type tag. */
export const UTF8_TAG = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

/** A 16-byte positive serial with a non-zero first byte, so its DER INTEGER needs no padding. */
export function randomSerialHex(randomBytes: RandomBytes = nodeRandomBytes): string {
  const bytes = Buffer.from(randomBytes(16));
  if (bytes.length !== 16) throw new RangeError('randomBytes returned the wrong number of bytes');
  bytes[0] = 0x40 | (bytes[0]! & 0x3f);
  return bytes.toString('hex');
}

/** Lower-case hex without redundant leading zero octets, for comparing serial numbers. */
export function normaliseSerialHex(serialHex: string): string {
  const hex = serialHex.toLowerCase().replace(/[^0-9a-f]/g, '');
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return even.replace(/^(00)+(?=[0-9a-f]{2})/, '');
}

export function addYears(date: Date, years: number): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}

export function rsaKeyPairPem(modulusLength: number): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Throws unless the private key belongs to the certificate. */
export function assertKeyMatchesCertificate(certificatePem: string, privateKeyPem: string, what: string): void {
  const fromKey = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(fromCert)) throw new Error(`the ${what} private key does not belong to its certificate`);
}

/** An attribute value as text: forge leaves parsed UTF8String values as raw UTF-8 bytes. */
export function attributeText(field: forge.pki.CertificateField | undefined): string | undefined {
  if (typeof field?.value !== 'string') return undefined;
  return field.valueTagClass === UTF8_TAG ? forge.util.decodeUtf8(field.value) : field.value;
}

/** First value of a subject attribute, by OID, decoded. */
export function subjectAttribute(cert: forge.pki.Certificate, oid: string): string | undefined {
  return attributeText(cert.subject.attributes.find((a) => a.type === oid));
}

/**
 * The issuer and subject Name nodes exactly as encoded in the certificate (for a parsed
 * certificate forge keeps the original TBSCertificate), so they can be copied byte for byte:
 * re-encoding forge's parsed attributes would double-encode UTF-8 and flatten multi-valued RDNs.
 */
export function certificateNames(cert: forge.pki.Certificate): { issuer: forge.asn1.Asn1; subject: forge.asn1.Asn1 } {
  const root = forge.pki.certificateToAsn1(cert);
  const tbs = Array.isArray(root.value) ? root.value[0] : undefined;
  const items = tbs && Array.isArray(tbs.value) ? tbs.value : [];
  const i = items[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const issuer = items[i + 2];
  const subject = items[i + 4];
  if (!issuer || !subject) throw new Error('malformed certificate: no issuer or subject');
  return { issuer, subject };
}

/** RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050. */
export function timeToAsn1(date: Date): forge.asn1.Asn1 {
  const { asn1 } = forge;
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

/** A minimal DER INTEGER from a hex serial (adds a 0x00 octet when the high bit is set). */
export function serialToAsn1(serialHex: string): forge.asn1.Asn1 {
  let hex = normaliseSerialHex(serialHex);
  if (hex.length === 0) throw new RangeError(`invalid serial number: ${serialHex}`);
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

/** The Date as a whole second (UTCTime/GeneralizedTime in certificates drop milliseconds). */
export function wholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
