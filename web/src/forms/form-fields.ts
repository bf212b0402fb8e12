// A request schema (JSON Schema from the served OpenAPI document) turned into form fields, the
// form's starting values, the request body its values make, and the checks the schema states. Pure:
// no React, no DOM, so the mapping is unit-tested (form-fields.spec.ts) and the component
// (schema-form.tsx) only draws what this module decides.
import type { JsonSchema } from './json-schema';

interface FieldBase {
  /** The property name: the label comes from the translations (`fields.<name>`), else from the name. */
  name: string;
  /** Where the value sits in the form's values, dotted (`impact.riskLevel`, `implementationTasks.0.title`). */
  path: string;
  required: boolean;
  description?: string;
}

export interface TextField extends FieldBase {
  /** `textarea` for long texts (a limit above 300 characters), `text` otherwise (no limit included). */
  kind: 'text' | 'textarea';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  example?: string;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  minimum?: number;
  maximum?: number;
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
}
/** One of a fixed list (a string enum). */
export interface SelectField extends FieldBase {
  kind: 'select';
  options: string[];
}
/** Any of a fixed list (an array of a string enum): one checkbox each. */
export interface ChoicesField extends FieldBase {
  kind: 'choices';
  options: string[];
  maxItems?: number;
}
/** A list of free texts (an array of strings): one per line. */
export interface LinesField extends FieldBase {
  kind: 'lines';
  maxItems?: number;
  item: { maxLength?: number; pattern?: string };
}
/** A nested object: its fields, drawn as a group. Optional groups left empty are not sent. */
export interface GroupField extends FieldBase {
  kind: 'group';
  fields: Field[];
}
/** A list of objects (an array of objects): rows the person adds and removes; `fields` is one row's, with paths relative to the row. */
export interface RowsField extends FieldBase {
  kind: 'rows';
  fields: Field[];
  maxItems?: number;
}
export type Field = TextField | NumberField | BooleanField | SelectField | ChoicesField | LinesField | GroupField | RowsField;

export type FormValues = Record<string, unknown>;

/** A check that failed: a translation key under `forms.` and its values. */
export interface FieldProblem {
  key: 'required' | 'tooShort' | 'tooLong' | 'pattern' | 'tooSmall' | 'tooLarge' | 'notANumber' | 'tooMany';
  values?: Record<string, number>;
}

const LONG_TEXT = 300;

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

function fieldOf(name: string, path: string, schema: JsonSchema, required: boolean): Field {
  const base = { name, path, required, ...(schema.description ? { description: schema.description } : {}) };
  if (schema.enum && (schema.type === undefined || schema.type === 'string')) return { ...base, kind: 'select', options: schema.enum.map(String) };
  switch (schema.type) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'number':
    case 'integer':
      return { ...base, kind: 'number', integer: schema.type === 'integer', minimum: schema.minimum, maximum: schema.maximum };
    case 'object':
      return { ...base, kind: 'group', fields: fieldsOf(schema, { prefix: path }) };
    case 'array': {
      const item = schema.items ?? {};
      if (item.enum) return { ...base, kind: 'choices', options: item.enum.map(String), maxItems: schema.maxItems };
      if (item.type === 'object' || item.properties) return { ...base, kind: 'rows', fields: fieldsOf(item), maxItems: schema.maxItems };
      return { ...base, kind: 'lines', maxItems: schema.maxItems, item: { maxLength: item.maxLength, pattern: item.pattern } };
    }
    default:
      return {
        ...base,
        kind: (schema.maxLength ?? 0) > LONG_TEXT ? 'textarea' : 'text',
        minLength: schema.minLength,
        maxLength: schema.maxLength,
        pattern: schema.pattern,
        ...(typeof schema.example === 'string' ? { example: schema.example } : {}),
      };
  }
}

/**
 * The fields of an object schema, in the order the schema lists them; `omit` leaves out properties
 * the application fills itself (the signing dialog's password, the record version it shows).
 */
export function fieldsOf(schema: JsonSchema, options: { omit?: readonly string[]; prefix?: string } = {}): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => !options.omit?.includes(name))
    .map(([name, property]) => fieldOf(name, join(options.prefix ?? '', name), property, required.has(name)));
}

/** The form's starting values: empty texts, unchecked boxes, no choice, no rows. */
export function initialValues(fields: readonly Field[]): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, emptyValue(field)]));
}

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

/** Whether the person left the field as it started (an optional group left so is not sent). */
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
      return value === '' || value === null || value === undefined;
  }
}

const linesOf = (value: unknown): string[] =>
  String(value ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/** The value sent for a field, or undefined to leave it out of the body. */
function bodyValue(field: Field, value: unknown): unknown {
  if (isEmpty(field, value) && !field.required) return undefined;
  switch (field.kind) {
    case 'boolean':
      return value === true;
    case 'number':
      return value === '' || value === null || value === undefined ? undefined : Number(value);
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
      return value === '' ? undefined : String(value);
  }
}

/** The request body the values make: what was left empty (and is optional) is not sent, so it does not change the record. */
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
  if (field.pattern && !new RegExp(field.pattern).test(text)) return { key: 'pattern' };
  return null;
}

function problemOf(field: Field, value: unknown): FieldProblem | null {
  if (isEmpty(field, value))
    return field.required && field.kind !== 'boolean' && field.kind !== 'choices' && field.kind !== 'lines' ? { key: 'required' } : null;
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return textProblem(field, String(value));
    case 'number': {
      const number = Number(value);
      if (!Number.isFinite(number) || (field.integer && !Number.isInteger(number))) return { key: 'notANumber' };
      if (field.minimum !== undefined && number < field.minimum) return { key: 'tooSmall', values: { min: field.minimum } };
      if (field.maximum !== undefined && number > field.maximum) return { key: 'tooLarge', values: { max: field.maximum } };
      return null;
    }
    case 'lines': {
      const lines = linesOf(value);
      if (field.maxItems !== undefined && lines.length > field.maxItems) return { key: 'tooMany', values: { max: field.maxItems } };
      for (const line of lines) {
        const problem = textProblem(field.item, line);
        if (problem) return problem;
      }
      return null;
    }
    case 'choices':
    case 'rows':
      return field.maxItems !== undefined && Array.isArray(value) && value.length > field.maxItems ? { key: 'tooMany', values: { max: field.maxItems } } : null;
    default:
      return null;
  }
}

/**
 * What breaks the schema's own checks, by field path (as the form addresses its inputs). The API
 * checks everything again; this spares a round trip and says which field is wrong. An optional
 * group left empty is not checked (it is not sent).
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
