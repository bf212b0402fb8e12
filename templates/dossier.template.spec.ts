import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PdfFile } from '../signatures/pades/pdf-file';
import { PdfRef, pdfText, type PdfValue } from '../signatures/pades/pdf-objects';
import { renderDossierPdf, type DossierPdfInput } from './dossier.template';
import { timeFormatter } from './format';
import { recordHeading } from './sections/header';
import { manifestation } from './sections/signatures';
import {
  LATIN_NAME,
  flat,
  pdfdetachList,
  pdfdetachSaveAll,
  pdffonts,
  pdfinfo,
  pdftotext,
  requirePoppler,
  sampleRecord,
  tempDir,
  writePdf,
} from './spec-helpers';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// Records of different lengths, so that they start on irregular pages.
const records = [40, 260, 5, 120, 0].map((auditCount, i) =>
  sampleRecord({ number: `CC-${String(i + 1).padStart(4, '0')}`, title: `Change ${i + 1}: sensor ${i + 1}`, auditCount }),
);

const input: DossierPdfInput & { records: typeof records } = {
  organisation: 'Acme Pharma GmbH',
  generatedAt: new Date(Date.UTC(2025, 3, 1, 12, 0, 0)),
  timeZone: 'UTC',
  dossierId: 'd0551e75-0000-4000-8000-000000000001',
  title: 'FDA inspection 2025 — line 3',
  requestedBy: LATIN_NAME,
  selectionDescription: 'Records CC-0001 to CC-0005',
  records,
};

