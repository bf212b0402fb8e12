import { STYLE } from '../layout';
import { Table } from '../table';
import type { RecordSectionInput } from '../types';
import type { SectionContext } from './context';

/** Records linked to this one. */
export function renderLinks(ctx: SectionContext, input: RecordSectionInput, bookmark: PDFKit.PDFOutline): void {
  const { flow, parent } = ctx;
  flow.heading(parent, `Linked records (${input.links.length})`, 2, { bookmark });
  if (input.links.length === 0) {
    flow.paragraph(parent, 'No linked records.', STYLE.body);
    return;
  }
  const table = new Table(flow, parent, [
    { header: 'Relation', width: 110 },
    { header: 'Record', width: 100 },
    { header: 'Title', width: flow.width - 210 },
  ]).start();
  for (const link of input.links) table.row([link.relation, link.number, link.title || '—']);
  table.end();
}
