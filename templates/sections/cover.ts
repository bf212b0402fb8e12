import { STYLE } from '../layout';
import { Table, type DeferredCell } from '../table';
import { lineHeight, wrapText } from '../text';
import type { DossierPdfInput, DossierRecordSummary } from '../types';
import type { SectionContext } from './context';

/** The counts on the cover, written once the records are drawn (each record is read only when drawn). */
export interface CoverCounts {
  signatures: DeferredCell;
  auditEvents: DeferredCell;
}

/** The dossier's cover page: what it is, who asked for it, what it contains, when it was made. */
export function renderCover(ctx: SectionContext, input: Omit<DossierPdfInput, 'records'>, records: DossierRecordSummary[]): CoverCounts {
  const { flow, parent, time } = ctx;
  flow.y += 60;
  flow.paragraph(parent, `${input.organisation} · Auditor dossier`, { ...STYLE.body, color: '#444444' }, { after: 6 });
  ctx.outline.addItem(`Dossier: ${input.title}`);
  const el = flow.tags.element(parent, 'H1');
  flow.drawLines(el, 'H1', wrapText(flow.doc, input.title, { ...STYLE.title, size: 22 }, flow.width), flow.left, { ...STYLE.title, size: 22 }, flow.width);
  el.end();
  flow.y += lineHeight(STYLE.body.size);
  const table = new Table(
    flow,
    parent,
    [
      { header: 'Field', width: 130, style: { role: 'bold', size: 9 } },
      { header: 'Value', width: flow.width - 130, style: STYLE.body },
    ],
    { header: false, rules: false },
  ).start();
  const rows: [string, string][] = [
    ['Organisation', input.organisation],
    ['Dossier', input.dossierId],
    ['Requested by', input.requestedBy],
    ['Selection', input.selectionDescription],
    ['Generated', time.full(input.generatedAt)],
    ['Records', String(records.length)],
  ];
  for (const [field, value] of rows) table.row([field, value]);
  const counts = { signatures: table.row(['Signatures', null])[0]!, auditEvents: table.row(['Audit events', null])[0]! };
  table.end();
  flow.y += 12;
  flow.paragraph(
    parent,
    'Each record below is reproduced as in its controlled record PDF: identification, content, state history, every electronic signature ' +
      'with its manifestation (printed name, meaning, date and time, comment), the complete audit trail and linked records. ' +
      "Each record's canonical JSON and each signature's CMS and manifest are embedded in this PDF/A-3 file; manifest.json, also embedded, " +
      'lists the SHA-256 of every embedded file. The contents list the page on which each record starts.',
    { ...STYLE.body, color: '#333333' },
  );
  return counts;
}
