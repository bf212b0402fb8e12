// A request schema (JSON Schema from the served OpenAPI document, resolved by json-schema.ts) turned
// into form fields: the one field model of the browser app's forms, used by the record page's action
// dialogs and by the creation pages alike. Pure: no React, no DOM, so the mapping is unit-tested
// (form-fields.spec.ts, creation-forms.spec.ts); form-values.ts holds what the values become, and
// schema-form.tsx only draws what these modules decide.
import { typeOf, type JsonSchema } from './json-schema';

// The module's one entry for the pages: the values side is written in form-values.ts.
export { bodyOf, emptyValue, initialValues, isEmpty, problemsOf, type FieldProblem, type FormValues } from './form-values';

interface FieldBase {
  /** The property name: the label comes from the translations (field-label.ts), else from the name. */
  name: string;
  /** Where the value sits in the form's values, dotted (`impact.riskLevel`); a row's fields are relative to the row (`title`). */
  path: string;
  required: boolean;
  /** The API's help text (English); the app shows a translation when it has one. */
  description?: string;
}

/** A string: `textarea` for long free text, `text` otherwise (codes, numbers, short texts). */
export interface TextField extends FieldBase {
  kind: 'text' | 'textarea';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  example?: string;
}
/**
 * The id of an entry of another register, as the schema marks it (`x-attestflow-reference`: `lot`):
 * a page draws the picker it registers for that register (widgetOf), else a text input for the id.
 */
export interface ReferenceField extends FieldBase {
  kind: 'reference';
  /** The register named by the schema (`lot`). */
  reference: string;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  minimum?: number;
  /** The value must be above `minimum`, not equal to it. */
  exclusiveMinimum?: boolean;
  maximum?: number;
}
/** An instant (ISO 8601), entered as the browser's local date and time. */
export interface DateTimeField extends FieldBase {
  kind: 'datetime';
}
/** The SHA-256 of a file uploaded first: the page draws it with its own upload input. */
export interface FileField extends FieldBase {
  kind: 'file';
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
  minItems?: number;
  maxItems?: number;
}
/** A list of free texts (an array of strings): one per line. */
export interface LinesField extends FieldBase {
  kind: 'lines';
  minItems?: number;
  maxItems?: number;
  item: { maxLength?: number; pattern?: string };
}
/** A nested object: its fields, drawn as a group. An optional group left empty is not sent. */
export interface GroupField extends FieldBase {
  kind: 'group';
  fields: Field[];
}
/** A list of objects: rows the person adds and removes; `fields` is one row's, with paths relative to the row. */
export interface RowsField extends FieldBase {
  kind: 'rows';
  fields: Field[];
  minItems?: number;
  maxItems?: number;
}
export type Field =
  TextField | ReferenceField | NumberField | DateTimeField | FileField | BooleanField | SelectField | ChoicesField | LinesField | GroupField | RowsField;
export type FieldKind = Field['kind'];

/** What a page registers its own inputs under: a field kind (`file`), or `reference:<register>` for a reference field (`reference:lot`). */
export type WidgetKey = Exclude<FieldKind, 'reference'> | `reference:${string}`;
export type WidgetRegistry<W> = Partial<Record<WidgetKey, W>>;

export const widgetKeyOf = (field: Field): WidgetKey => (field.kind === 'reference' ? `reference:${field.reference}` : field.kind);

/** The page's own input for the field, if it registered one; otherwise the builder draws the field itself (a reference as a text input for the id). */
export const widgetOf = <W>(field: Field, registry: WidgetRegistry<W> | undefined): W | undefined => registry?.[widgetKeyOf(field)];

/** Strings that may be longer than this are drawn as a textarea. */
export const LONG_TEXT = 300;
const SHA256_PATTERN = '^[0-9a-f]{64}$';
/** `^[^…]*$`: a pattern that only forbids some characters (the API's control characters on free text). */
const FORBIDS_ONLY = /^\^\[\^[^\]]*\]\*\$$/;

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);
const isObject = (schema: JsonSchema) => typeOf(schema) === 'object' || schema.properties !== undefined;

function stringField(name: string, schema: JsonSchema, base: FieldBase): Field {
  const reference = schema['x-attestflow-reference'];
  if (typeof reference === 'string' && reference !== '') return { ...base, kind: 'reference', reference };
  if (schema.pattern === SHA256_PATTERN && /^file/i.test(name)) return { ...base, kind: 'file' };
  if (schema.format === 'date-time' || schema.format === 'date' || /(Date|At)$/.test(name)) return { ...base, kind: 'datetime' };
  // A pattern that says which characters make the value (not only which are forbidden) makes it a code: one line.
  const code = schema.pattern !== undefined && !FORBIDS_ONLY.test(schema.pattern);
  return {
    ...base,
    kind: !code && (schema.maxLength ?? 0) > LONG_TEXT ? 'textarea' : 'text',
    minLength: schema.minLength,
    maxLength: schema.maxLength,
    pattern: schema.pattern,
    ...(typeof schema.example === 'string' ? { example: schema.example } : {}),
  };
}

function fieldOf(name: string, path: string, schema: JsonSchema, required: boolean): Field {
  const base: FieldBase = { name, path, required, ...(schema.description ? { description: schema.description } : {}) };
  const type = typeOf(schema) ?? (schema.properties ? 'object' : schema.enum ? 'string' : undefined);
  if (schema.enum && (type === undefined || type === 'string')) return { ...base, kind: 'select', options: schema.enum.map(String) };
  switch (type) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'number':
    case 'integer':
      return {
        ...base,
        kind: 'number',
        integer: type === 'integer',
        minimum: typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : schema.minimum,
        ...(schema.exclusiveMinimum === true || typeof schema.exclusiveMinimum === 'number' ? { exclusiveMinimum: true } : {}),
        maximum: schema.maximum,
      };
    case 'object':
      return { ...base, kind: 'group', fields: fieldsOf(schema, { prefix: path }) };
    case 'array': {
      const item = schema.items ?? {};
      const counts = { minItems: schema.minItems, maxItems: schema.maxItems };
      if (item.enum) return { ...base, kind: 'choices', options: item.enum.map(String), ...counts };
      if (isObject(item)) return { ...base, kind: 'rows', fields: fieldsOf(item), ...counts };
      return { ...base, kind: 'lines', ...counts, item: { maxLength: item.maxLength, pattern: item.pattern } };
    }
    default:
      return stringField(name, schema, base);
  }
}

/**
 * The fields of a resolved object schema, in the order the schema lists them; `omit` leaves out
 * properties the application fills itself (the signing dialog's password, the record version it
 * shows) or that another form on the page already asks for.
 */
export function fieldsOf(schema: JsonSchema, options: { omit?: readonly string[]; prefix?: string } = {}): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => !options.omit?.includes(name))
    .map(([name, property]) => fieldOf(name, join(options.prefix ?? '', name), property, required.has(name)));
}
