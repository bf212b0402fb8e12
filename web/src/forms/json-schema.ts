/**
 * The part of JSON Schema (OpenAPI 3 flavour) that the API's request schemas use, and how to take
 * one operation's request schema out of the served OpenAPI document with every `$ref` resolved.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  format?: string;
  description?: string;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  $ref?: string;
  allOf?: JsonSchema[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } | undefined>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const REF_PREFIX = '#/components/schemas/';

/**
 * The schema with its `$ref`s replaced by the components they name, and an `allOf` (NestJS writes
 * `allOf: [{ $ref }]` for a property that carries its own description) merged into one schema.
 * A schema that refers to itself is cut at the second visit (no such schema exists today).
 */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema, seen: readonly string[] = []): JsonSchema {
  if (schema.$ref) {
    const name = schema.$ref.startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : schema.$ref;
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`The OpenAPI document has no schema ${schema.$ref}`);
    if (seen.includes(name)) return { type: 'object', description: schema.description };
    const { $ref: _ref, ...rest } = schema;
    return { ...resolveSchema(document, target, [...seen, name]), ...rest };
  }
  let resolved: JsonSchema = { ...schema };
  if (schema.allOf) {
    const { allOf, ...own } = schema;
    resolved = Object.assign({}, ...allOf.map((part) => resolveSchema(document, part, seen)), own) as JsonSchema;
  }
  if (resolved.properties) {
    resolved.properties = Object.fromEntries(Object.entries(resolved.properties).map(([key, value]) => [key, resolveSchema(document, value, seen)]));
  }
  if (resolved.items) resolved.items = resolveSchema(document, resolved.items, seen);
  return resolved;
}

/** The JSON request body schema of `method path` (e.g. `post`, `/api/change-controls/{id}/submit`), resolved; null when it takes none. */
export function requestSchemaOf(document: OpenApiDocument, path: string, method = 'post'): JsonSchema | null {
  const operation = document.paths[path]?.[method];
  if (!operation) throw new Error(`The OpenAPI document has no operation ${method.toUpperCase()} ${path}`);
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  return schema ? resolveSchema(document, schema) : null;
}
