import { sign as nodeSign } from 'node:crypto';
import forge from 'node-forge';
import { caKeyIdentifierBytes } from './certificate-builder';
import { assertKeyMatchesCertificate, certificateNames, normaliseSerialHex, OID, serialToAsn1, timeToAsn1, type OrganisationCa } from './x509-support';

export interface RevokedCertificate {
  serialHex: string;
  revokedAt: Date;
  /**
   * Free text is accepted (it stays in the caller's records); only an RFC 5280 reason name such as
   * "keyCompromise" or "superseded" becomes a reasonCode entry extension in the CRL.
   */
  reason?: string;
}

export interface CreateCrlOptions {
  now: Date;
  nextUpdateDays?: number;
  /** Monotonically increasing CRL number; defaults to `now` in whole seconds since the epoch. */
  crlNumber?: number;
}

const REASON_CODES: Record<string, number> = {
  keycompromise: 1,
  cacompromise: 2,
  affiliationchanged: 3,
  superseded: 4,
  cessationofoperation: 5,
  certificatehold: 6,
  removefromcrl: 8,
  privilegewithdrawn: 9,
  aacompromise: 10,
};

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;

function seq(...items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(U, asn1.Type.SEQUENCE, true, items);
}

function oid(value: string): forge.asn1.Asn1 {
  return asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
}

function integer(value: number): forge.asn1.Asn1 {
  return serialToAsn1(value.toString(16));
}

/** Extension ::= SEQUENCE { extnID, extnValue OCTET STRING (DER of the value) } (critical omitted = FALSE). */
function extension(id: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq(oid(id), asn1.create(U, asn1.Type.OCTETSTRING, false, asn1.toDer(value).getBytes()));
}

function revokedEntry(entry: RevokedCertificate): forge.asn1.Asn1 {
  const fields = [serialToAsn1(entry.serialHex), timeToAsn1(entry.revokedAt)];
  const code = entry.reason === undefined ? undefined : REASON_CODES[entry.reason.toLowerCase()];
  if (code !== undefined) {
    const enumerated = asn1.create(U, asn1.Type.ENUMERATED, false, String.fromCharCode(code));
    fields.push(seq(extension(OID.cRLReason, enumerated)));
  }
  return seq(...fields);
}

/**
 * An X.509 v2 CRL (RFC 5280) signed by the CA with SHA-256/RSA, with the authorityKeyIdentifier
 * and cRLNumber extensions. Returns PEM ("X509 CRL").
 */
export function createCrl(ca: OrganisationCa, revoked: RevokedCertificate[], options: CreateCrlOptions): string {
  const { now, nextUpdateDays = 7, crlNumber = Math.floor(now.getTime() / 1000) } = options;
  if (!(nextUpdateDays > 0)) throw new RangeError('nextUpdateDays must be positive');
  if (!Number.isSafeInteger(crlNumber) || crlNumber < 0) throw new RangeError('crlNumber must be a non-negative integer');
  const serials = revoked.map((r) => normaliseSerialHex(r.serialHex));
  if (new Set(serials).size !== serials.length) throw new RangeError('a serial number is listed twice');

  assertKeyMatchesCertificate(ca.certificatePem, ca.privateKeyPem, 'CA');
  const caCert = forge.pki.certificateFromPem(ca.certificatePem);

  const algorithm = seq(oid(OID.sha256WithRSAEncryption), asn1.create(U, asn1.Type.NULL, false, ''));
  const nextUpdate = new Date(now.getTime() + nextUpdateDays * 24 * 60 * 60 * 1000);
  const keyIdentifier = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, caKeyIdentifierBytes(caCert));
  const tbs = seq(
    integer(1),
    algorithm,
    // The CA subject exactly as encoded in its certificate (re-encoding parsed UTF-8 would not match).
    certificateNames(caCert).subject,
    timeToAsn1(now),
    timeToAsn1(nextUpdate),
    ...(revoked.length > 0 ? [seq(...revoked.map(revokedEntry))] : []),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      seq(extension(OID.authorityKeyIdentifier, seq(keyIdentifier)), extension(OID.cRLNumber, integer(crlNumber))),
    ]),
  );

  const signature = nodeSign('sha256', Buffer.from(asn1.toDer(tbs).getBytes(), 'binary'), ca.privateKeyPem).toString('binary');
  const crl = seq(tbs, algorithm, asn1.create(U, asn1.Type.BITSTRING, false, `\x00${signature}`));
  return forge.pem.encode({ type: 'X509 CRL', body: asn1.toDer(crl).getBytes() });
}
