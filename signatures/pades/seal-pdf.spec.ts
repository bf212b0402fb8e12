import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { createOrganisationCa, createSealingCertificate } from '../pki';
import { readTlv } from '../pki/der';
import { PdfFile } from './pdf-file';
import { PdfStream } from './pdf-objects';
import { findSignatureDictionaries } from './pdf-signature';
import { sealPdf, type PdfSeal } from './seal-pdf';
import { listPdfAttachments, verifySealedPdf } from './verify-pdf';

const issuedAt = new Date('2026-03-01T09:00:00.000Z');
const signingTime = new Date('2026-03-01T09:30:00.000Z');
const recordJson = Buffer.from(JSON.stringify({ recordNumber: 'CC-2026-0001', title: 'Änderung der Reinigungsvalidierung ✓' }), 'utf8');
const auditBytes = randomBytes(20_000);
let dir: string;
let seal: PdfSeal;
let foreignSeal: PdfSeal;
let plain: Buffer;
let sealed: Buffer;

/** A small pdfkit 0.20 document with two attachments (Flate-compressed, one with a non-ASCII name). */
function buildPdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: 'CC-2026-0001', CreationDate: issuedAt } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(14).text('Change control CC-2026-0001');
    doc.fontSize(10).text('Approved by Zoë Ångström on 2026-03-01.');
    doc.file(recordJson, { name: 'record.json', type: 'application/json', relationship: 'Data' } as PDFKit.Mixins.PDFAttachmentOptions);
    doc.file(auditBytes, { name: 'Prüfpfad.bin', type: 'application/octet-stream', relationship: 'Supplement' } as PDFKit.Mixins.PDFAttachmentOptions);
    doc.end();
  });
}

function run(command: string, args: string[]): { status: number | null; out: string } {
  const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

function pdfsig(pdf: Buffer): string {
  fs.writeFileSync(path.join(dir, 'check.pdf'), pdf);
  return run('pdfsig', ['check.pdf']).out;
}

/** `openssl cms -verify` of the CMS in /Contents over the concatenated byte ranges, as of the signing time. */
function opensslVerify(pdf: Buffer, caPem: string): { status: number | null; out: string } {
  const [sig] = findSignatureDictionaries(pdf);
  const [a, b, c, d] = sig!.byteRange!;
  fs.writeFileSync(path.join(dir, 'sig.der'), readTlv(sig!.contents!.bytes).bytes);
  fs.writeFileSync(path.join(dir, 'content.bin'), Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]));
  fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);
  const attime = String(signingTime.getTime() / 1000);
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-content', 'content.bin', '-CAfile', 'ca.pem'];
  return run('openssl', [...args, '-purpose', 'any', '-attime', attime, '-out', '/dev/null']);
}

/** The same-length replacement of `from` by `to` at its only occurrence. */
function replaceOnce(pdf: Buffer, from: string, to: string): Buffer {
  const at = pdf.indexOf(from, 0, 'latin1');
  expect(at).toBeGreaterThan(0);
  expect(pdf.indexOf(from, at + 1, 'latin1')).toBe(-1);
  const out = Buffer.from(pdf);
  out.write(to.padEnd(from.length, ' '), at, 'latin1');
  return out;
}

