import { labellerFor } from '../labels';
import { STYLE } from '../layout';
import { Table } from '../table';
import type { RecordSectionInput } from '../types';
import type { SectionContext } from './context';

/** The state history: every transition with its time, actor and reason. */
export function renderHistory(ctx: SectionContext, input: RecordSectionInput, bookmark: PDFKit.PDFOutline): void {
  const { flow, parent, time } = ctx;
  const label = labellerFor(input);
  flow.heading(parent, `State history (${input.history.length})`, 2, { bookmark });
  if (input.history.length === 0) {
    flow.paragraph(parent, 'No state transitions.', STYLE.body);
    return;
  }
  const table = new Table(flow, parent, [
    { header: '#', width: 20, align: 'right' },
    { header: 'From', width: 80 },
    { header: 'To', width: 80 },
    { header: `When (${time.zone})`, width: 76 },
    { header: 'Actor', width: 90 },
    { header: 'Reason', width: flow.width - 346 },
  ]).start();
  input.history.forEach((h, i) =>
    table.row([String(i + 1), h.from === null ? '(created)' : label.status(h.from), label.status(h.to), time.short(h.at), h.actor, h.reason ?? '—']),
  );
  table.end();
}
