import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { certificateIssuerAndSerial } from './cms-parse';
import { createOrganisationCa, createSealingCertificate } from './organisation-ca';
import { certificateNames, OID, subjectAttribute, type OrganisationCa } from './x509-support';

const now = new Date('2026-03-01T09:00:00.000Z');
const atTime = String(Math.floor(now.getTime() / 1000) + 60);
const organisationName = 'Acme Médical GmbH & Søn';
let dir: string;
let ca: OrganisationCa;

function openssl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-ca-'));
  ca = createOrganisationCa({ organisationName, now, keyBits: 2048 });
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certificatePem);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('organisation root CA', () => {
  test('is a self-signed SHA-256 CA: critical basicConstraints and keyUsage, subject key id, 20 years', () => {
    const x509 = new X509Certificate(ca.certificatePem);
    expect(x509.ca).toBe(true);
    expect(x509.checkIssued(x509)).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);

    const text = openssl('x509', '-in', 'ca.pem', '-noout', '-text').stdout;
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toMatch(/X509v3 Subject Key Identifier:/);

    const cert = forge.pki.certificateFromPem(ca.certificatePem);
    expect(cert.validity.notBefore.toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(cert.validity.notAfter.toISOString()).toBe('2046-03-01T09:00:00.000Z');
    expect(subjectAttribute(cert, OID.commonName)).toBe(`${organisationName} Signature CA`);
    expect(subjectAttribute(cert, '2.5.4.10')).toBe(organisationName);
    expect(openssl('verify', '-attime', atTime, '-CAfile', 'ca.pem', 'ca.pem').stdout).toContain('ca.pem: OK');
  });

  test('has a random positive 16-byte serial number', () => {
    const serials = [ca, createOrganisationCa({ organisationName, now, keyBits: 2048 })].map(
      (c) => certificateIssuerAndSerial(new X509Certificate(c.certificatePem).raw).serialHex,
    );
    for (const serial of serials) expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/);
    expect(serials[0]).not.toBe(serials[1]);
  });

  test('the private key is PKCS#8 PEM and matches the certificate', () => {
    expect(ca.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const cert = forge.pki.certificateFromPem(ca.certificatePem);
    const key = forge.pki.privateKeyFromPem(ca.privateKeyPem) as forge.pki.rsa.PrivateKey;
    expect((cert.publicKey as forge.pki.rsa.PublicKey).n.equals(key.n)).toBe(true);
  });

  test('refuses an empty organisation name', () => {
    expect(() => createOrganisationCa({ organisationName: ' ', now, keyBits: 2048 })).toThrow(RangeError);
  });
});

describe('document sealing certificate', () => {
  test('is issued by the CA for digitalSignature + nonRepudiation, not a CA, issuer = CA subject byte for byte', () => {
    const seal = createSealingCertificate(ca, { organisationName, now, keyBits: 2048 });
    fs.writeFileSync(path.join(dir, 'seal.pem'), seal.certificatePem);
    const x509 = new X509Certificate(seal.certificatePem);
    expect(x509.ca).toBe(false);
    expect(x509.checkIssued(new X509Certificate(ca.certificatePem))).toBe(true);

    const text = openssl('x509', '-in', 'seal.pem', '-noout', '-text').stdout;
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toMatch(/X509v3 Authority Key Identifier:/);
    expect(openssl('verify', '-attime', atTime, '-CAfile', 'ca.pem', 'seal.pem').stdout).toContain('seal.pem: OK');

    const caSubject = forge.asn1.toDer(certificateNames(forge.pki.certificateFromPem(ca.certificatePem)).subject).getBytes();
    expect(certificateIssuerAndSerial(x509.raw).issuerDer.toString('binary')).toBe(caSubject);
    expect(subjectAttribute(forge.pki.certificateFromPem(seal.certificatePem), OID.commonName)).toBe(`${organisationName} Document Seal`);
  });
});
