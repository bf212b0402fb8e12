import { auditChangeLines } from '../audit-changes';
import { labellerFor } from '../labels';
import { STYLE } from '../layout';
import { Table } from '../table';
import type { RecordSectionInput } from '../types';
import type { SectionContext } from './context';

/** The complete audit trail of the record, one row per event, in sequence order. */
export function renderAudit(ctx: SectionContext, input: RecordSectionInput, bookmark: PDFKit.PDFOutline): void {
  const { flow, parent, time } = ctx;
  const label = labellerFor(input);
  flow.heading(parent, `Audit trail (${input.audit.length} event${input.audit.length === 1 ? '' : 's'})`, 2, { bookmark });
  if (input.audit.length === 0) {
    flow.paragraph(parent, 'No audit events.', STYLE.body);
    return;
  }
  flow.paragraph(
    parent,
    `Times in ${time.zone}, also those inside changed values. Each field the event set is shown as "Field: value", each it changed as "Field: old → new"; unchanged fields are left out; "—" marks an absent value.`,
    STYLE.small,
  );
  const table = new Table(flow, parent, [
    { header: 'Seq', width: 24, align: 'right' },
    { header: `Time (${time.zone})`, width: 62 },
    { header: 'Actor', width: 100 },
    { header: 'Action', width: 88 },
    { header: 'Changed fields', width: flow.width - 338 },
    { header: 'Reason', width: 64 },
  ]).start();
  const events = [...input.audit].sort((a, b) => a.seq - b.seq);
  events.forEach((e, i) => {
    const changes = auditChangeLines(e.oldValue, e.newValue, label, time);
    table.row([String(e.seq), time.short(e.occurredAt), e.actor, e.action, changes.length ? changes.join('\n') : '—', e.reason ?? '—'], { shade: i % 2 === 1 });
  });
  table.end();
}
