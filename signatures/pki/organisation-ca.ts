import forge from 'node-forge';
import { buildIssued, buildSelfSigned } from './certificate-builder';
import { addYears, rsaKeyPairPem, UTF8_TAG, type CertificateAndKey, type OrganisationCa, type RandomBytes } from './x509-support';

export interface CreateOrganisationCaOptions {
  organisationName: string;
  now: Date;
  validityYears?: number;
  /** RSA modulus length; 3072 for production, 2048 keeps tests fast. */
  keyBits?: 2048 | 3072 | 4096;
  /** For the certificate serial number; defaults to `crypto.randomBytes`. */
  randomBytes?: RandomBytes;
}

function organisationSubject(commonName: string, organisationName: string): forge.pki.CertificateField[] {
  if (organisationName.trim() === '') throw new RangeError('organisationName must not be empty');
  return [
    { name: 'commonName', value: commonName, valueTagClass: UTF8_TAG },
    { name: 'organizationName', value: organisationName, valueTagClass: UTF8_TAG },
  ];
}

/**
 * A self-signed root CA for one organisation: it issues the user signing certificates and the
 * document sealing certificate, and signs the CRL.
 */
export function createOrganisationCa(options: CreateOrganisationCaOptions): OrganisationCa {
  const { organisationName, now, validityYears = 20, keyBits = 3072, randomBytes } = options;
  const subject = organisationSubject(`${organisationName} Signature CA`, organisationName);
  const keys = rsaKeyPairPem(keyBits);
  const cert = buildSelfSigned(
    {
      subject,
      publicKey: forge.pki.publicKeyFromPem(keys.publicKeyPem) as forge.pki.rsa.PublicKey,
      notBefore: now,
      notAfter: addYears(now, validityYears),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
      randomBytes,
    },
    keys.privateKeyPem,
  );
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem: keys.privateKeyPem };
}

export interface CreateSealingCertificateOptions {
  organisationName: string;
  now: Date;
  validityYears?: number;
  keyBits?: 2048 | 3072 | 4096;
  randomBytes?: RandomBytes;
}

/** The organisation's document seal (e.g. for sealing exported PDFs): digitalSignature + nonRepudiation. */
export function createSealingCertificate(ca: OrganisationCa, options: CreateSealingCertificateOptions): CertificateAndKey {
  const { organisationName, now, validityYears = 5, keyBits = 3072, randomBytes } = options;
  const subject = organisationSubject(`${organisationName} Document Seal`, organisationName);
  const keys = rsaKeyPairPem(keyBits);
  const cert = buildIssued(ca, {
    subject,
    publicKey: forge.pki.publicKeyFromPem(keys.publicKeyPem) as forge.pki.rsa.PublicKey,
    notBefore: now,
    notAfter: addYears(now, validityYears),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    ],
    randomBytes,
  });
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem: keys.privateKeyPem };
}
