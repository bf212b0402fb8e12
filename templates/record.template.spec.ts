import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { auditChangeLines } from './audit-changes';
import { humaniseKey, timeFormatter } from './format';
import { labellerFor } from './labels';
import { renderRecordPdf, type RecordPdfInput } from './record.template';
import { manifestation } from './sections/signatures';
import {
  CHINESE_COMMENT,
  LATIN_NAME,
  flat,
  pdfdetachList,
  pdfdetachSave,
  pdffonts,
  pdfinfo,
  pdftotext,
  requirePoppler,
  sampleRecord,
  tempDir,
  writePdf,
} from './spec-helpers';

const STANDARD_14 = /Helvetica|Times|Courier|Symbol|ZapfDingbats|Arial/i;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const input: RecordPdfInput = {
  organisation: 'Acme Pharma GmbH',
  generatedAt: new Date(Date.UTC(2025, 3, 1, 12, 0, 0)),
  timeZone: 'Europe/Berlin',
  ...sampleRecord({ auditCount: 1000 }),
};

describe('renderRecordPdf', () => {
  let dir: string;
  let pdf: Buffer;
  let file: string;
  let text: string;
  let pages: number;

  beforeAll(async () => {
    requirePoppler();
    dir = tempDir('record-pdf');
    pdf = await renderRecordPdf(input);
    file = writePdf(dir, 'record.pdf', pdf);
    text = pdftotext(file);
    pages = Number(pdfinfo(file).Pages);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('prints every signature manifestation: printed name — meaning — date and time with zone — comment', () => {
    const all = flat(text);
    expect(all).toContain(`${LATIN_NAME} — Approved — 2025-03-15 10:14:00 Europe/Berlin (UTC+01:00) — Risk accepted; see WI-203.`);
    expect(all).toContain(`张伟 — Reviewed — 2025-03-15 10:51:00 Europe/Berlin (UTC+01:00) — ${CHINESE_COMMENT}`);
    expect(all).toContain('Alice Martin — Authored — 2025-03-15 09:37:00 Europe/Berlin (UTC+01:00)');
    const time = timeFormatter(input.timeZone);
    for (const s of input.signatures) {
      expect(all).toContain(flat(manifestation(s, time)));
      expect(all).toContain(`Step: ${humaniseKey(s.step)} · Record version: ${s.recordVersion} · Certificate serial: ${s.certificateSerial}`);
    }
  });

  test('prints the header block and the content with humanised keys', () => {
    const all = flat(text);
    expect(all).toContain('CC-0001 — Replace the filling-line torque sensor');
    expect(all).toContain(`Content hash (SHA-256) ${input.record.contentHash}`);
    expect(all).toContain('Created 2025-03-14 09:00:00 Europe/Berlin (UTC+01:00) by Alice Martin');
    expect(all).toContain('Risk assessment');
    expect(all).toContain('Batch release required No');
    expect(all).toContain(`Second paragraph: ${CHINESE_COMMENT} — ${LATIN_NAME} reviewed`);
  });

  test('prints all 1,000 audit events, each with seq, actor, action, its changed fields and reason on its row', () => {
    const lines = text.split('\n');
    const rowStart = new Map<number, number>();
    lines.forEach((line, i) => {
      const m = /^\s*(\d+)\s+\d{4}-\d{2}-\d{2}\s/.exec(line);
      if (m) rowStart.set(Number(m[1]), i);
    });
    expect(rowStart.size).toBe(1000);
    const starts = [...rowStart.values()].sort((a, b) => a - b);
    for (const e of input.audit) {
      const first = rowStart.get(e.seq)!;
      const line = lines[first]!;
      const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(line).toMatch(new RegExp(`^\\s*${e.seq}\\s+\\S+\\s+${escape(e.actor)}\\s+${escape(e.action)}\\s`));
      const end = starts.find((s) => s > first) ?? first + 4;
      const row = lines.slice(first, Math.min(end, first + 40)).join('\n');
      const changes = auditChangeLines(e.oldValue, e.newValue, labellerFor(input));
      if (changes.length === 0) expect(row).toMatch(/\s—\s/);
      for (const change of changes) if (change.length <= 28) expect(row).toContain(change);
      if (e.reason) expect(row).toContain(e.reason.split(' ').slice(0, 2).join(' '));
    }
  });

  test('puts "Page n of N" and the record number in the footer of every page', () => {
    expect(pages).toBeGreaterThan(30);
    const perPage = text.split('\f').slice(0, pages);
    expect(perPage).toHaveLength(pages);
    perPage.forEach((page, i) => {
      const body = page.split('\n').filter((l) => l.trim() !== '' && !/Page \d+ of|\(continued\)/.test(l));
      expect(body.length).toBeGreaterThanOrEqual(2);
      expect(page).toContain(`Page ${i + 1} of ${pages}`);
      expect(page).toContain('Record CC-0001 v3 · Acme Pharma GmbH · Generated 2025-04-01 14:00:00 Europe/Berlin (UTC+02:00)');
    });
    expect(pdftotext(file, { first: pages, last: pages })).toContain(`Page ${pages} of ${pages}`);
  });

  test('embeds every font (TrueType, subset, with a ToUnicode map) and no standard-14 font', () => {
    const fonts = pdffonts(file);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'NotoSans-Bold',
      'NotoSans-Regular',
      'NotoSansMono-Regular',
      'NotoSansSC-Regular',
    ]);
    for (const f of fonts) {
      expect(f).toMatchObject({ type: 'CID TrueType', emb: 'yes', sub: 'yes', uni: 'yes' });
      expect(f.name).not.toMatch(STANDARD_14);
    }
    expect(pdf.toString('latin1')).not.toMatch(/\/BaseFont\s*\/(Helvetica|Times|Courier|Symbol|ZapfDingbats)/);
  });

  test('declares PDF/A-3b, PDF 1.7, tagged, with the document information', () => {
    const info = pdfinfo(file);
    expect(info).toMatchObject({
      'PDF version': '1.7',
      Tagged: 'yes',
      Title: 'CC-0001 — Replace the filling-line torque sensor',
      Author: 'Acme Pharma GmbH',
      Creator: 'Attestflow',
    });
    const raw = pdf.toString('latin1');
    expect(raw).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(raw).toMatch(/\/OutputIntents\s*\[/);
    expect(raw).toMatch(/\/AF\s*\[/);
    expect(raw).toContain('/AFRelationship /Source');
    expect(raw).toContain('/Subtype /application#2Fjson');
  });

  test('attaches the canonical JSON, every CMS and manifest, and manifest.json; they round-trip byte for byte', () => {
    const names = pdfdetachList(file);
    const expected = ['record-CC-0001-v3.json', 'manifest.json', ...input.signatures.flatMap((s) => [`signature-${s.id}.p7s`, `signature-${s.id}.json`])];
    expect([...names].sort()).toEqual([...expected].sort());
    expect(pdfdetachSave(file, 'record-CC-0001-v3.json', dir).equals(Buffer.from(input.canonicalJson, 'utf8'))).toBe(true);
    expect(sha256(pdfdetachSave(file, 'record-CC-0001-v3.json', dir))).toBe(input.record.contentHash);
    for (const s of input.signatures) {
      expect(pdfdetachSave(file, `signature-${s.id}.p7s`, dir).equals(Buffer.from(s.cmsBase64!, 'base64'))).toBe(true);
      expect(pdfdetachSave(file, `signature-${s.id}.json`, dir).toString('utf8')).toBe(s.manifestJson);
    }
    const manifest = JSON.parse(pdfdetachSave(file, 'manifest.json', dir).toString('utf8')) as { files: { name: string; sha256: string }[] };
    expect(manifest.files.map((f) => f.name).sort()).toEqual(expected.filter((n) => n !== 'manifest.json').sort());
    for (const f of manifest.files) expect(sha256(pdfdetachSave(file, f.name, dir))).toBe(f.sha256);
  });

  test('splits a comment and an audit value longer than a page across pages, losing nothing', async () => {
    const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
    const comment = `COMMENT-START ${words('c', 1500)} COMMENT-END`;
    const big = { items: Array.from({ length: 900 }, (_, i) => `v${i}`) };
    const long: RecordPdfInput = {
      ...input,
      signatures: [{ ...input.signatures[1]!, comment }],
      audit: [
        { seq: 1, occurredAt: input.generatedAt, actor: 'Alice Martin', action: 'record.import', oldValue: null, newValue: big, reason: 'bulk import' },
        ...input.audit.slice(1, 3),
      ],
    };
    const longFile = writePdf(dir, 'long.pdf', await renderRecordPdf(long));
    const out = pdftotext(longFile);
    const all = flat(out);
    expect(all).toContain(`${LATIN_NAME} — Approved — 2025-03-15 10:14:00 Europe/Berlin (UTC+01:00) — COMMENT-START c0 c1`);
    expect(all).toContain('c1498 c1499 COMMENT-END');
    for (let i = 0; i < 1500; i += 97) expect(all).toMatch(new RegExp(`\\bc${i}\\b`));
    const auditPages = out.split('\f').filter((p) => /\bv\d+, v\d+/.test(p));
    expect(auditPages.length).toBeGreaterThan(1);
    for (const p of auditPages) expect(p).toMatch(/Seq\s+Time\s+Actor\s+Action\s+Changed fields\s+Reason/);
    const values = out.replace(/\s+/g, '');
    expect(values).toContain('Items:v0,v1,v2');
    expect(values).toContain('v898,v899');
  });

  test('is reproducible: the same input renders to the same bytes', async () => {
    const small: RecordPdfInput = { ...input, audit: input.audit.slice(0, 20) };
    const [a, b] = [await renderRecordPdf(small), await renderRecordPdf(small)];
    expect(a.equals(b)).toBe(true);
  });

  test('prints characters no font has as their code point (no .notdef glyph), and renders empty lists', async () => {
    const odd: RecordPdfInput = {
      ...input,
      record: { ...input.record, title: 'R&D <draft>' },
      content: { note: 'Smiley 😀 and ✅ done', tab: 'a\tb', emptyObject: {} },
      canonicalJson: '{}',
      history: [],
      signatures: [],
      audit: [],
      links: [],
    };
    const oddFile = writePdf(dir, 'odd.pdf', await renderRecordPdf(odd));
    const out = flat(pdftotext(oddFile));
    expect(out).toContain('Smiley [U+1F600] and');
    expect(out).toContain('No state transitions.');
    expect(out).toContain('The record carries no electronic signatures.');
    expect(out).toContain('No audit events.');
    expect(out).toContain('No linked records.');
    expect(pdfinfo(oddFile)).toMatchObject({ Pages: '1', Title: 'CC-0001 — R＆D ＜draft＞' });
    expect(out).toContain('CC-0001 — R&D <draft>');
  });

  test('rejects an unknown time zone with a clear message', async () => {
    await expect(renderRecordPdf({ ...input, timeZone: 'Mars/Olympus' })).rejects.toThrow('Unknown time zone "Mars/Olympus"');
  });
});

describe('template formatting', () => {
  test('times carry the zone name and its offset at that instant', () => {
    const berlin = timeFormatter('Europe/Berlin');
    expect(berlin.full(new Date('2025-01-15T12:00:00Z'))).toBe('2025-01-15 13:00:00 Europe/Berlin (UTC+01:00)');
    expect(berlin.full(new Date('2025-07-15T12:00:00Z'))).toBe('2025-07-15 14:00:00 Europe/Berlin (UTC+02:00)');
    expect(timeFormatter('UTC').short(new Date('2025-07-15T23:59:59Z'))).toBe('2025-07-15 23:59:59 +00:00');
    expect(timeFormatter('Asia/Kolkata').full(new Date('2025-07-15T00:00:00Z'))).toBe('2025-07-15 05:30:00 Asia/Kolkata (UTC+05:30)');
    expect(() => berlin.full(new Date(Number.NaN))).toThrow('invalid date');
  });

  test('keys are humanised', () => {
    expect(humaniseKey('batchNumber')).toBe('Batch number');
    expect(humaniseKey('batchRelease_required')).toBe('Batch release required');
    expect(humaniseKey('sopURL')).toBe('Sop URL');
    expect(humaniseKey('capa-id')).toBe('Capa id');
  });
});