/** The file offset of the first page's (Flate-compressed) content stream data. */
function pageContentOffset(pdf: Buffer): number {
  const file = new PdfFile(pdf);
  const pages = file.dict(file.dict(file.trailer.get('Root'))?.get('Pages'));
  const content = file.resolve(file.dict(file.array(pages?.get('Kids'))[0])?.get('Contents'));
  if (!(content instanceof PdfStream)) throw new Error('no page content stream');
  return content.dataStart;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-pades-'));
  const ca = createOrganisationCa({ organisationName: 'Acme Médical', now: issuedAt, keyBits: 2048 });
  seal = { ...createSealingCertificate(ca, { organisationName: 'Acme Médical', now: issuedAt, keyBits: 2048 }), caCertificatePem: ca.certificatePem };
  const other = createOrganisationCa({ organisationName: 'Acme Médical', now: issuedAt, keyBits: 2048 });
  foreignSeal = {
    ...createSealingCertificate(other, { organisationName: 'Acme Médical', now: issuedAt, keyBits: 2048 }),
    caCertificatePem: other.certificatePem,
  };
  plain = await buildPdf();
  sealed = sealPdf(plain, seal, { signingTime, reason: 'Record export sealed by Attestflow', name: 'Acme Médical', location: 'Basel' });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sealPdf (PAdES B-B) against poppler and OpenSSL', () => {
  it('pdfsig reports a valid ETSI.CAdES.detached signature over the total document', () => {
    const out = pdfsig(sealed);
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signer Certificate Common Name: Acme Médical Document Seal');
    expect(out).toContain('Signing Time: Mar 01 2026 09:30:00');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
  });

  it('openssl cms -verify accepts the CMS over the byte ranges, chained to the CA', () => {
    const result = opensslVerify(sealed, seal.caCertificatePem);
    expect(result.out).toContain('Verification successful');
    expect(result.status).toBe(0);
  });

  it('verifySealedPdf accepts it and reports the signer, /M and whole-file coverage', () => {
    const result = verifySealedPdf(sealed, { caCertificatePem: seal.caCertificatePem });
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.coversWholeFile).toBe(true);
    expect(result.signingTime).toEqual(signingTime);
    expect(result.signer?.subjectCommonName).toBe('Acme Médical Document Seal');
  });

  it('the signed attributes carry signingCertificateV2 and no signingTime', () => {
    const [sig] = findSignatureDictionaries(sealed);
    fs.writeFileSync(path.join(dir, 'sig.der'), readTlv(sig!.contents!.bytes).bytes);
    const { status, out } = run('openssl', ['asn1parse', '-inform', 'DER', '-in', 'sig.der']);
    expect(status).toBe(0);
    expect(out).toMatch(/OBJECT\s+:id-smime-aa-signingCertificateV2/);
    expect(out).toMatch(/OBJECT\s+:messageDigest/);
    expect(out).not.toMatch(/signingTime/);
    expect(run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der']).out).toContain('(1.2.840.113549.1.9.16.2.47)');
  });

  it('a flipped byte in page content (first range) fails in pdfsig, OpenSSL and verifySealedPdf', () => {
    const tampered = Buffer.from(sealed);
    tampered[pageContentOffset(sealed) + 10]! ^= 0x01;
    expect(pdfsig(tampered)).toMatch(/Signature is Invalid|Digest Mismatch/);
    const openssl = opensslVerify(tampered, seal.caCertificatePem);
    expect(openssl.status).not.toBe(0);
    expect(openssl.out).not.toContain('Verification successful');
    const result = verifySealedPdf(tampered, { caCertificatePem: seal.caCertificatePem });
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.check === 'message-digest')?.ok).toBe(false);
  });

  it('a changed byte after /Contents (second range: the /Reason) fails too', () => {
    const tampered = replaceOnce(sealed, '(Record export sealed by Attestflow)', '(Record export sealed by Attestflaw)');
    expect(pdfsig(tampered)).toMatch(/Signature is Invalid|Digest Mismatch/);
    expect(opensslVerify(tampered, seal.caCertificatePem).status).not.toBe(0);
    expect(verifySealedPdf(tampered, { caCertificatePem: seal.caCertificatePem }).ok).toBe(false);
  });

  it('bytes appended after the signature are not covered: pdfsig and verifySealedPdf say so', () => {
    const appended = Buffer.concat([sealed, Buffer.from('\n% appended\n')]);
    expect(pdfsig(appended)).toContain('Not total document signed');
    const result = verifySealedPdf(appended, { caCertificatePem: seal.caCertificatePem });
    expect(result.coversWholeFile).toBe(false);
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.check === 'whole-document')?.ok).toBe(false);
  });

  it('a PDF sealed with a certificate of another CA is not accepted', () => {
    const foreign = sealPdf(plain, foreignSeal, { signingTime, reason: 'Forged', name: 'Acme Médical' });
    expect(pdfsig(foreign)).toContain('Signature is Valid.'); // cryptographically intact, issuer untrusted
    expect(opensslVerify(foreign, seal.caCertificatePem).status).not.toBe(0);
    const result = verifySealedPdf(foreign, { caCertificatePem: seal.caCertificatePem });
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.check === 'certificate-chain')).toMatchObject({ ok: false, detail: expect.stringContaining('not issued by the CA') });
    expect(verifySealedPdf(foreign, { caCertificatePem: foreignSeal.caCertificatePem }).ok).toBe(true);
  });

  it('poppler reads the sealed file without syntax errors', () => {
    fs.writeFileSync(path.join(dir, 'sealed.pdf'), sealed);
    const info = spawnSync('pdfinfo', ['sealed.pdf'], { cwd: dir, encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stderr).toBe('');
    expect(info.stdout).toMatch(/Title:\s+CC-2026-0001/);
  });

  it('a second seal keeps the first one valid; verifySealedPdf judges the last, which covers the file', () => {
    const twice = sealPdf(sealed, seal, { signingTime: new Date('2026-03-02T08:00:00Z'), reason: 'Re-sealed', name: 'Acme Médical' });
    const out = pdfsig(twice);
    expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
    expect(out).toContain('Not total document signed');
    expect(out).toContain('Signature Field Name: Seal2');
    const result = verifySealedPdf(twice, { caCertificatePem: seal.caCertificatePem });
    expect(result).toMatchObject({ ok: true, coversWholeFile: true, signingTime: new Date('2026-03-02T08:00:00Z') });
    expect(findSignatureDictionaries(twice).map((s) => s.reason)).toEqual(['Record export sealed by Attestflow', 'Re-sealed']);
  });

  it('listPdfAttachments returns both attachments byte-exact, before and after sealing, as pdfdetach does', () => {
    const expected = [
      { name: 'record.json', data: recordJson },
      { name: 'Prüfpfad.bin', data: auditBytes },
    ];
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(listPdfAttachments(plain).sort(byName)).toEqual(expected.sort(byName));
    expect(listPdfAttachments(sealed).sort(byName)).toEqual(expected.sort(byName));

    fs.writeFileSync(path.join(dir, 'sealed.pdf'), sealed);
    fs.mkdirSync(path.join(dir, 'detached'), { recursive: true });
    expect(run('pdfdetach', ['-saveall', '-o', 'detached', 'sealed.pdf']).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'detached', 'record.json'))).toEqual(recordJson);
    expect(fs.readFileSync(path.join(dir, 'detached', 'Prüfpfad.bin'))).toEqual(auditBytes);
  });
});
