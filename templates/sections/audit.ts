import { compactJson } from '../format';
import { STYLE } from '../layout';
import { Table } from '../table';
import type { RecordSectionInput } from '../types';
import type { SectionContext } from './context';

/** "old → new" as compact JSON. */
export function auditChange(oldValue: unknown, newValue: unknown): string {
  return `${compactJson(oldValue)} → ${compactJson(newValue)}`;
}

/** The complete audit trail of the record, one row per event, in sequence order. */
export function renderAudit(ctx: SectionContext, input: RecordSectionInput, bookmark: PDFKit.PDFOutline): void {
  const { flow, parent, time } = ctx;
  flow.heading(parent, `Audit trail (${input.audit.length} event${input.audit.length === 1 ? '' : 's'})`, 2, { bookmark });
  if (input.audit.length === 0) {
    flow.paragraph(parent, 'No audit events.', STYLE.body);
    return;
  }
  flow.paragraph(parent, `Times in ${time.zone}. Old and new values are shown as compact JSON; "—" marks an absent value.`, STYLE.small);
  const table = new Table(flow, parent, [
    { header: 'Seq', width: 26, align: 'right' },
    { header: `Time (${time.zone})`, width: 64 },
    { header: 'Actor', width: 100 },
    { header: 'Action', width: 92 },
    { header: 'Old → new', width: flow.width - 352, style: STYLE.mono },
    { header: 'Reason', width: 70 },
  ]).start();
  const events = [...input.audit].sort((a, b) => a.seq - b.seq);
  events.forEach((e, i) => {
    table.row([String(e.seq), time.short(e.occurredAt), e.actor, e.action, auditChange(e.oldValue, e.newValue), e.reason ?? '—'], { shade: i % 2 === 1 });
  });
  table.end();
}
