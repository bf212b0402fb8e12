// A sealed record PDF and a dossier carry the audit checkpoint they are given, byte for byte, as
// `audit-checkpoint.json`, listed in manifest.json with its SHA-256 and in the record's embedded files.
import { createHash } from 'node:crypto';
import { renderDossierPdf } from './dossier.template';
import { renderRecordPdf } from './record.template';
import { flat, pdfdetachList, pdfdetachSave, pdftotext, requirePoppler, sampleRecord, tempDir, writePdf } from './spec-helpers';

const checkpoint = {
  json: `${JSON.stringify({ checkpoint: { type: 'attestflow.audit-checkpoint', version: 1, organisation: 'Acme Pharma GmbH', seq: 335, hash: 'ab'.repeat(32), checkpointedAt: '2025-04-01T12:00:00.000Z' }, cms: 'MIIB' }, null, 2)}\n`,
  seq: 335,
  hash: 'ab'.repeat(32),
};
const common = { organisation: 'Acme Pharma GmbH', generatedAt: new Date(Date.UTC(2025, 3, 1, 12, 0, 0)), timeZone: 'UTC', auditCheckpoint: checkpoint };
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

beforeAll(requirePoppler);

test.each([
  ['record PDF', () => renderRecordPdf({ ...common, ...sampleRecord({ auditCount: 3 }) })],
  [
    'dossier',
    () =>
      renderDossierPdf({
        ...common,
        dossierId: 'd0551e75-0000-4000-8000-000000000002',
        title: 'Checkpoint dossier',
        requestedBy: 'Auditor',
        selectionDescription: 'Records CC-0001, CC-0002',
        records: [sampleRecord({ number: 'CC-0001', auditCount: 2 }), sampleRecord({ number: 'CC-0002', auditCount: 2 })],
      }),
  ],
])('the %s embeds the audit checkpoint, listed in manifest.json', async (_kind, render) => {
  const dir = tempDir('checkpoint-');
  const file = writePdf(dir, 'out.pdf', await render());
  expect(pdfdetachList(file)).toContain('audit-checkpoint.json');
  expect(pdfdetachSave(file, 'audit-checkpoint.json', dir).toString('utf8')).toBe(checkpoint.json);
  const manifest = JSON.parse(pdfdetachSave(file, 'manifest.json', dir).toString('utf8')) as { files: { name: string; sha256: string }[] };
  expect(manifest.files).toContainEqual(expect.objectContaining({ name: 'audit-checkpoint.json', sha256: sha256(checkpoint.json) }));
  if (_kind === 'record PDF') expect(flat(pdftotext(file))).toContain('audit-checkpoint.json');
});
