// A request schema → the fields of a form, their empty values, their validation, and the request
// body built from what was entered. Pure (no React), so it is unit-tested in Node; the Mantine
// rendering is in schema-fields-view.tsx. The creation pages' builder, written beside the record
// page's (../form-fields.ts, ../schema-form.tsx) at the same time: it adds file and date fields and
// custom inputs, the other adds rows (lists of objects). One of them should absorb the other.
import { resolveSchema, type JsonSchema, type OpenApiDocument } from './openapi-schema';

/**
 * What a field is drawn as:
 * - `text` / `textarea` (a string; a textarea when it may be longer than LONG_TEXT characters and has no pattern),
 * - `select` (a string enum), `multiselect` (an array of string enum values, as checkboxes),
 * - `list` (an array of free strings, one per line), `boolean` (a checkbox), `number`,
 * - `datetime` (an ISO 8601 instant: format date-time, or a name ending in `Date` or `At`),
 * - `file` (the SHA-256 of an uploaded file: a 64-hex pattern on a field whose name starts with `file`),
 * - `object` (a nested group of fields),
 * - `unsupported` (an array of objects: not drawn, never sent).
 */
export type FieldKind = 'text' | 'textarea' | 'select' | 'multiselect' | 'list' | 'boolean' | 'number' | 'datetime' | 'file' | 'object' | 'unsupported';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** The API's help text (English); the app shows a translation when it has one. */
  description?: string;
  example?: unknown;
  options?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  integer?: boolean;
  /** The nested fields of an `object`. */
  fields?: FieldSpec[];
}

/** Strings that may be longer than this are drawn as a textarea. */
export const LONG_TEXT = 300;

export type FieldValue = string | boolean | string[] | FormValues;
export interface FormValues {
  [name: string]: FieldValue;
}

/** Why a value is refused, with what the message needs: translated by the form. */
export interface FieldError {
  code: 'required' | 'tooShort' | 'tooLong' | 'pattern' | 'notANumber' | 'tooSmall' | 'tooLarge' | 'notAnOption' | 'notADate';
  limit?: number;
}
export type FormErrors = Record<string, FieldError>;

const SHA256_PATTERN = '^[0-9a-f]{64}$';
/** `^[^…]*$`: a pattern that only forbids some characters. */
const FORBIDS_ONLY = /^\^\[\^[^\]]*\]\*\$$/;

const typeOf = (schema: JsonSchema): string | undefined => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type);

function kindOf(name: string, schema: JsonSchema): FieldKind {
  const type = typeOf(schema) ?? (schema.properties ? 'object' : schema.enum ? 'string' : undefined);
  switch (type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return 'number';
    case 'object':
      return 'object';
    case 'array': {
      const items = schema.items ?? {};
      if (items.enum) return 'multiselect';
      if (typeOf(items) === 'object' || items.properties || items.$ref) return 'unsupported';
      return 'list';
    }
    default:
      if (schema.enum) return 'select';
      if (schema.pattern === SHA256_PATTERN && /^file/i.test(name)) return 'file';
      if (schema.format === 'date-time' || schema.format === 'date' || /(Date|At)$/.test(name)) return 'datetime';
      // A pattern that says which characters make the value (not only which are forbidden, as the
      // API's `^[^<control characters>]*$` on free text) makes it a code or number: one line.
      if (schema.pattern !== undefined && !FORBIDS_ONLY.test(schema.pattern)) return 'text';
      return schema.maxLength === undefined || schema.maxLength > LONG_TEXT ? 'textarea' : 'text';
  }
}

/** The fields of an object schema, in the schema's order; `omit` leaves out fields another form already has. */
export function fieldsOf(document: OpenApiDocument, schema: JsonSchema | undefined, omit: readonly string[] = []): FieldSpec[] {
  const resolved = resolveSchema(document, schema);
  const required = new Set(resolved.required ?? []);
  return Object.entries(resolved.properties ?? {})
    .filter(([name]) => !omit.includes(name))
    .map(([name, raw]) => {
      // An array's items may be a $ref too; a nested object's fields are built the same way.
      const property = resolveSchema(document, raw);
      if (property.items) property.items = resolveSchema(document, property.items);
      const kind = kindOf(name, property);
      const spec: FieldSpec = { name, kind, required: required.has(name) };
      if (property.description) spec.description = property.description;
      if (property.example !== undefined) spec.example = property.example;
      const options = kind === 'multiselect' ? property.items?.enum : property.enum;
      if (options) spec.options = options.map(String);
      for (const key of ['minLength', 'maxLength', 'minimum', 'maximum', 'pattern'] as const) {
        if (property[key] !== undefined) (spec as unknown as Record<string, unknown>)[key] = property[key];
      }
      if (typeOf(property) === 'integer') spec.integer = true;
      if (kind === 'object') spec.fields = fieldsOf(document, property);
      return spec;
    });
}

