/**
 * The part of JSON Schema (as an OpenAPI 3 document carries it) that the API's request schemas use,
 * and how to take one operation's request schema out of the served OpenAPI document with every
 * `$ref` followed and every `allOf` merged. Pure: no React, no DOM, so the unit specs run in Node.
 */
export interface JsonSchema {
  $ref?: string;
  /** OpenAPI 3.1 may write `['string', 'null']`. */
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  items?: JsonSchema;
  enum?: readonly unknown[];
  format?: string;
  description?: string;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** OpenAPI 3.0 writes `true` beside `minimum`; 3.1 writes the bound itself. */
  exclusiveMinimum?: boolean | number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  allOf?: readonly JsonSchema[];
  /** The register whose entry the value's id names (the API's `referenceTo`, api/common/references.ts): drawn as a picker. */
  'x-attestflow-reference'?: string;
}

export interface OpenApiOperation {
  summary?: string;
  description?: string;
  operationId?: string;
  tags?: string[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, unknown>;
}

export type OpenApiPathItem = Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', OpenApiOperation>>;

export interface OpenApiDocument {
  openapi?: string;
  paths: Record<string, OpenApiPathItem>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const REF_PREFIX = '#/components/schemas/';

/** The type a schema states, leaving out `null` (`['string', 'null']` is a string). */
export const typeOf = (schema: JsonSchema): string | undefined => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type);

/** Parts of an `allOf` made one: later parts win on plain keywords, properties and required lists are united. */
function mergeAll(parts: readonly JsonSchema[]): JsonSchema {
  return parts.reduce<JsonSchema>((merged, part) => {
    const next: JsonSchema = { ...merged, ...part };
    if (merged.properties || part.properties) next.properties = { ...merged.properties, ...part.properties };
    if (merged.required || part.required) next.required = [...new Set([...(merged.required ?? []), ...(part.required ?? [])])];
    return next;
  }, {});
}

/**
 * The schema with its `$ref`s replaced by the components they name (keywords written beside a `$ref`
 * win), and an `allOf` merged into one schema (NestJS writes `allOf: [{ $ref }]` for a property that
 * carries its own description), all the way down. A schema that refers to itself is cut at the
 * second visit (no such schema exists today).
 */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema, seen: readonly string[] = []): JsonSchema {
  if (schema.$ref) {
    const name = schema.$ref.startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : schema.$ref;
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`The OpenAPI document has no schema ${schema.$ref}`);
    if (seen.includes(name)) return { type: 'object', description: schema.description };
    const { $ref: _ref, ...beside } = schema;
    return { ...resolveSchema(document, target, [...seen, name]), ...beside };
  }
  let resolved: JsonSchema = { ...schema };
  if (schema.allOf) {
    const { allOf, ...own } = schema;
    resolved = mergeAll([...allOf.map((part) => resolveSchema(document, part, seen)), own]);
  }
  if (resolved.properties) {
    resolved.properties = Object.fromEntries(Object.entries(resolved.properties).map(([key, value]) => [key, resolveSchema(document, value, seen)]));
  }
  if (resolved.items) resolved.items = resolveSchema(document, resolved.items, seen);
  return resolved;
}

/** The JSON request body schema of `method path` (e.g. `post`, `/api/change-controls/{id}/submit`), resolved; null when it takes none. */
export function requestSchemaOf(document: OpenApiDocument, path: string, method: keyof OpenApiPathItem = 'post'): JsonSchema | null {
  const operation = document.paths[path]?.[method];
  if (!operation) throw new Error(`The OpenAPI document has no operation ${method.toUpperCase()} ${path}`);
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  return schema ? resolveSchema(document, schema) : null;
}
