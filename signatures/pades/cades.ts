import { createHash, sign as nodeSign, X509Certificate } from 'node:crypto';
import { certificateIssuerAndSerial } from '../pki/cms-parse';
import { assertKeyMatchesCertificate, OID } from '../pki/x509-support';
import { children, der, derNull, derOid, derSetOf, expectTag, readOid, readTlv, TAG, type Tlv } from '../pki/der';

/** id-aa-signingCertificateV2 (RFC 5035): binds the signer certificate into the signed attributes. */
export const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

/** Digest algorithms an ESSCertIDv2 may name, as Node hash names. */
const ESS_HASHES: Record<string, string> = {
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export interface CadesSignerKeys {
  certificatePem: string;
  privateKeyPem: string;
  caCertificatePem: string;
}

const attribute = (type: string, value: Buffer): Buffer => der(TAG.SEQUENCE, derOid(type), der(TAG.SET, value));

const integerFromHex = (hex: string): Buffer => der(TAG.INTEGER, Buffer.from(hex, 'hex'));

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with one ESSCertIDv2 for the
 * signer: hashAlgorithm omitted (DEFAULT sha256), certHash = SHA-256 of the certificate DER, and
 * issuerSerial = { issuer: [4] directoryName, serialNumber }, copied byte for byte from the certificate.
 */
export function signingCertificateV2(certDer: Buffer): Buffer {
  const { issuerDer, serialHex } = certificateIssuerAndSerial(certDer);
  const issuerSerial = der(TAG.SEQUENCE, der(TAG.SEQUENCE, der(TAG.CTX4_CONSTRUCTED, issuerDer)), integerFromHex(serialHex));
  const essCertIdV2 = der(TAG.SEQUENCE, der(TAG.OCTET_STRING, createHash('sha256').update(certDer).digest()), issuerSerial);
  return der(TAG.SEQUENCE, der(TAG.SEQUENCE, essCertIdV2));
}

/**
 * A detached CAdES-B-B CMS SignedData (ETSI EN 319 122-1) over a precomputed SHA-256 content digest:
 * signed attributes contentType (id-data), messageDigest and signing-certificate-v2, and no
 * signing-time attribute (PAdES puts the claimed time into the signature dictionary's /M).
 * RSASSA-PKCS1-v1_5 with SHA-256 via Node's crypto; carries the signer and CA certificates. Returns DER.
 */
export function buildCadesDetached(contentDigest: Buffer, keys: CadesSignerKeys): Buffer {
  if (contentDigest.length !== 32) throw new RangeError('expected a SHA-256 digest');
  assertKeyMatchesCertificate(keys.certificatePem, keys.privateKeyPem, 'seal');
  const certDer = new X509Certificate(keys.certificatePem).raw;
  const caDer = new X509Certificate(keys.caCertificatePem).raw;
  const { issuerDer, serialHex } = certificateIssuerAndSerial(certDer);
  const sha256 = der(TAG.SEQUENCE, derOid(OID.sha256));

  const signedAttributes = derSetOf([
    attribute(OID.contentType, derOid(OID.data)),
    attribute(OID.messageDigest, der(TAG.OCTET_STRING, contentDigest)),
    attribute(OID_SIGNING_CERTIFICATE_V2, signingCertificateV2(certDer)),
  ]);
  const signature = nodeSign('sha256', signedAttributes, keys.privateKeyPem);
  const signerInfo = der(
    TAG.SEQUENCE,
    integerFromHex('01'),
    der(TAG.SEQUENCE, issuerDer, integerFromHex(serialHex)),
    sha256,
    // [0] IMPLICIT SET OF Attribute: the same bytes as the signed SET, re-tagged.
    Buffer.concat([Buffer.from([TAG.CTX0_CONSTRUCTED]), signedAttributes.subarray(1)]),
    der(TAG.SEQUENCE, derOid(OID.rsaEncryption), derNull()),
    der(TAG.OCTET_STRING, signature),
  );
  const signedData = der(
    TAG.SEQUENCE,
    integerFromHex('01'),
    der(TAG.SET, sha256),
    der(TAG.SEQUENCE, derOid(OID.data)),
    derSetOf(caDer.equals(certDer) ? [certDer] : [certDer, caDer], TAG.CTX0_CONSTRUCTED),
    der(TAG.SET, signerInfo),
  );
  return der(TAG.SEQUENCE, derOid(OID.signedData), der(TAG.CTX0_CONSTRUCTED, signedData));
}

export interface EssCertIdV2 {
  /** Node hash name (sha256, sha384, sha512), or the OID when unsupported. */
  hashAlgorithm: string;
  certHash: Buffer;
  issuerSerial?: { issuerDer: Buffer; serialHex: string };
}

function parseEssCertIdV2(tlv: Tlv): EssCertIdV2 {
  const items = children(expectTag(tlv, TAG.SEQUENCE, 'ESSCertIDv2'));
  let index = 0;
  let hashAlgorithm = 'sha256';
  if (items[0]?.tag === TAG.SEQUENCE) {
    const oid = readOid(children(items[0])[0], 'ESSCertIDv2 hashAlgorithm');
    hashAlgorithm = ESS_HASHES[oid] ?? oid;
    index = 1;
  }
  const certHash = Buffer.from(expectTag(items[index], TAG.OCTET_STRING, 'ESSCertIDv2 certHash').content);
  const issuerSerialTlv = items[index + 1];
  if (!issuerSerialTlv) return { hashAlgorithm, certHash };
  const [generalNames, serial] = children(expectTag(issuerSerialTlv, TAG.SEQUENCE, 'IssuerSerial'));
  const directoryName = children(expectTag(generalNames, TAG.SEQUENCE, 'GeneralNames')).find((n) => n.tag === TAG.CTX4_CONSTRUCTED);
  const name = directoryName ? children(directoryName)[0] : undefined;
  return {
    hashAlgorithm,
    certHash,
    issuerSerial: {
      issuerDer: Buffer.from(expectTag(name, TAG.SEQUENCE, 'IssuerSerial directoryName').bytes),
      serialHex: expectTag(serial, TAG.INTEGER, 'IssuerSerial serialNumber').content.toString('hex'),
    },
  };
}

/**
 * The ESSCertIDv2 lists of every signing-certificate-v2 attribute in a DER SET OF signed attributes
 * (one entry per attribute occurrence, so a caller can insist on exactly one). Throws when malformed.
 */
export function readSigningCertificateV2(signedAttributesDer: Buffer): EssCertIdV2[][] {
  const found: EssCertIdV2[][] = [];
  for (const attr of children(expectTag(readTlv(signedAttributesDer), TAG.SET, 'signed attributes'))) {
    const [type, values] = children(expectTag(attr, TAG.SEQUENCE, 'Attribute'));
    if (readOid(type, 'attribute type') !== OID_SIGNING_CERTIFICATE_V2) continue;
    const [value, ...more] = children(expectTag(values, TAG.SET, 'attribute values'));
    if (!value || more.length > 0) throw new Error('signing-certificate-v2 must have exactly one value');
    const [certs] = children(expectTag(value, TAG.SEQUENCE, 'SigningCertificateV2'));
    found.push(children(expectTag(certs, TAG.SEQUENCE, 'SigningCertificateV2 certs')).map(parseEssCertIdV2));
  }
  return found;
}

/** Hashes a certificate with an ESSCertIDv2 hash algorithm; undefined when the algorithm is unsupported. */
export function essCertHash(hashAlgorithm: string, certDer: Buffer): Buffer | undefined {
  return Object.values(ESS_HASHES).includes(hashAlgorithm) ? createHash(hashAlgorithm).update(certDer).digest() : undefined;
}
