import { compactJson, humaniseKey, scalarText } from '../format';
import { labellerFor } from '../labels';
import { STYLE } from '../layout';
import { Table } from '../table';
import type { RecordSectionInput } from '../types';
import type { SectionContext } from './context';

interface ContentRow {
  key: string;
  value: string;
  depth: number;
}

const MAX_INDENT_DEPTH = 8;
/** Deeper values are printed as compact JSON (also guards against cyclic objects). */
const MAX_DEPTH = 32;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** A field's name by its path of keys (array indices left out); default: the last key humanised. */
export type FieldLabel = (path: readonly string[]) => string;
const humanised: FieldLabel = (path) => humaniseKey(path[path.length - 1] ?? '');

/** Flattens content into rows: nested objects and arrays become indented groups under their key. */
export function contentRows(value: Record<string, unknown>, label: FieldLabel = humanised): ContentRow[] {
  const out: ContentRow[] = [];
  pushObject(value, [], 0, label, out);
  return out;
}

function pushObject(value: Record<string, unknown>, path: string[], depth: number, label: FieldLabel, out: ContentRow[]): void {
  for (const [key, child] of Object.entries(value)) pushValue(label([...path, key]), child, [...path, key], depth, label, out);
}

function pushValue(key: string, value: unknown, path: string[], depth: number, label: FieldLabel, out: ContentRow[]): void {
  if (depth >= MAX_DEPTH) {
    out.push({ key, value: compactJson(value), depth });
  } else if (Array.isArray(value)) {
    out.push({ key, value: value.length === 0 ? '(none)' : `${value.length} item${value.length === 1 ? '' : 's'}`, depth });
    value.forEach((item, i) => pushValue(`${i + 1}.`, item, path, depth + 1, label, out));
  } else if (isPlainObject(value)) {
    const entries = Object.keys(value).length;
    out.push({ key, value: entries === 0 ? '(none)' : '', depth });
    pushObject(value, path, depth + 1, label, out);
  } else {
    out.push({ key, value: scalarText(value), depth });
  }
}

/** The record version's content laid out for reading. */
export function renderContent(ctx: SectionContext, input: RecordSectionInput, bookmark: PDFKit.PDFOutline): void {
  const { flow, parent } = ctx;
  flow.heading(parent, `Content (version ${input.record.version})`, 2, { bookmark });
  const rows = contentRows(input.content, labellerFor(input).field);
  if (rows.length === 0) {
    flow.paragraph(parent, 'The record has no content fields.', STYLE.body);
    return;
  }
  const table = new Table(flow, parent, [
    { header: 'Field', width: 150, style: STYLE.cellBold },
    { header: 'Value', width: flow.width - 150, style: { role: 'regular', size: 8.5 } },
  ]).start();
  for (const row of rows) table.row([row.key, row.value], { indent: Math.min(row.depth, MAX_INDENT_DEPTH) * 10 });
  table.end();
}
