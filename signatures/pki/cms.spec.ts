import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { signDetachedCms, signManifestCms, verifyDetachedCms, verifyManifestCms } from './cms';
import { parseSignedData } from './cms-parse';
import { createOrganisationCa } from './organisation-ca';
import { manifestBytes, type SignatureManifest } from './signature-manifest';
import { generateUserKeyPair, issueUserCertificate } from './user-certificate';
import { OID, subjectAttribute, type OrganisationCa } from './x509-support';

const issuedAt = new Date('2026-03-01T09:00:00.000Z');
const userId = '6f1c2a4e-1111-4a2b-9c3d-123456789abc';
const LONG_NAME = 'Ł'.repeat(4000) + 'é'.repeat(3000) + '张'.repeat(2999) + 'x';
const LONG_COMMENT = '✓'.repeat(5000) + 'ü'.repeat(4998) + '👍';
let dir: string;
let ca: OrganisationCa;
let keys: { publicKeyPem: string; privateKeyPem: string };
let certificatePem: string;
let serialHex: string;

function manifest(overrides: Partial<SignatureManifest> = {}): SignatureManifest {
  return {
    v: 1,
    signatureId: '5b0e3c2a-0000-4000-8000-000000000001',
    recordId: '5b0e3c2a-0000-4000-8000-000000000002',
    recordNumber: 'CC-2026-0001',
    recordVersion: 3,
    contentHash: 'c0ffee'.padEnd(64, '0'),
    signerId: userId,
    printedName: 'Zoë Ångström',
    meaning: 'approved',
    comment: 'Reviewed the risk assessment.',
    signedAt: '2026-03-01T09:30:00.250Z',
    step: 'qa_approval',
    ...overrides,
  };
}

function sign(m: SignatureManifest, cert = certificatePem): string {
  return signManifestCms({ manifest: m, certificatePem: cert, privateKeyPem: keys.privateKeyPem, caCertificatePem: ca.certificatePem });
}

