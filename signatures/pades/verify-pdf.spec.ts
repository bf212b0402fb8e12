import PDFDocument from 'pdfkit';
import { createOrganisationCa, createSealingCertificate, signDetachedCms } from '../pki';
import { PdfParser, PdfString } from './pdf-objects';
import { findSignatureDictionaries, parsePdfDate } from './pdf-signature';
import { sealPdf, SIGNATURE_LENGTH, type PdfSeal } from './seal-pdf';
import { listPdfAttachments, verifySealedPdf, type PdfVerification } from './verify-pdf';

const issuedAt = new Date('2026-03-01T09:00:00.000Z');
const signingTime = new Date('2026-03-01T09:30:00.000Z');
let seal: PdfSeal;
let serialHex: string;
let plain: Buffer;
let sealed: Buffer;

function buildPdf(attach: (doc: PDFKit.PDFDocument) => void = () => undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { CreationDate: issuedAt } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text('Deviation DEV-2026-0042');
    attach(doc);
    doc.end();
  });
}

const failed = (result: PdfVerification): string[] => result.checks.filter((c) => !c.ok).map((c) => c.check);

/** Replaces the /Contents hex of the (only) signature with `cms`, zero-padded; everything else is unchanged. */
function withContents(pdf: Buffer, cms: Buffer): Buffer {
  const contents = findSignatureDictionaries(pdf)[0]!.contents!;
  const out = Buffer.from(pdf);
  out.write(cms.toString('hex').padEnd(SIGNATURE_LENGTH * 2, '0'), contents.start + 1, 'latin1');
  return out;
}

beforeAll(async () => {
  const ca = createOrganisationCa({ organisationName: 'Acme', now: issuedAt, keyBits: 2048 });
  const keys = createSealingCertificate(ca, { organisationName: 'Acme', now: issuedAt, keyBits: 2048 });
  seal = { ...keys, caCertificatePem: ca.certificatePem };
  serialHex = verifySealedPdf(sealPdf(await buildPdf(), seal, { signingTime, reason: 'x', name: 'Acme' }), { caCertificatePem: ca.certificatePem }).signer!
    .serialHex;
  plain = await buildPdf((doc) => doc.file(Buffer.from('{"ok":true}'), { name: 'manifest.json', type: 'application/json' }));
  sealed = sealPdf(plain, seal, { signingTime, reason: 'Freigabe – geprüft', name: 'Acme', contactInfo: 'qa@acme.example' });
});

describe('sealPdf', () => {
  it('appends an incremental update: the original file is an unchanged prefix', () => {
    expect(sealed.subarray(0, plain.length).equals(plain)).toBe(true);
  });

  it('writes the signature dictionary: SubFilter, /M in UTC, reason, and only the optional entries given', () => {
    const [sig, ...others] = findSignatureDictionaries(sealed);
    expect(others).toEqual([]);
    expect(sig).toMatchObject({ type: 'Sig', filter: 'Adobe.PPKLite', subFilter: 'ETSI.CAdES.detached', m: 'D:20260301093000Z' });
    expect(sig).toMatchObject({ reason: 'Freigabe – geprüft', name: 'Acme', location: undefined });
    expect(sealed.toString('latin1')).toContain('/ContactInfo (qa@acme.example)');
  });

  it('refuses a certificate not valid at the signing time, of another CA, or a key not matching it', async () => {
    const other = createOrganisationCa({ organisationName: 'Other', now: issuedAt, keyBits: 2048 });
    const otherKeys = createSealingCertificate(other, { organisationName: 'Other', now: issuedAt, keyBits: 2048 });
    const options = { signingTime, reason: 'x', name: 'Acme' };
    expect(() => sealPdf(plain, seal, { ...options, signingTime: new Date('2026-02-28T00:00:00Z') })).toThrow(/not valid at the signing time/);
    expect(() => sealPdf(plain, { ...seal, caCertificatePem: other.certificatePem }, options)).toThrow(/not issued by the given CA/);
    expect(() => sealPdf(plain, { ...seal, privateKeyPem: otherKeys.privateKeyPem }, options)).toThrow(/does not belong/);
  });
});

