import { labellerFor } from '../labels';
import { STYLE } from '../layout';
import { Table } from '../table';
import { lineHeight, wrapText } from '../text';
import type { RecordSectionInput } from '../types';
import type { SectionContext } from './context';

/** The record's title heading: "CC-0001 — Title". */
export function recordHeading(input: RecordSectionInput): string {
  return `${input.record.number} — ${input.record.title || '(untitled)'}`;
}

/**
 * Header block: organisation, number, type, title, status, version, content hash, creation, and a
 * summary of who signed with what meaning and when, so that the first page says who approved.
 * Returns the record's bookmark.
 */
export function renderHeader(ctx: SectionContext, input: RecordSectionInput, organisation: string): PDFKit.PDFOutline {
  const { flow, time, parent } = ctx;
  const { record } = input;
  const label = labellerFor(input);
  const heading = recordHeading(input);
  const lines = wrapText(flow.doc, heading, STYLE.title, flow.width);
  flow.ensure(lines.length * lineHeight(STYLE.title.size) + 120);
  flow.paragraph(parent, `${organisation} · Controlled record`, STYLE.small, { after: 2 });
  const bookmark = ctx.outline.addItem(heading);
  const el = flow.tags.element(parent, 'H1');
  flow.drawLines(el, 'H1', lines, flow.left, STYLE.title, flow.width);
  el.end();
  flow.y += 6;
  const table = new Table(
    flow,
    parent,
    [
      { header: 'Field', width: 120, style: STYLE.cellBold },
      { header: 'Value', width: flow.width - 120, style: { role: 'regular', size: 8.5 } },
    ],
    { header: false, rules: false },
  ).start();
  const rows: [string, string][] = [
    ['Organisation', organisation],
    ['Record number', record.number],
    ['Type', label.type],
    ['Title', record.title || '(untitled)'],
    ['Status', label.status(record.status)],
    ['Version', String(record.version)],
    ['Content hash (SHA-256)', record.contentHash],
    ['Record ID', record.id],
    ['Created', `${time.full(record.createdAt)} by ${record.createdBy}`],
  ];
  for (const [field, value] of rows) table.row([field, value]);
  table.end();
  renderSignatureSummary(ctx, input);
  flow.rule();
  flow.y += 4;
  return bookmark;
}

/** Who signed, with the meaning, date and time (with zone) and step of each signature: details under "Electronic signatures". */
function renderSignatureSummary(ctx: SectionContext, input: RecordSectionInput): void {
  const { flow, time, parent } = ctx;
  const label = labellerFor(input);
  flow.paragraph(parent, `Signatures (${input.signatures.length})`, { ...STYLE.body, role: 'bold' }, { after: 2 });
  if (input.signatures.length === 0) {
    flow.paragraph(parent, 'The record carries no electronic signatures.', STYLE.body);
    return;
  }
  const table = new Table(flow, parent, [
    { header: 'Signed by', width: 130, style: STYLE.cellBold },
    { header: 'Meaning', width: 70 },
    { header: 'Date and time', width: 150 },
    { header: 'Step', width: flow.width - 350 },
  ]).start();
  for (const s of input.signatures) {
    const counts = s.invalidated ? ` (no longer counts: amended in version ${s.invalidated.byVersion})` : '';
    table.row([s.printedName, s.meaning, time.full(s.signedAt), `${label.status(s.step)}${counts}`]);
  }
  table.end();
}
