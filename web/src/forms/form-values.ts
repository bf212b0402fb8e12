// What a form's values are and become: the starting values of the fields (form-fields.ts), whether
// a field was left empty, the checks the schema states, and the request body. Pure, unit-tested.
import type { Field, RowsField } from './form-fields';

export type FormValues = Record<string, unknown>;

/** A check that failed, and the numbers its message needs; schema-form.tsx says it in words. */
export interface FieldProblem {
  key:
    'required' | 'tooShort' | 'tooLong' | 'pattern' | 'tooSmall' | 'notAbove' | 'tooLarge' | 'notANumber' | 'tooFew' | 'tooMany' | 'notAnOption' | 'notADate';
  values?: Record<string, number>;
}

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

/**
 * The form's starting values: empty texts, unchecked boxes, no choice, no rows; `preset` fills
 * top-level texts (a link may name the document a new revision is of).
 */
export function initialValues(fields: readonly Field[], preset: Record<string, string> = {}): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, field.name in preset && isText(field) ? preset[field.name] : emptyValue(field)]));
}

const isText = (field: Field) => field.kind === 'text' || field.kind === 'textarea' || field.kind === 'datetime' || field.kind === 'reference';

export function emptyValue(field: Field): unknown {
  switch (field.kind) {
    case 'boolean':
      return false;
    case 'select':
      return null;
    case 'choices':
    case 'rows':
      return [];
    case 'group':
      return initialValues(field.fields);
    default:
      return '';
  }
}

/** A new row of a list of objects, every field empty. */
export const emptyRow = (field: RowsField): FormValues => initialValues(field.fields);

const linesOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : String(value ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0);

const textOf = (value: unknown) => (typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '');

/** Whether the person left the field as it started (an unchecked box too; an optional group left so is not sent). */
export function isEmpty(field: Field, value: unknown): boolean {
  switch (field.kind) {
    case 'boolean':
      return value !== true;
    case 'select':
      return value === null || value === undefined || value === '';
    case 'choices':
    case 'rows':
      return !Array.isArray(value) || value.length === 0;
    case 'group': {
      const values = (value ?? {}) as FormValues;
      return field.fields.every((child) => isEmpty(child, values[child.name]));
    }
    case 'lines':
      return linesOf(value).length === 0;
    default:
      return textOf(value) === '';
  }
}

/** An ISO 8601 instant from what a datetime-local input holds (local time), or undefined when it is not one. */
export function isoInstant(value: string): string | undefined {
  const at = new Date(value);
  return value === '' || Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The value sent for a field, or undefined to leave it out of the body. */
function bodyValue(field: Field, value: unknown): unknown {
  if (isEmpty(field, value) && !field.required) return undefined;
  switch (field.kind) {
    case 'boolean':
      return value === true;
    case 'number':
      return textOf(value) === '' ? undefined : Number(textOf(value));
    case 'datetime':
      return isoInstant(textOf(value));
    case 'select':
      return isEmpty(field, value) ? undefined : String(value);
    case 'choices':
      return Array.isArray(value) ? value.map(String) : [];
    case 'lines':
      return linesOf(value);
    case 'group':
      return bodyOf(field.fields, (value ?? {}) as FormValues);
    case 'rows':
      return (Array.isArray(value) ? (value as FormValues[]) : []).map((row) => bodyOf(field.fields, row));
    default:
      return textOf(value) === '' ? undefined : textOf(value);
  }
}

/**
 * The request body the values make: texts trimmed (as the API trims them), numbers, ISO instants,
 * lists; what was left empty and is optional is not sent, so it does not change the record.
 */
export function bodyOf(fields: readonly Field[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = bodyValue(field, values[field.name]);
    if (value !== undefined) body[field.name] = value;
  }
  return body;
}

function textProblem(field: { minLength?: number; maxLength?: number; pattern?: string }, text: string): FieldProblem | null {
  const length = [...text].length;
  if (field.minLength !== undefined && length < field.minLength) return { key: 'tooShort', values: { min: field.minLength } };
  if (field.maxLength !== undefined && length > field.maxLength) return { key: 'tooLong', values: { max: field.maxLength } };
  if (field.pattern && !new RegExp(field.pattern, 'u').test(text)) return { key: 'pattern' };
  return null;
}

function countProblem(field: { minItems?: number; maxItems?: number }, count: number): FieldProblem | null {
  if (field.minItems !== undefined && count < field.minItems) return { key: 'tooFew', values: { min: field.minItems } };
  if (field.maxItems !== undefined && count > field.maxItems) return { key: 'tooMany', values: { max: field.maxItems } };
  return null;
}

function numberProblem(field: Extract<Field, { kind: 'number' }>, text: string): FieldProblem | null {
  const number = Number(text);
  if (!Number.isFinite(number) || (field.integer && !Number.isInteger(number))) return { key: 'notANumber' };
  if (field.minimum !== undefined && field.exclusiveMinimum && number <= field.minimum) return { key: 'notAbove', values: { min: field.minimum } };
  if (field.minimum !== undefined && number < field.minimum) return { key: 'tooSmall', values: { min: field.minimum } };
  if (field.maximum !== undefined && number > field.maximum) return { key: 'tooLarge', values: { max: field.maximum } };
  return null;
}

function problemOf(field: Field, value: unknown): FieldProblem | null {
  if (isEmpty(field, value)) {
    // An unchecked box is an answer; a required list may be empty unless the schema says minItems.
    if (field.kind === 'boolean') return null;
    if (field.kind === 'choices' || field.kind === 'lines') return countProblem(field, 0);
    return field.required ? { key: 'required' } : null;
  }
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return textProblem(field, textOf(value));
    case 'number':
      return numberProblem(field, textOf(value));
    case 'datetime':
      return isoInstant(textOf(value)) ? null : { key: 'notADate' };
    case 'select':
      return field.options.includes(String(value)) ? null : { key: 'notAnOption' };
    case 'lines': {
      const lines = linesOf(value);
      for (const line of lines) {
        const problem = textProblem(field.item, line);
        if (problem) return problem;
      }
      return countProblem(field, lines.length);
    }
    case 'choices':
      if (!(value as unknown[]).every((chosen) => field.options.includes(String(chosen)))) return { key: 'notAnOption' };
      return countProblem(field, (value as unknown[]).length);
    case 'rows':
      return countProblem(field, (value as unknown[]).length);
    default:
      return null;
  }
}

/**
 * What breaks the schema's own checks, by field path (as the form addresses its inputs:
 * `impact.riskLevel`, `actions.1.title`). The API checks everything again; this spares a round trip
 * and says which field is wrong. An optional group left empty is not checked (it is not sent).
 */
export function problemsOf(fields: readonly Field[], values: FormValues, prefix = ''): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  for (const field of fields) {
    const value = values[field.name];
    const path = join(prefix, field.name);
    if (field.kind === 'group') {
      if (!field.required && isEmpty(field, value)) continue;
      Object.assign(problems, problemsOf(field.fields, (value ?? {}) as FormValues, path));
      continue;
    }
    const problem = problemOf(field, value);
    if (problem) problems[path] = problem;
    if (field.kind === 'rows' && Array.isArray(value)) {
      (value as FormValues[]).forEach((row, index) => Object.assign(problems, problemsOf(field.fields, row, `${path}.${index}`)));
    }
  }
  return problems;
}
