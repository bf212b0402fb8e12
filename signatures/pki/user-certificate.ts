import forge from 'node-forge';
import { buildIssued, caOrganisationName } from './certificate-builder';
import { addYears, OID, rsaKeyPairPem, UTF8_TAG, wholeSecond, type OrganisationCa, type RandomBytes } from './x509-support';

export interface IssueUserCertificateOptions {
  /** Stable user id (a UUID): carried in the subject serialNumber attribute (PrintableString). */
  userId: string;
  /** Login name: carried in the subject UID attribute (UTF8String). */
  username: string;
  /** The signer's printed name (21 CFR 11.50): the subject common name, UTF8String, kept exactly. */
  printedName: string;
  publicKeyPem: string;
  now: Date;
  validityYears?: number;
  randomBytes?: RandomBytes;
}

export interface IssuedUserCertificate {
  certificatePem: string;
  /** Lower-case hex, as used for revocation and in the CRL. */
  serialHex: string;
  /** As encoded in the certificate: whole seconds. */
  notBefore: Date;
  notAfter: Date;
}

const PRINTABLE_STRING = /^[A-Za-z0-9 '()+,\-./:=?]+$/;

/** A user's RSA 2048 signing key pair (SPKI / PKCS#8 PEM). */
export function generateUserKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  return rsaKeyPairPem(2048);
}

/**
 * A signing certificate for one user: CN = printed name, UID = username, serialNumber = user id,
 * O = the CA's organisation; keyUsage digitalSignature + nonRepudiation (critical), not a CA.
 * The validity is cut to the CA's own.
 */
export function issueUserCertificate(ca: OrganisationCa, options: IssueUserCertificateOptions): IssuedUserCertificate {
  const { userId, username, printedName, publicKeyPem, now, validityYears = 5, randomBytes } = options;
  if (!PRINTABLE_STRING.test(userId)) throw new RangeError('userId must be a non-empty PrintableString (e.g. a UUID)');
  if (username === '') throw new RangeError('username must not be empty');
  if (printedName.trim() === '') throw new RangeError('printedName must not be empty');
  const publicKey = forge.pki.publicKeyFromPem(publicKeyPem) as forge.pki.rsa.PublicKey;
  if (!publicKey.n || publicKey.n.bitLength() < 2048) throw new RangeError('the user key must be RSA with at least 2048 bits');

  const subject: forge.pki.CertificateField[] = [{ name: 'commonName', value: printedName, valueTagClass: UTF8_TAG }];
  const organisationName = caOrganisationName(ca);
  if (organisationName !== undefined) subject.push({ name: 'organizationName', value: organisationName, valueTagClass: UTF8_TAG });
  subject.push({ type: OID.uid, value: username, valueTagClass: UTF8_TAG }, { type: OID.serialNumber, value: userId });

  const cert = buildIssued(ca, {
    subject,
    publicKey,
    notBefore: now,
    notAfter: addYears(now, validityYears),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    ],
    randomBytes,
  });
  return {
    certificatePem: forge.pki.certificateToPem(cert),
    serialHex: cert.serialNumber.toLowerCase(),
    notBefore: wholeSecond(cert.validity.notBefore),
    notAfter: wholeSecond(cert.validity.notAfter),
  };
}
