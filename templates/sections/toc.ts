import { labellerFor } from '../labels';
import { STYLE } from '../layout';
import { Table, type DeferredCell } from '../table';
import type { DossierRecordSummary } from '../types';
import type { SectionContext } from './context';

export interface TocEntries {
  records: DeferredCell[];
  signatureIndex: DeferredCell;
  manifest: DeferredCell;
}

/**
 * The contents, laid out before the records with the page column left empty: the rows' heights do
 * not depend on the page numbers, so the numbers are written in afterwards on the same pages.
 */
export function renderToc(ctx: SectionContext, records: DossierRecordSummary[]): TocEntries {
  const { flow, parent } = ctx;
  flow.heading(parent, 'Contents', 1, { bookmark: ctx.outline });
  const table = new Table(flow, parent, [
    { header: '#', width: 26, align: 'right' },
    { header: 'Record', width: 86 },
    { header: 'Title', width: flow.width - 282 },
    { header: 'Type · status · version', width: 130 },
    { header: 'Page', width: 40, align: 'right' },
  ]).start();
  const entries = records.map((r, i) => {
    const label = labellerFor(r);
    return table.row([
      String(i + 1),
      r.record.number,
      r.record.title || '(untitled)',
      `${label.type} · ${label.status(r.record.status)} · v${r.record.version}`,
      null,
    ])[0]!;
  });
  const signatureIndex = table.row(['', 'Signature index', 'Every signature by printed name', '', null])[0]!;
  const manifest = table.row(['', 'Manifest', 'SHA-256 of every embedded record', '', null])[0]!;
  table.end();
  flow.paragraph(parent, 'Page numbers refer to the "Page n of m" footer.', STYLE.small);
  return { records: entries, signatureIndex, manifest };
}
