import forge from 'node-forge';
import { children, readTlv, type Tlv } from './der';
import { OID } from './x509-support';

/**
 * A small reader for CMS SignedData (RFC 5652) over the DER reader in der.ts. It keeps the exact
 * bytes of every element, so the signed attributes are verified over the bytes as received, never
 * over a re-encoding.
 */
const TAG = { INTEGER: 0x02, OCTET_STRING: 0x04, OID: 0x06, SEQUENCE: 0x30, SET: 0x31, UTC: 0x17, GENERALIZED: 0x18, CTX0: 0xa0 };

function expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) throw new Error(`malformed CMS: expected ${what}`);
  return tlv;
}

function oid(tlv: Tlv | undefined, what: string): string {
  return forge.asn1.derToOid(expect(tlv, TAG.OID, what).content.toString('binary'));
}

function time(tlv: Tlv | undefined): Date {
  if (tlv?.tag === TAG.UTC) return forge.asn1.utcTimeToDate(tlv.content.toString('latin1'));
  if (tlv?.tag === TAG.GENERALIZED) return forge.asn1.generalizedTimeToDate(tlv.content.toString('latin1'));
  throw new Error('malformed CMS: signingTime is not a time');
}

export interface SignedAttributes {
  contentType?: string;
  messageDigest?: Buffer;
  signingTime?: Date;
  /** Attribute types that occur more than once or carry more than one value (RFC 5652 forbids both). */
  malformed: string[];
}

export interface ParsedSignerInfo {
  /** DER of the issuer Name and the serial (lower-case hex) from IssuerAndSerialNumber. */
  issuerDer: Buffer;
  serialHex: string;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signature: Buffer;
  /** The [0] IMPLICIT signed attributes re-tagged as SET OF (0x31): the bytes the signature covers. */
  signedAttributesDer?: Buffer;
  signedAttributes: SignedAttributes;
}

export interface ParsedSignedData {
  encapsulatedContentType: string;
  hasEncapsulatedContent: boolean;
  certificatesDer: Buffer[];
  signerInfos: ParsedSignerInfo[];
}

function parseAttributes(set: Tlv): SignedAttributes {
  const result: SignedAttributes = { malformed: [] };
  const seen = new Set<string>();
  for (const attribute of children(set)) {
    const [typeTlv, valuesTlv] = children(expect(attribute, TAG.SEQUENCE, 'Attribute'));
    const type = oid(typeTlv, 'attribute type');
    const values = children(expect(valuesTlv, TAG.SET, 'attribute values'));
    if (seen.has(type) || values.length !== 1) result.malformed.push(type);
    seen.add(type);
    const value = values[0];
    if (type === OID.contentType) result.contentType = oid(value, 'contentType');
    else if (type === OID.messageDigest) result.messageDigest = expect(value, TAG.OCTET_STRING, 'messageDigest').content;
    else if (type === OID.signingTime) result.signingTime = time(value);
  }
  return result;
}

function parseSignerInfo(tlv: Tlv): ParsedSignerInfo {
  const items = children(expect(tlv, TAG.SEQUENCE, 'SignerInfo'));
  const [version, sid, digestAlgorithm] = items;
  if (expect(version, TAG.INTEGER, 'SignerInfo version').content.toString('hex') !== '01') {
    throw new Error('unsupported SignerInfo version (only IssuerAndSerialNumber signers are supported)');
  }
  const [issuer, serial] = children(expect(sid, TAG.SEQUENCE, 'IssuerAndSerialNumber'));
  let index = 3;
  let signedAttributes: SignedAttributes = { malformed: [] };
  let signedAttributesDer: Buffer | undefined;
  if (items[index]?.tag === TAG.CTX0) {
    const implicit = items[index]!;
    signedAttributesDer = Buffer.concat([Buffer.from([TAG.SET]), implicit.bytes.subarray(1)]);
    signedAttributes = parseAttributes(readTlv(signedAttributesDer, 0));
    index++;
  }
  const signatureAlgorithm = children(expect(items[index], TAG.SEQUENCE, 'signatureAlgorithm'))[0];
  return {
    issuerDer: Buffer.from(expect(issuer, TAG.SEQUENCE, 'issuer').bytes),
    serialHex: expect(serial, TAG.INTEGER, 'serialNumber').content.toString('hex'),
    digestAlgorithm: oid(children(expect(digestAlgorithm, TAG.SEQUENCE, 'digestAlgorithm'))[0], 'digest algorithm'),
    signatureAlgorithm: oid(signatureAlgorithm, 'signature algorithm'),
    signature: Buffer.from(expect(items[index + 1], TAG.OCTET_STRING, 'signature').content),
    signedAttributesDer,
    signedAttributes,
  };
}

/** Parses a DER ContentInfo holding SignedData; throws on anything malformed. */
export function parseSignedData(der: Buffer): ParsedSignedData {
  const contentInfo = readTlv(der, 0);
  if (contentInfo.bytes.length !== der.length) throw new Error('trailing bytes after the CMS ContentInfo');
  const [contentType, explicit] = children(expect(contentInfo, TAG.SEQUENCE, 'ContentInfo'));
  if (oid(contentType, 'content type') !== OID.signedData) throw new Error('the CMS is not SignedData');
  const [signedData] = children(expect(explicit, TAG.CTX0, '[0] content'));
  const items = children(expect(signedData, TAG.SEQUENCE, 'SignedData'));
  const encap = children(expect(items[2], TAG.SEQUENCE, 'EncapsulatedContentInfo'));
  const rest = items.slice(3);
  const certificates = rest.find((t) => t.tag === TAG.CTX0);
  const signerInfos = expect(rest[rest.length - 1], TAG.SET, 'SignerInfos');
  return {
    encapsulatedContentType: oid(encap[0], 'eContentType'),
    hasEncapsulatedContent: encap.length > 1,
    certificatesDer: certificates ? children(certificates).map((c) => Buffer.from(expect(c, TAG.SEQUENCE, 'Certificate').bytes)) : [],
    signerInfos: children(signerInfos).map(parseSignerInfo),
  };
}

/** The issuer Name (DER) and serial (hex) of a DER certificate, to match a SignerInfo's signer. */
export function certificateIssuerAndSerial(der: Buffer): { issuerDer: Buffer; serialHex: string } {
  const [tbs] = children(expect(readTlv(der, 0), TAG.SEQUENCE, 'Certificate'));
  const items = children(expect(tbs, TAG.SEQUENCE, 'TBSCertificate'));
  const i = items[0]?.tag === TAG.CTX0 ? 1 : 0;
  return {
    serialHex: expect(items[i], TAG.INTEGER, 'certificate serial').content.toString('hex'),
    issuerDer: Buffer.from(expect(items[i + 2], TAG.SEQUENCE, 'certificate issuer').bytes),
  };
}
