import { STYLE } from '../layout';
import { Table } from '../table';
import type { SectionContext } from './context';

export interface IndexedSignature {
  printedName: string;
  meaning: string;
  signedAt: Date;
  recordNumber: string;
  /** Zero-based page index of the manifestation. */
  page: number;
}

const collator = new Intl.Collator('en', { sensitivity: 'base' });

/** Every signature in the dossier by printed name, with the page its manifestation is on; returns the heading's page. */
export function renderSignatureIndex(ctx: SectionContext, signatures: IndexedSignature[]): number {
  const { flow, parent, time } = ctx;
  flow.heading(parent, `Signature index (${signatures.length})`, 1, { bookmark: ctx.outline });
  const page = flow.page;
  if (signatures.length === 0) {
    flow.paragraph(parent, 'The selected records carry no electronic signatures.', STYLE.body);
    return page;
  }
  const sorted = [...signatures].sort(
    (a, b) => collator.compare(a.printedName, b.printedName) || a.signedAt.getTime() - b.signedAt.getTime() || collator.compare(a.recordNumber, b.recordNumber),
  );
  const table = new Table(flow, parent, [
    { header: 'Printed name', width: 130 },
    { header: 'Meaning', width: 90 },
    { header: `Signed (${time.zone})`, width: 120 },
    { header: 'Record', width: flow.width - 380 },
    { header: 'Page', width: 40, align: 'right' },
  ]).start();
  for (const s of sorted) table.row([s.printedName, s.meaning, time.short(s.signedAt), s.recordNumber, String(s.page + 1)]);
  table.end();
  return page;
}

/** One row of the record manifest: the SHA-256 of a record's embedded JSON and the hash its signatures bind. */
export interface RecordManifestRow {
  number: string;
  version: number;
  jsonSha256: string;
  contentHash: string;
}

/** The SHA-256 of every embedded record JSON, checked against the record's content hash; returns the heading's page. */
export function renderRecordManifest(ctx: SectionContext, records: RecordManifestRow[], attachmentCount: number): number {
  const { flow, parent } = ctx;
  flow.heading(parent, 'Manifest of embedded records', 1, { bookmark: ctx.outline });
  const page = flow.page;
  flow.paragraph(
    parent,
    `SHA-256 of each embedded record-<number>-v<version>.json (RFC 8785 canonical JSON), compared with the content hash the record's signatures bind. ` +
      `manifest.json lists all ${attachmentCount} embedded files with their SHA-256.`,
    STYLE.small,
  );
  const table = new Table(flow, parent, [
    { header: 'Record', width: 90 },
    { header: 'Version', width: 40, align: 'right' },
    { header: 'SHA-256 of the embedded JSON', width: 300, style: STYLE.mono },
    { header: 'Content hash', width: flow.width - 430 },
  ]).start();
  for (const r of records) table.row([r.number, String(r.version), r.jsonSha256, r.jsonSha256 === r.contentHash ? 'matches' : 'DIFFERS']);
  table.end();
  return page;
}