/** `openssl cms -verify` of the detached signature over `content`, as of the signing time. */
function opensslVerify(content: Buffer, cmsBase64: string, caPem = ca.certificatePem, signedAt = '2026-03-01T09:30:00Z') {
  fs.writeFileSync(path.join(dir, 'manifest.json'), content);
  fs.writeFileSync(path.join(dir, 'sig.der'), Buffer.from(cmsBase64, 'base64'));
  fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);
  const attime = String(Math.floor(new Date(signedAt).getTime() / 1000));
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-content', 'manifest.json', '-CAfile', 'ca.pem'];
  const result = spawnSync('openssl', [...args, '-purpose', 'any', '-attime', attime, '-out', '/dev/null'], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-cms-'));
  ca = createOrganisationCa({ organisationName: 'Acme Médical', now: issuedAt, keyBits: 2048 });
  keys = generateUserKeyPair();
  const issued = issueUserCertificate(ca, { userId, username: 'zoe', printedName: 'Zoë Ångström', publicKeyPem: keys.publicKeyPem, now: issuedAt });
  certificatePem = issued.certificatePem;
  serialHex = issued.serialHex;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('CMS signature over a manifest', () => {
  test('OpenSSL verifies it, and so does verifyManifestCms', () => {
    const m = manifest();
    const cms = sign(m);
    const openssl = opensslVerify(manifestBytes(m), cms);
    expect(openssl.stderr).toContain('Verification successful');
    expect(openssl.status).toBe(0);

    const result = verifyManifestCms({ manifest: m, cmsBase64: cms, caCertificatePem: ca.certificatePem });
    expect(result).toEqual({
      ok: true,
      problems: [],
      signerCertificate: {
        serialHex,
        subjectCommonName: 'Zoë Ångström',
        notBefore: new Date('2026-03-01T09:00:00.000Z'),
        notAfter: new Date('2031-03-01T09:00:00.000Z'),
      },
    });
  });

  test('is detached SHA-256 SignedData with contentType, signingTime (= signedAt) and messageDigest, and both certificates', () => {
    const parsed = parseSignedData(Buffer.from(sign(manifest()), 'base64'));
    expect(parsed.hasEncapsulatedContent).toBe(false);
    expect(parsed.encapsulatedContentType).toBe(OID.data);
    expect(parsed.certificatesDer).toHaveLength(2);
    expect(parsed.signerInfos).toHaveLength(1);
    const [si] = parsed.signerInfos;
    expect(si?.digestAlgorithm).toBe(OID.sha256);
    expect(si?.signedAttributes.signingTime?.toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(si?.signedAttributes.contentType).toBe(OID.data);
    expect(si?.signedAttributes.messageDigest?.toString('hex')).toBe(
      forge.md.sha256.create().update(manifestBytes(manifest()).toString('binary')).digest().toHex(),
    );
  });

  test('one flipped byte in the manifest: OpenSSL fails and verifyManifestCms reports it', () => {
    const m = manifest();
    const cms = sign(m);
    const bytes = manifestBytes(m);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
    const openssl = opensslVerify(bytes, cms);
    expect(openssl.status).not.toBe(0);
    expect(openssl.stderr).not.toContain('Verification successful');

    const edited = manifest({ contentHash: 'c0ffee'.padEnd(63, '0') + '1' });
    const result = verifyManifestCms({ manifest: edited, cmsBase64: cms, caCertificatePem: ca.certificatePem });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(['the message digest does not match the content']);
  });

  test('a signature moved to another manifest (other recordId) fails', () => {
    const cms = sign(manifest());
    const other = manifest({ recordId: '5b0e3c2a-0000-4000-8000-000000000099' });
    expect(opensslVerify(manifestBytes(other), cms).status).not.toBe(0);
    const result = verifyManifestCms({ manifest: other, cmsBase64: cms, caCertificatePem: ca.certificatePem });
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('the message digest does not match the content');
  });

  test('a tampered signature value fails in both', () => {
    const m = manifest();
    const der = Buffer.from(sign(m), 'base64');
    der[der.length - 1] = der[der.length - 1]! ^ 0x01;
    expect(opensslVerify(manifestBytes(m), der.toString('base64')).status).not.toBe(0);
    const result = verifyManifestCms({ manifest: m, cmsBase64: der.toString('base64'), caCertificatePem: ca.certificatePem });
    expect(result.problems).toEqual(['the signature does not verify']);
  });

  test('revocation counts only from its time: revoked after signing stays valid, at or before signing does not', () => {
    const m = manifest();
    const cms = sign(m);
    const check = (revokedAt: string) =>
      verifyManifestCms({
        manifest: m,
        cmsBase64: cms,
        caCertificatePem: ca.certificatePem,
        revokedSerials: [{ serialHex: serialHex.toUpperCase(), revokedAt: new Date(revokedAt) }],
      });
    expect(check('2026-03-01T09:30:00.251Z').ok).toBe(true);
    expect(check('2026-06-01T00:00:00.000Z').ok).toBe(true);
    expect(check('2026-03-01T09:30:00.250Z').ok).toBe(false);
    const before = check('2026-03-01T09:29:59.000Z');
    expect(before.ok).toBe(false);
    expect(before.problems).toEqual(['the signer certificate was revoked at 2026-03-01T09:29:59.000Z, on or before signing']);
  });

  test('another CA, another signer id or printed name, and garbage are all refused', () => {
    const m = manifest();
    const cms = sign(m);
    const otherCa = createOrganisationCa({ organisationName: 'Other', now: issuedAt, keyBits: 2048 });
    expect(opensslVerify(manifestBytes(m), cms, otherCa.certificatePem).status).not.toBe(0);
    expect(verifyManifestCms({ manifest: m, cmsBase64: cms, caCertificatePem: otherCa.certificatePem }).problems).toEqual([
      'the signer certificate is not issued by the CA',
    ]);
    // The digest also breaks when the manifest is edited, so check the binding on the generic API.
    const content = manifestBytes(m);
    const at = new Date(m.signedAt);
    const generic = (expectedSigner: { userId?: string; printedName?: string }) =>
      verifyDetachedCms({ content, cmsBase64: cms, caCertificatePem: ca.certificatePem, signingTime: at, expectedSigner }).problems;
    expect(generic({ userId: '00000000-0000-4000-8000-000000000000' })).toEqual(['the certificate belongs to another user (user id differs)']);
    expect(generic({ printedName: 'Zoe Angstrom' })).toEqual(['the certificate name differs from the printed name']);
    expect(generic({ userId, printedName: 'Zoë Ångström' })).toEqual([]);
    expect(verifyManifestCms({ manifest: m, cmsBase64: 'bm90IGEgQ01T', caCertificatePem: ca.certificatePem }).problems[0]).toMatch(/^malformed CMS/);
  });

  test('a certificate not valid at the signing time, not the signer’s, or not matching the key is refused when signing', () => {
    expect(() => sign(manifest({ signedAt: '2032-01-01T00:00:00.000Z' }))).toThrow('not valid at the signing time');
    expect(() => sign(manifest({ signedAt: 'yesterday' }))).toThrow(RangeError);
    expect(() => sign(manifest({ printedName: 'Zoë Ångström-Renamed' }))).toThrow('certificate name differs');
    expect(() => sign(manifest({ signerId: '00000000-0000-4000-8000-000000000000' }))).toThrow('another user');
    expect(() => signManifestCms({ manifest: manifest(), certificatePem, privateKeyPem: ca.privateKeyPem, caCertificatePem: ca.certificatePem })).toThrow(
      'does not belong to its certificate',
    );
    const content = Buffer.from('x');
    const cms = signDetachedCms({
      content,
      signingTime: new Date('2031-03-01T09:00:00Z'),
      certificatePem,
      privateKeyPem: keys.privateKeyPem,
      caCertificatePem: ca.certificatePem,
    });
    const late = verifyDetachedCms({ content, cmsBase64: cms, caCertificatePem: ca.certificatePem, signingTime: new Date('2031-03-01T09:00:00.500Z') });
    expect(late.problems).toEqual(['the signer certificate was not valid at 2031-03-01T09:00:00.500Z']);
  });

  test('accepts a detached signature made by OpenSSL (other attribute order, extra attributes)', () => {
    // openssl cms -sign stamps the real time, so this test uses a CA and certificate valid now.
    const realNow = new Date(Date.now() - 60_000);
    const liveCa = createOrganisationCa({ organisationName: 'Live', now: realNow, keyBits: 2048 });
    const live = issueUserCertificate(liveCa, { userId, username: 'zoe', printedName: 'Zoë', publicKeyPem: keys.publicKeyPem, now: realNow });
    const content = manifestBytes(manifest());
    fs.writeFileSync(path.join(dir, 'content.bin'), content);
    fs.writeFileSync(path.join(dir, 'signer.pem'), live.certificatePem);
    fs.writeFileSync(path.join(dir, 'signer-key.pem'), keys.privateKeyPem);
    const args = ['cms', '-sign', '-binary', '-in', 'content.bin', '-signer', 'signer.pem', '-inkey', 'signer-key.pem', '-md', 'sha256'];
    const made = spawnSync('openssl', [...args, '-outform', 'DER', '-out', 'openssl.der'], { cwd: dir, encoding: 'utf8' });
    expect(made.status).toBe(0);
    const der = fs.readFileSync(path.join(dir, 'openssl.der'));
    const signingTime = parseSignedData(der).signerInfos[0]?.signedAttributes.signingTime;
    expect(signingTime).toBeInstanceOf(Date);
    const cmsBase64 = der.toString('base64');
    // OpenSSL embeds only the signer certificate; the chain is checked against the given CA.
    const result = verifyDetachedCms({
      content,
      cmsBase64,
      caCertificatePem: liveCa.certificatePem,
      signingTime: signingTime!,
      expectedSigner: { printedName: 'Zoë' },
    });
    expect(result.problems).toEqual([]);
  });

  test.each([
    ['non-ASCII', 'Zoë Ångström-Øyen 张伟 محمد Ωμέγα 👩‍⚕️', 'Geprüft — «OK» ✓\nZeile 2 "quoted" \\ backslash'],
    ['10,000-character', LONG_NAME, LONG_COMMENT],
  ])('%s printed names and comments round-trip exactly', (_label, printedName, comment) => {
    const issued = issueUserCertificate(ca, { userId, username: 'zoe', printedName, publicKeyPem: keys.publicKeyPem, now: issuedAt });
    expect(subjectAttribute(forge.pki.certificateFromPem(issued.certificatePem), OID.commonName)).toBe(printedName);

    const m = manifest({ printedName, comment });
    const cms = sign(m, issued.certificatePem);
    const openssl = opensslVerify(manifestBytes(m), cms);
    expect(openssl.stderr).toContain('Verification successful');
    const result = verifyManifestCms({ manifest: m, cmsBase64: cms, caCertificatePem: ca.certificatePem });
    expect(result.problems).toEqual([]);
    expect(result.signerCertificate?.subjectCommonName).toBe(printedName);
    expect(JSON.parse(manifestBytes(m).toString('utf8'))).toEqual(m);
  });

  test('the long name and comment are 10,000 UTF-16 code units of mostly non-ASCII text', () => {
    expect(LONG_NAME).toHaveLength(10_000);
    expect(LONG_COMMENT).toHaveLength(10_000);
    expect(Buffer.byteLength(LONG_NAME, 'utf8')).toBeGreaterThan(20_000);
  });
});
