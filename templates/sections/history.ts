import { STYLE } from '../layout';
import { Table } from '../table';
import type { RecordSectionInput } from '../types';
import type { SectionContext } from './context';

/** The state history: every transition with its time, actor and reason. */
export function renderHistory(ctx: SectionContext, input: RecordSectionInput, bookmark: PDFKit.PDFOutline): void {
  const { flow, parent, time } = ctx;
  flow.heading(parent, `State history (${input.history.length})`, 2, { bookmark });
  if (input.history.length === 0) {
    flow.paragraph(parent, 'No state transitions.', STYLE.body);
    return;
  }
  const table = new Table(flow, parent, [
    { header: '#', width: 20, align: 'right' },
    { header: 'From', width: 66 },
    { header: 'To', width: 66 },
    { header: `When (${time.zone})`, width: 76 },
    { header: 'Actor', width: 100 },
    { header: 'Reason', width: flow.width - 328 },
  ]).start();
  input.history.forEach((h, i) => table.row([String(i + 1), h.from ?? '(created)', h.to, time.short(h.at), h.actor, h.reason ?? '—']));
  table.end();
}
