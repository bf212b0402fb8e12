import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCrl } from './crl';
import { createOrganisationCa } from './organisation-ca';
import { generateUserKeyPair, issueUserCertificate } from './user-certificate';
import type { OrganisationCa } from './x509-support';

const now = new Date('2026-03-01T09:00:00.000Z');
let dir: string;
let ca: OrganisationCa;

function openssl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeCrl(pem: string): void {
  fs.writeFileSync(path.join(dir, 'crl.pem'), pem);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-crl-'));
  ca = createOrganisationCa({ organisationName: 'Acme Médical', now, keyBits: 2048 });
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certificatePem);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('certificate revocation list', () => {
  test('is a v2 CRL signed by the CA that lists the revoked serials, dates and RFC 5280 reasons', () => {
    writeCrl(
      createCrl(
        ca,
        [
          { serialHex: '4a1b2c3d4e5f60718293a4b5c6d7e8f9', revokedAt: new Date('2026-02-01T12:00:00Z'), reason: 'keyCompromise' },
          { serialHex: 'ff01', revokedAt: new Date('2026-02-02T12:00:00Z'), reason: 'key could not be opened with the previous password' },
          { serialHex: '0x01', revokedAt: new Date('2026-02-03T12:00:00Z') },
        ],
        { now, crlNumber: 42 },
      ),
    );
    const result = openssl('crl', '-in', 'crl.pem', '-noout', '-text', '-CAfile', 'ca.pem');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('verify OK');
    const text = result.stdout;
    expect(text).toContain('Version 2 (0x1)');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Issuer: CN = Acme M\\C3\\A9dical Signature CA, O = Acme M\\C3\\A9dical');
    expect(text).toContain('Last Update: Mar  1 09:00:00 2026 GMT');
    expect(text).toContain('Next Update: Mar  8 09:00:00 2026 GMT');
    expect(text).toMatch(/X509v3 CRL Number: \n\s+42/);
    expect(text).toMatch(/X509v3 Authority Key Identifier:/);
    expect(text).toMatch(
      /Serial Number: 4A1B2C3D4E5F60718293A4B5C6D7E8F9\n\s+Revocation Date: Feb {2}1 12:00:00 2026 GMT\n\s+CRL entry extensions:\n\s+X509v3 CRL Reason Code: \n\s+Key Compromise/,
    );
    expect(text).toMatch(/Serial Number: FF01\n\s+Revocation Date: Feb {2}2 12:00:00 2026 GMT\n\s+Serial Number: 01\n/);
  });

  test('OpenSSL treats a listed certificate as revoked and an unlisted one as good', () => {
    const keys = generateUserKeyPair();
    const issue = (printedName: string) =>
      issueUserCertificate(ca, { userId: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b', username: 'u', printedName, publicKeyPem: keys.publicKeyPem, now });
    const revoked = issue('Revoked Person');
    const good = issue('Good Person');
    fs.writeFileSync(path.join(dir, 'revoked.pem'), revoked.certificatePem);
    fs.writeFileSync(path.join(dir, 'good.pem'), good.certificatePem);
    writeCrl(createCrl(ca, [{ serialHex: revoked.serialHex, revokedAt: new Date('2026-03-01T10:00:00Z'), reason: 'superseded' }], { now }));
    const attime = String(Math.floor(new Date('2026-03-02T00:00:00Z').getTime() / 1000));
    const verify = (file: string) => openssl('verify', '-attime', attime, '-crl_check', '-CAfile', 'ca.pem', '-CRLfile', 'crl.pem', file);
    expect(verify('good.pem').stdout).toContain('good.pem: OK');
    const result = verify('revoked.pem');
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('certificate revoked');
  });

  test('an empty CRL omits revokedCertificates; the default CRL number is now in seconds; 2050+ dates are GeneralizedTime', () => {
    writeCrl(createCrl(ca, [], { now, nextUpdateDays: 1 }));
    const empty = openssl('crl', '-in', 'crl.pem', '-noout', '-text', '-CAfile', 'ca.pem');
    expect(empty.stderr).toContain('verify OK');
    expect(empty.stdout).toContain('No Revoked Certificates.');
    expect(empty.stdout).toMatch(new RegExp(`X509v3 CRL Number: \\n\\s+${now.getTime() / 1000}`));
    expect(empty.stdout).toContain('Next Update: Mar  2 09:00:00 2026 GMT');

    writeCrl(createCrl(ca, [{ serialHex: '7f', revokedAt: new Date('2051-01-01T00:00:00Z') }], { now }));
    const asn1 = openssl('asn1parse', '-in', 'crl.pem').stdout;
    expect(asn1).toMatch(/GENERALIZEDTIME\s+:20510101000000Z/);
    expect(openssl('crl', '-in', 'crl.pem', '-noout', '-CAfile', 'ca.pem').stderr).toContain('verify OK');
  });

  test('refuses duplicate serials, bad options and a CA key that is not the CA’s', () => {
    const at = new Date('2026-02-01T00:00:00Z');
    expect(() =>
      createCrl(
        ca,
        [
          { serialHex: '0ABC', revokedAt: at },
          { serialHex: 'abc', revokedAt: at },
        ],
        { now },
      ),
    ).toThrow(RangeError);
    expect(() => createCrl(ca, [], { now, nextUpdateDays: 0 })).toThrow(RangeError);
    expect(() => createCrl(ca, [], { now, crlNumber: -1 })).toThrow(RangeError);
    expect(() => createCrl(ca, [{ serialHex: '', revokedAt: at }], { now })).toThrow(RangeError);
    const other = generateUserKeyPair();
    expect(() => createCrl({ certificatePem: ca.certificatePem, privateKeyPem: other.privateKeyPem }, [], { now })).toThrow('does not belong');
  });
});