/** What an empty form holds for these fields. */
export function initialValues(fields: readonly FieldSpec[], preset: Record<string, string> = {}): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    if (field.kind === 'unsupported') continue;
    if (field.kind === 'boolean') values[field.name] = false;
    else if (field.kind === 'multiselect') values[field.name] = [];
    else if (field.kind === 'object') values[field.name] = initialValues(field.fields ?? []);
    else values[field.name] = preset[field.name] ?? '';
  }
  return values;
}

const listOf = (value: FieldValue | undefined): string[] =>
  typeof value === 'string'
    ? value
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
    : Array.isArray(value)
      ? value
      : [];

/** Whether nothing was entered (an unchecked box counts as entered: false is a value). */
function isEmpty(field: FieldSpec, value: FieldValue | undefined): boolean {
  if (field.kind === 'object') return (field.fields ?? []).every((f) => f.kind === 'boolean' || isEmpty(f, (value as FormValues | undefined)?.[f.name]));
  if (field.kind === 'multiselect' || field.kind === 'list') return listOf(value).length === 0;
  if (field.kind === 'boolean') return false;
  return typeof value !== 'string' || value.trim() === '';
}

/** An ISO instant from what a datetime-local input holds (local time), or undefined when it is not one. */
export function isoInstant(value: string): string | undefined {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

function checkOne(field: FieldSpec, value: FieldValue | undefined, path: string, errors: FormErrors): void {
  if (field.kind === 'unsupported') return;
  const empty = isEmpty(field, value);
  if (empty) {
    // A required list may be empty (the API says so with minItems when it is not).
    if (field.required && field.kind !== 'list' && field.kind !== 'multiselect' && field.kind !== 'boolean') errors[path] = { code: 'required' };
    return;
  }
  if (field.kind === 'object') {
    for (const nested of field.fields ?? []) checkOne(nested, (value as FormValues)[nested.name], `${path}.${nested.name}`, errors);
    return;
  }
  if (field.kind === 'multiselect') {
    if (listOf(value).some((v) => !field.options?.includes(v))) errors[path] = { code: 'notAnOption' };
    return;
  }
  if (field.kind === 'list') {
    for (const item of listOf(value)) {
      if (field.maxLength !== undefined && item.length > field.maxLength) errors[path] = { code: 'tooLong', limit: field.maxLength };
    }
    return;
  }
  if (typeof value !== 'string') return;
  const text = value.trim();
  if (field.kind === 'select' && !field.options?.includes(text)) errors[path] = { code: 'notAnOption' };
  else if (field.kind === 'datetime' && !isoInstant(text)) errors[path] = { code: 'notADate' };
  else if (field.kind === 'number') {
    const number = Number(text);
    if (!Number.isFinite(number) || (field.integer && !Number.isInteger(number))) errors[path] = { code: 'notANumber' };
    else if (field.minimum !== undefined && number < field.minimum) errors[path] = { code: 'tooSmall', limit: field.minimum };
    else if (field.maximum !== undefined && number > field.maximum) errors[path] = { code: 'tooLarge', limit: field.maximum };
  } else if (field.minLength !== undefined && [...text].length < field.minLength) errors[path] = { code: 'tooShort', limit: field.minLength };
  else if (field.maxLength !== undefined && [...text].length > field.maxLength) errors[path] = { code: 'tooLong', limit: field.maxLength };
  else if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(text)) errors[path] = { code: 'pattern' };
}

/** The refusals the form can tell before sending, by field path (`impact.riskLevel`); the API checks everything again. */
export function validateValues(fields: readonly FieldSpec[], values: FormValues): FormErrors {
  const errors: FormErrors = {};
  for (const field of fields) checkOne(field, values[field.name], field.name, errors);
  return errors;
}

/** The request body: trimmed strings, numbers, ISO instants, lists; optional fields left empty are not sent. */
export function bodyOf(fields: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'unsupported' || (isEmpty(field, value) && !field.required && field.kind !== 'boolean')) continue;
    switch (field.kind) {
      case 'object':
        body[field.name] = bodyOf(field.fields ?? [], (value as FormValues | undefined) ?? {});
        break;
      case 'boolean':
        body[field.name] = value === true;
        break;
      case 'list':
      case 'multiselect':
        body[field.name] = listOf(value);
        break;
      case 'number':
        body[field.name] = Number(String(value).trim());
        break;
      case 'datetime':
        body[field.name] = isoInstant(String(value).trim());
        break;
      default:
        body[field.name] = String(value ?? '').trim();
    }
  }
  return body;
}

/** Whether any of these fields holds something (a form section left untouched sends nothing). */
export const anyEntered = (fields: readonly FieldSpec[], values: FormValues): boolean =>
  fields.some((field) => field.kind !== 'boolean' && field.kind !== 'unsupported' && !isEmpty(field, values[field.name]));