describe('renderDossierPdf', () => {
  let dir: string;
  let file: string;
  let pages: number;
  let text: string;
  const progress: [number, number][] = [];
  const page = (p: number) => pdftotext(file, { first: p, last: p });

  beforeAll(async () => {
    requirePoppler();
    dir = tempDir('dossier-pdf');
    file = writePdf(dir, 'dossier.pdf', await renderDossierPdf(input, (done, total) => progress.push([done, total])));
    pages = Number(pdfinfo(file).Pages);
    text = pdftotext(file);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every entry of the cross-reference table points at its object (the output writer counts each byte)', () => {
    // pdfkit's writer and offset table are replaced (templates/layout.ts, collect, compactOffsets):
    // a byte miscounted or an offset stored in the wrong slot would send a reader to the wrong place.
    const bytes = fs.readFileSync(file).toString('latin1');
    const start = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(bytes)?.[1]);
    const xref = /^xref\n0 (\d+)\n/.exec(bytes.slice(start, start + 40));
    expect(xref).not.toBeNull();
    const count = Number(xref![1]);
    const table = start + xref![0].length;
    expect(count).toBeGreaterThan(100);
    for (let id = 1; id < count; id++) {
      const entry = bytes.slice(table + id * 20, table + id * 20 + 20);
      expect(entry).toMatch(/^\d{10} 00000 n \n$/);
      const offset = Number(entry.slice(0, 10));
      if (!bytes.startsWith(`${id} 0 obj\n`, offset))
        throw new Error(`object ${id}: the table says ${offset}, which holds ${JSON.stringify(bytes.slice(offset, offset + 20))}`);
    }
  });

  test('reports progress after each record', () => {
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  test('the cover names the organisation, dossier, requester, selection, generation time and record count', () => {
    const cover = flat(page(1));
    for (const expected of [
      'Acme Pharma GmbH · Auditor dossier',
      input.title,
      `Dossier ${input.dossierId}`,
      `Requested by ${LATIN_NAME}`,
      'Selection Records CC-0001 to CC-0005',
      'Generated 2025-04-01 12:00:00 UTC (UTC+00:00)',
      'Records 5',
      'Signatures 15',
      // Written after the records are drawn, into forms the cover invokes.
      `Audit events ${input.records.reduce((n, r) => n + r.audit.length, 0)}`,
    ]) {
      expect(cover).toContain(expected);
    }
  });

  test('the contents give the page on which each record heading really is', () => {
    const toc = page(2);
    const entries = new Map<string, number>();
    for (const line of toc.split('\n')) {
      const m = /^\s*\d+\s+(CC-\d{4})\s.*\s(\d+)\s*$/.exec(line);
      if (m) entries.set(m[1]!, Number(m[2]));
    }
    expect([...entries.keys()]).toEqual(input.records.map((r) => r.record.number));
    let previous = 2;
    for (const r of input.records) {
      const p = entries.get(r.record.number)!;
      expect(p).toBeGreaterThan(previous);
      expect(flat(page(p))).toContain(recordHeading(r));
      expect(flat(page(p - 1))).not.toContain(recordHeading(r));
      previous = p;
    }
    const sections = (label: string) => Number(new RegExp(`${label}\\s.*\\s(\\d+)\\s*$`, 'm').exec(toc)?.[1]);
    expect(flat(page(sections('Signature index')))).toContain('Signature index (15)');
    expect(flat(page(sections('Manifest')))).toContain('Manifest of embedded records');
  });

  test('the signature index lists every signature with the page of its manifestation', () => {
    const time = timeFormatter(input.timeZone);
    const all = flat(text);
    const rows = [
      ...text.matchAll(/^\s*(.+?)\s{2,}(Authored|Approved|Reviewed)\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2})\s+(CC-\d{4})\s+(\d+)\s*$/gm),
    ];
    expect(rows).toHaveLength(15);
    for (const r of input.records) {
      for (const s of r.signatures) {
        expect(all).toContain(flat(manifestation(s, time)));
        const row = rows.find((m) => m[1]!.trim() === s.printedName && m[2] === s.meaning && m[4] === r.record.number);
        expect(row).toBeDefined();
        expect(row![3]).toBe(time.short(s.signedAt));
        expect(flat(page(Number(row![5])))).toContain(flat(manifestation(s, time)));
      }
    }
  });

  test('the manifest table lists each record version with the SHA-256 of its embedded JSON', () => {
    for (const r of input.records) {
      expect(text).toMatch(new RegExp(`${r.record.number}\\s+${r.record.version}\\s+${r.record.contentHash}\\s+matches`));
    }
  });

  test('embeds every record JSON, every CMS and signature manifest, and a manifest.json of their SHA-256', () => {
    const expected = [
      ...input.records.flatMap((r) => [
        `record-${r.record.number}-v${r.record.version}.json`,
        ...r.signatures.flatMap((s) => [`signature-${s.id}.p7s`, `signature-${s.id}.json`]),
      ]),
      'manifest.json',
    ];
    expect(pdfdetachList(file).sort()).toEqual(expected.sort());
    const saved = pdfdetachSaveAll(file, dir);
    for (const r of input.records)
      expect(saved.get(`record-${r.record.number}-v${r.record.version}.json`)!.equals(Buffer.from(r.canonicalJson, 'utf8'))).toBe(true);
    const manifest = JSON.parse(saved.get('manifest.json')!.toString('utf8')) as { dossier: string; files: { name: string; sha256: string; size: number }[] };
    expect(manifest.dossier).toBe(input.dossierId);
    expect(manifest.files).toHaveLength(expected.length - 1);
    for (const f of manifest.files) {
      expect(sha256(saved.get(f.name)!)).toBe(f.sha256);
      expect(saved.get(f.name)!.length).toBe(f.size);
    }
  });

  test('the bookmarks: cover, contents, each record and the closing sections, linked both ways, each at its heading', () => {
    const pdf = new PdfFile(fs.readFileSync(file));
    const catalog = pdf.dict(pdf.trailer.get('Root'))!;
    const kids = pdf.array(pdf.dict(catalog.get('Pages'))!.get('Kids'));
    const num = (v: PdfValue | undefined) => (v instanceof PdfRef ? v.num : undefined);
    const pageOf = (dest: PdfValue | undefined) => kids.findIndex((k) => num(k) === num(pdf.array(dest)[0])) + 1;
    // Walks the children of an outline item by /First and /Next, checking /Prev and /Parent.
    const children = (parent: PdfValue | undefined) => {
      const items: { title: string; page: number; ref: PdfValue }[] = [];
      const dict = pdf.dict(parent)!;
      let previous: PdfValue | undefined;
      for (let ref = dict.get('First'); ref !== undefined; ref = pdf.dict(ref)!.get('Next')) {
        const item = pdf.dict(ref)!;
        expect(num(item.get('Parent'))).toBe(num(parent));
        expect(num(item.get('Prev'))).toBe(num(previous));
        items.push({ title: pdfText(item.get('Title'))!, page: pageOf(item.get('Dest')), ref });
        previous = ref;
      }
      expect(num(dict.get('Last'))).toBe(num(previous));
      return items;
    };
    const top = children(catalog.get('Outlines'));
    expect(top.map((b) => b.title)).toEqual([
      `Dossier: ${input.title}`,
      'Contents',
      ...input.records.map((r) => recordHeading(r)),
      'Signature index (15)',
      'Manifest of embedded records',
    ]);
    for (const b of top) expect(flat(page(b.page))).toContain(b.title.replace(/^Dossier: /, ''));
    for (const b of top.slice(2, 2 + input.records.length)) expect(children(b.ref).length).toBeGreaterThan(0);
  });

  test('every page has the dossier footer with "Page n of N"; all fonts are embedded', () => {
    const perPage = text.split('\f').slice(0, pages);
    expect(perPage).toHaveLength(pages);
    perPage.forEach((p, i) => {
      // Each page's footer is a form written after the last page: exactly one, naming this page.
      expect([...p.matchAll(/Page (\d+) of (\d+)/g)].map((m) => `${m[1]} of ${m[2]}`)).toEqual([`${i + 1} of ${pages}`]);
      expect(p).toContain(`Dossier ${input.dossierId} · Acme Pharma GmbH · Generated 2025-04-01 12:00:00 UTC (UTC+00:00)`);
    });
    for (const f of pdffonts(file)) expect(f).toMatchObject({ emb: 'yes', type: 'CID TrueType' });
  });
});

describe('renderDossierPdf with contents longer than a page', () => {
  test('every contents entry, on either contents page, points at its record heading', async () => {
    requirePoppler();
    const dir = tempDir('dossier-toc');
    try {
      const records = Array.from({ length: 55 }, (_, i) => {
        const r = sampleRecord({ number: `DEV-${String(i + 1).padStart(4, '0')}`, title: `Deviation ${i + 1}`, auditCount: i % 11 === 0 ? 40 : 0 });
        return { ...r, content: { title: r.record.title }, signatures: i % 10 === 0 ? r.signatures : [] };
      });
      const file = writePdf(dir, 'toc.pdf', await renderDossierPdf({ ...input, records }));
      const text = pdftotext(file).split('\f');
      const entries = new Map<string, number>();
      const perTocPage = [1, 2].map((p) => [...text[p]!.matchAll(/^\s*\d+\s+(DEV-\d{4})\s.*\s(\d+)\s*$/gm)]);
      for (const m of perTocPage.flat()) entries.set(m[1]!, Number(m[2]));
      expect(perTocPage[1]!.length).toBeGreaterThan(0);
      expect(entries.size).toBe(55);
      for (const r of records) {
        const p = entries.get(r.record.number)!;
        expect(flat(text[p - 1]!)).toContain(recordHeading(r));
        expect(flat(text[p - 2]!)).not.toContain(recordHeading(r));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
