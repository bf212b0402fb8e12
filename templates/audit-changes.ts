// An audit event's old and new values as a person reads them: one line per changed field,
// "Field: old → new", nested values by their path ("Impact assessment › Risk level"), unchanged
// fields left out, long text kept as text (the table wraps it at word boundaries).
import { compactJson, scalarText } from './format';
import type { TimeFormatter } from './format';
import type { Labeller } from './labels';

/** Deeper values are printed as compact JSON (also guards against cyclic objects). */
const MAX_DEPTH = 12;
/** Keys whose values are states of the process, printed with the state's label. */
const STATE_KEYS = new Set(['status', 'step', 'from', 'to', 'fromStatus', 'toStatus']);

interface Leaf {
  /** Keys and 1-based item numbers from the top of the value. */
  path: (string | number)[];
  value: unknown;
}

/** A full ISO 8601 instant as the API and the database write them ("2026-03-14T09:26:53.120Z", or with an offset). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An instant in a value printed in the zone the rest of the PDF uses; any other text as it is. */
function instantText(value: string, time: TimeFormatter | undefined): string {
  if (!time || !ISO_INSTANT.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : time.short(date);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
const isScalar = (value: unknown) => !isPlainObject(value) && !Array.isArray(value);

/** The scalar leaves of a value; an array of scalars is one leaf, an empty object or array too. */
function leaves(value: unknown, path: (string | number)[] = [], out: Leaf[] = []): Leaf[] {
  if (path.length >= MAX_DEPTH) out.push({ path, value: compactJson(value) });
  else if (isPlainObject(value) && Object.keys(value).length > 0) {
    // A key holding undefined is absent, as in JSON.
    for (const [key, child] of Object.entries(value)) if (child !== undefined) leaves(child, [...path, key], out);
  } else if (Array.isArray(value) && value.length > 0 && !value.every(isScalar)) {
    value.forEach((item, i) => leaves(item, [...path, i + 1], out));
  } else out.push({ path, value });
  return out;
}

const keyOf = (path: (string | number)[]) => JSON.stringify(path);

function fieldName(path: (string | number)[], label: Labeller): string {
  // Record content sits under "content" in record events: its fields are named as in the content.
  const inContent = path[0] === 'content' && path.length > 1;
  const parts = inContent ? path.slice(1) : path;
  const keys: string[] = [];
  const names: string[] = [];
  for (const part of parts) {
    if (typeof part === 'number') {
      names[names.length - 1] = `${names[names.length - 1] ?? 'Item'} ${part}`;
      continue;
    }
    keys.push(part);
    names.push(label.field(inContent ? keys : [part]));
  }
  return names.join(' › ') || 'Value';
}

function valueText(path: (string | number)[], value: unknown, label: Labeller, time: TimeFormatter | undefined): string {
  const key = path[path.length - 1];
  if (typeof key === 'string' && STATE_KEYS.has(key) && typeof value === 'string') return label.status(value);
  const text = (v: unknown) => (typeof v === 'string' ? instantText(v, time) : scalarText(v));
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(text).join(', ');
  if (isPlainObject(value)) return '(none)';
  return text(value);
}

/**
 * One line per field the event set or changed: "Field: new" when the field had no earlier value,
 * "Field: old → new" when it changed, "Field: old → (removed)" when it went away. Fields with the
 * same value before and after are left out.
 */
export function auditChangeLines(oldValue: unknown, newValue: unknown, label: Labeller, time?: TimeFormatter): string[] {
  const hasOld = oldValue !== null && oldValue !== undefined;
  const hasNew = newValue !== null && newValue !== undefined;
  if (!hasOld && !hasNew) return [];
  const before = new Map(hasOld ? leaves(oldValue).map((l) => [keyOf(l.path), l] as const) : []);
  const after = hasNew ? leaves(newValue) : [];
  const lines: string[] = [];
  for (const leaf of after) {
    const earlier = before.get(keyOf(leaf.path));
    before.delete(keyOf(leaf.path));
    const now = valueText(leaf.path, leaf.value, label, time);
    if (!earlier) lines.push(`${fieldName(leaf.path, label)}: ${now}`);
    else {
      const then = valueText(earlier.path, earlier.value, label, time);
      if (compactJson(earlier.value) !== compactJson(leaf.value)) lines.push(`${fieldName(leaf.path, label)}: ${then} → ${now}`);
    }
  }
  for (const gone of before.values())
    lines.push(`${fieldName(gone.path, label)}: ${valueText(gone.path, gone.value, label, time)} → ${hasNew ? '(removed)' : '—'}`);
  return lines;
}
