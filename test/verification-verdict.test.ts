// The verify page's verdict (web/src/pages/auditor/verification-verdict.ts) reads the checks that
// `POST /api/verify/pdf` returns; here it reads the real verifier's output over real PDFs, so a
// change in the verifier's wording that the page would misread fails this test: sealed and intact;
// one byte flipped; sealed by another organisation's CA; sealed with a revoked certificate; never
// sealed; sealed, but carrying an embedded file that does not match its manifest.
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { sealPdf, verifySealedPdf, type PdfSeal } from '../signatures/pades';
import { createOrganisationCa, createSealingCertificate } from '../signatures/pki';
import { verifyControlledPdf } from '../signatures/verify-controlled-pdf';
import { verdictOf } from '../web/src/pages/auditor/verification-verdict';
import { extractPdfSignature } from './support/pdf-tools';

const issuedAt = new Date('2026-03-01T09:00:00.000Z');
const signingTime = new Date('2026-03-01T09:30:00.000Z');
const sealOptions = { signingTime, reason: 'Controlled record', name: 'Acme' };
let acme: PdfSeal;
let other: PdfSeal;

function sealingIdentity(organisationName: string): PdfSeal {
  const ca = createOrganisationCa({ organisationName, now: issuedAt, keyBits: 2048 });
  return { ...createSealingCertificate(ca, { organisationName, now: issuedAt, keyBits: 2048 }), caCertificatePem: ca.certificatePem };
}

/** A small PDF carrying a record JSON and the manifest of its hash (`manifestHash` overrides the hash listed). */
function recordPdf(manifestHash?: string): Promise<Buffer> {
  const record = Buffer.from('{"number":"CC-2026-0001","title":"Replace O-ring supplier"}');
  const manifest = JSON.stringify({
    files: [{ name: 'record-CC-2026-0001-v1.json', sha256: manifestHash ?? createHash('sha256').update(record).digest('hex') }],
  });
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { CreationDate: issuedAt } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text('CC-2026-0001 Replace O-ring supplier');
    doc.file(record, { name: 'record-CC-2026-0001-v1.json', type: 'application/json' });
    doc.file(Buffer.from(manifest), { name: 'manifest.json', type: 'application/json' });
    doc.end();
  });
}

const verdict = (pdf: Buffer, revokedSerials?: { serialHex: string; revokedAt: Date }[]) =>
  verdictOf(verifyControlledPdf(pdf, { caCertificatePem: acme.caCertificatePem, revokedSerials }));

beforeAll(() => {
  acme = sealingIdentity('Acme');
  other = sealingIdentity('Other');
});

test('a sealed, intact PDF is valid', async () => {
  expect(verdict(sealPdf(await recordPdf(), acme, sealOptions))).toBe('valid');
});

test('one byte flipped inside the sealed range is altered', async () => {
  const sealed = sealPdf(await recordPdf(), acme, sealOptions);
  const offset = Math.floor(extractPdfSignature(sealed).signedBytes.length / 3);
  sealed[offset] = sealed[offset]! ^ 0x01;
  expect(verdict(sealed)).toBe('altered');
});

test('a seal by another organisation is an unknown signer', async () => {
  expect(verdict(sealPdf(await recordPdf(), other, sealOptions))).toBe('unknown_signer');
});

test('a seal by a certificate revoked at or before the seal is revoked; revoked later, it stays valid', async () => {
  const sealed = sealPdf(await recordPdf(), acme, sealOptions);
  const { serialHex } = verifySealedPdf(sealed, { caCertificatePem: acme.caCertificatePem }).signer!;
  expect(verdict(sealed, [{ serialHex, revokedAt: signingTime }])).toBe('revoked');
  expect(verdict(sealed, [{ serialHex, revokedAt: new Date('2026-03-02T00:00:00Z') }])).toBe('valid');
});

test('a PDF that was never sealed is not sealed', async () => {
  expect(verdict(await recordPdf())).toBe('not_sealed');
});

test('a sealed PDF whose embedded record does not match its manifest is altered', async () => {
  expect(verdict(sealPdf(await recordPdf('0'.repeat(64)), acme, sealOptions))).toBe('altered');
});
