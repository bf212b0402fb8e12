// A dossier rendered into a file record by record and sealed in that file (the render worker's path)
// is the same document as one rendered and sealed in memory, and verifies with the project's own
// verifier and with poppler's pdfsig; Chinese text survives the round trip.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHINESE_COMMENT, GENERATED_AT, ORGANISATION, dossierInput, dossierSource } from '../bench/pdf-inputs';
import { createOrganisationCa, createSealingCertificate } from '../signatures/pki';
import { sealPdf, sealPdfFile, verifySealedPdf, type PdfSeal } from '../signatures/pades';
import { renderDossierPdf, renderDossierPdfToFile } from './dossier.template';
import { flat, pdfinfo, pdftotext, requirePoppler, tempDir } from './spec-helpers';

const RECORDS = 6;

function sealFor(now: Date): PdfSeal {
  const ca = createOrganisationCa({ organisationName: ORGANISATION, now, keyBits: 2048 });
  return { ...createSealingCertificate(ca, { organisationName: ORGANISATION, now, keyBits: 2048 }), caCertificatePem: ca.certificatePem };
}

const sealOptions = { signingTime: GENERATED_AT, reason: 'Dossier for the auditor', name: `${ORGANISATION} — controlled record seal`, location: ORGANISATION };

describe('renderDossierPdfToFile + sealPdfFile', () => {
  let dir: string;
  let file: string;
  let seal: PdfSeal;
  let rendered: { bytes: number; pages: number };
  let sealed: { size: number; sha256: string };
  let unsealed: Buffer;

  beforeAll(async () => {
    requirePoppler();
    dir = tempDir('dossier-file');
    file = path.join(dir, 'dossier.pdf');
    seal = sealFor(new Date(GENERATED_AT.getTime() - 86_400_000));
    rendered = await renderDossierPdfToFile(dossierSource(RECORDS, 20), file);
    unsealed = fs.readFileSync(file);
    sealed = sealPdfFile(file, seal, sealOptions);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('writes the same bytes as the in-memory render, and seals them to the same bytes as sealPdf', async () => {
    const inMemory = await renderDossierPdf(dossierInput(RECORDS, 20));
    expect(unsealed.length).toBe(rendered.bytes);
    expect(unsealed.equals(inMemory)).toBe(true);
    const onDisk = fs.readFileSync(file);
    expect(onDisk.length).toBe(sealed.size);
    expect(onDisk.equals(sealPdf(inMemory, seal, sealOptions))).toBe(true);
  });

  test('verifies with verifySealedPdf, covering the whole file', () => {
    const verification = verifySealedPdf(fs.readFileSync(file), { caCertificatePem: seal.caCertificatePem });
    expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verification).toMatchObject({ ok: true, coversWholeFile: true });
  });

  test('verifies with pdfsig: valid signature over the total document', () => {
    const out = spawnSync('pdfsig', [file], { encoding: 'utf8' });
    if (out.error) throw new Error(`pdfsig is needed (apt-get install poppler-utils): ${out.error.message}`);
    expect(out.stdout).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out.stdout).toContain('Total document signed');
    expect(out.stdout).toContain('Signature is Valid.');
  });

  test('every page is there and the Chinese signer and comment read back as text', () => {
    expect(Number(pdfinfo(file).Pages)).toBe(rendered.pages);
    const text = flat(pdftotext(file));
    expect(text).toContain('张伟');
    expect(text).toContain(CHINESE_COMMENT);
    expect(text).toContain(`Page ${rendered.pages} of ${rendered.pages}`);
  });

  test('a byte changed after sealing is reported by both verifiers', () => {
    const tampered = Buffer.from(fs.readFileSync(file));
    const at = tampered.indexOf('Annual product review', 2000, 'latin1');
    expect(at).toBeGreaterThan(0);
    tampered.write('X', at, 'latin1');
    expect(verifySealedPdf(tampered, { caCertificatePem: seal.caCertificatePem }).ok).toBe(false);
    const copy = path.join(dir, 'tampered.pdf');
    fs.writeFileSync(copy, tampered);
    const out = spawnSync('pdfsig', [copy], { encoding: 'utf8' });
    expect(out.stdout).not.toContain('Signature is Valid.');
  });

  test('a record that changed between the contents and its drawing stops the render with a reason', async () => {
    const input = dossierSource(2, 3);
    const source = input.records as Exclude<typeof input.records, unknown[]>;
    const changed = {
      ...input,
      records: {
        summaries: source.summaries,
        load: async (i: number) => {
          const record = await source.load(i);
          return i === 1 ? { ...record, record: { ...record.record, version: record.record.version + 1 } } : record;
        },
      },
    };
    await expect(renderDossierPdfToFile(changed, path.join(dir, 'changed.pdf'))).rejects.toThrow(/changed while the dossier was rendered/);
  });
});
