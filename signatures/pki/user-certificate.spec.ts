import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { certificateIssuerAndSerial } from './cms-parse';
import { createOrganisationCa } from './organisation-ca';
import { generateUserKeyPair, issueUserCertificate, type IssueUserCertificateOptions } from './user-certificate';
import { certificateNames, OID, subjectAttribute, type OrganisationCa } from './x509-support';

const now = new Date('2026-03-01T09:00:00.789Z');
const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
let dir: string;
let ca: OrganisationCa;
let keys: { publicKeyPem: string; privateKeyPem: string };

function issue(overrides: Partial<IssueUserCertificateOptions> = {}) {
  return issueUserCertificate(ca, { userId, username: 'zoe', printedName: 'Zoë Ångström', publicKeyPem: keys.publicKeyPem, now, ...overrides });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-user-cert-'));
  ca = createOrganisationCa({ organisationName: 'Acme Médical', now, keyBits: 2048 });
  keys = generateUserKeyPair();
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certificatePem);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('user signing certificate', () => {
  test('names the person: CN = printed name (UTF8String), UID = username, serialNumber = user id, O = organisation', () => {
    const issued = issue({ username: 'zoë.å' });
    const cert = forge.pki.certificateFromPem(issued.certificatePem);
    expect(subjectAttribute(cert, OID.commonName)).toBe('Zoë Ångström');
    expect(subjectAttribute(cert, OID.uid)).toBe('zoë.å');
    expect(subjectAttribute(cert, OID.serialNumber)).toBe(userId);
    expect(subjectAttribute(cert, '2.5.4.10')).toBe('Acme Médical');
    const cn = cert.subject.attributes.find((a) => a.type === OID.commonName);
    expect(cn?.valueTagClass).toBe(forge.asn1.Type.UTF8);
  });

  test('is for signatures only, chains to the CA, and carries authority and subject key identifiers', () => {
    const issued = issue();
    fs.writeFileSync(path.join(dir, 'user.pem'), issued.certificatePem);
    const x509 = new X509Certificate(issued.certificatePem);
    const caX509 = new X509Certificate(ca.certificatePem);
    expect(x509.ca).toBe(false);
    expect(x509.checkIssued(caX509) && x509.verify(caX509.publicKey)).toBe(true);

    const attime = String(Math.floor(now.getTime() / 1000) + 60);
    const verify = spawnSync('openssl', ['verify', '-attime', attime, '-CAfile', 'ca.pem', 'user.pem'], { cwd: dir, encoding: 'utf8' });
    expect(verify.stdout).toContain('user.pem: OK');
    const text = spawnSync('openssl', ['x509', '-in', 'user.pem', '-noout', '-text'], { cwd: dir, encoding: 'utf8' }).stdout;
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    const caSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(
      spawnSync('openssl', ['x509', '-in', 'ca.pem', '-noout', '-text'], { cwd: dir, encoding: 'utf8' }).stdout,
    )?.[1];
    expect(caSki).toBeDefined();
    expect(text).toContain(`Authority Key Identifier: \n                ${caSki}`);

    const caSubject = forge.asn1.toDer(certificateNames(forge.pki.certificateFromPem(ca.certificatePem)).subject).getBytes();
    expect(certificateIssuerAndSerial(x509.raw).issuerDer.toString('binary')).toBe(caSubject);
  });

  test('reports the serial and whole-second validity; 5 years by default, never beyond the CA', () => {
    const issued = issue();
    expect(issued.serialHex).toMatch(/^[4-7][0-9a-f]{31}$/);
    expect(issued.serialHex).toBe(new X509Certificate(issued.certificatePem).serialNumber.toLowerCase());
    expect(issued.notBefore.toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(issued.notAfter.toISOString()).toBe('2031-03-01T09:00:00.000Z');
    const long = issue({ validityYears: 50 });
    expect(long.notAfter.toISOString()).toBe('2046-03-01T09:00:00.000Z');
  });

  test('refuses a user id that is not a PrintableString, an empty name, a small key, or a time outside the CA', () => {
    expect(() => issue({ userId: 'user_1' })).toThrow(RangeError);
    expect(() => issue({ printedName: '  ' })).toThrow(RangeError);
    expect(() => issue({ now: new Date('2020-01-01T00:00:00Z') })).toThrow(RangeError);
    const { publicKey } = forge.pki.rsa.generateKeyPair({ bits: 512, e: 0x10001 });
    expect(() => issue({ publicKeyPem: forge.pki.publicKeyToPem(publicKey) })).toThrow(RangeError);
  });

  test('generateUserKeyPair gives RSA 2048 PEM keys', () => {
    const pair = generateUserKeyPair();
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect((forge.pki.publicKeyFromPem(pair.publicKeyPem) as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
  });
});