describe('verifySealedPdf', () => {
  it('judges revocation at /M: revoked after signing stays valid, at or before signing does not', () => {
    const caCertificatePem = seal.caCertificatePem;
    const after = verifySealedPdf(sealed, { caCertificatePem, revokedSerials: [{ serialHex, revokedAt: new Date('2026-03-02T00:00:00Z') }] });
    expect(after.ok).toBe(true);
    expect(after.checks.find((c) => c.check === 'revocation')?.detail).toMatch(/after signing/);
    const before = verifySealedPdf(sealed, { caCertificatePem, revokedSerials: [{ serialHex: serialHex.toUpperCase(), revokedAt: signingTime }] });
    expect(failed(before)).toEqual(['revocation']);
  });

  it('refuses a CMS with a signing-time attribute and no signing-certificate-v2 (plain CMS, not CAdES B-B)', () => {
    const [a, b, c, d] = findSignatureDictionaries(sealed)[0]!.byteRange!;
    const content = Buffer.concat([sealed.subarray(a, a + b), sealed.subarray(c, c + d)]);
    const cms = Buffer.from(signDetachedCms({ content, signingTime, ...seal }), 'base64');
    const result = verifySealedPdf(withContents(sealed, cms), { caCertificatePem: seal.caCertificatePem });
    expect(failed(result)).toEqual(['no-cms-signing-time', 'signing-certificate-v2']);
  });

  it('never throws: garbage, an unsigned PDF, and a zeroed /Contents are reported as failed checks', () => {
    const garbage = verifySealedPdf(Buffer.from('not a pdf'), { caCertificatePem: seal.caCertificatePem });
    expect(garbage).toMatchObject({ ok: false, coversWholeFile: false });
    expect(failed(garbage)).toEqual(['signature-dictionary']);
    expect(failed(verifySealedPdf(plain, { caCertificatePem: seal.caCertificatePem }))).toEqual(['signature-dictionary']);
    const zeroed = verifySealedPdf(withContents(sealed, Buffer.alloc(0)), { caCertificatePem: seal.caCertificatePem });
    expect(zeroed.ok).toBe(false);
    expect(failed(zeroed)).toEqual(['cms-structure']);
  });

  it('refuses a ByteRange that does not exclude exactly /Contents', () => {
    const text = sealed.toString('latin1');
    const match = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(text)!;
    const shifted = `/ByteRange [0 ${Number(match[1]) + 1} ${match[2]} ${match[3]}]`;
    const tampered = Buffer.from(sealed);
    tampered.write(shifted.padEnd(match[0].length, ' '), match.index, 'latin1');
    const result = verifySealedPdf(tampered, { caCertificatePem: seal.caCertificatePem });
    expect(result.ok).toBe(false);
    expect(failed(result)).toContain('byte-range');
  });
});

describe('listPdfAttachments', () => {
  it('lists none for a PDF without attachments, and hidden (/AF-only) attachments too', async () => {
    expect(listPdfAttachments(await buildPdf())).toEqual([]);
    const hidden = await buildPdf((doc) => doc.file(Buffer.from('secret'), { name: 'hidden.txt', hidden: true }));
    expect(listPdfAttachments(hidden)).toEqual([{ name: 'hidden.txt', data: Buffer.from('secret') }]);
    expect(listPdfAttachments(sealed)).toEqual([{ name: 'manifest.json', data: Buffer.from('{"ok":true}') }]);
  });

  it('keeps a file embedded twice under two names as two attachments', async () => {
    const data = Buffer.from('same bytes');
    const pdf = await buildPdf((doc) => {
      doc.file(data, { name: 'a.txt' });
      doc.file(data, { name: 'b.txt' });
    });
    expect(listPdfAttachments(pdf).map((a) => [a.name, a.data.toString()])).toEqual([
      ['a.txt', 'same bytes'],
      ['b.txt', 'same bytes'],
    ]);
  });
});

describe('PDF syntax helpers', () => {
  it('parses PDF dates with time zones and rejects malformed ones', () => {
    expect(parsePdfDate('D:20260301093000Z')).toEqual(signingTime);
    expect(parsePdfDate("D:20260301103000+01'00'")).toEqual(signingTime);
    expect(parsePdfDate("D:20260301043000-05'00")).toEqual(signingTime);
    expect(parsePdfDate('D:2026')).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(parsePdfDate('D:20260230093000Z')).toBeUndefined();
    expect(parsePdfDate('20260301093000Z')).toBeUndefined();
    expect(parsePdfDate(undefined)).toBeUndefined();
  });

  it('reads literal strings with escapes, octal codes, nesting and line continuations', () => {
    const source = Buffer.from('(a\\(b\\)c\\\\d\\101\\12(nested (deep))\\\nend) <48 65 6C6C 6f>', 'latin1');
    const parser = new PdfParser(source, 0);
    const literal = parser.value() as PdfString;
    expect(literal.bytes.toString('latin1')).toBe('a(b)c\\dA\n(nested (deep))end');
    expect(literal).toMatchObject({ start: 0, hex: false });
    const hex = parser.value() as PdfString;
    expect(hex.bytes.toString('latin1')).toBe('Hello');
    expect(hex.end).toBe(source.length);
  });
});
