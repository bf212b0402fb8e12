/**
 * The part of JSON Schema (as an OpenAPI 3 document carries it) that request forms are built from.
 * Pure: no React, no DOM, so the unit specs run in Node.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: readonly unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  allOf?: readonly JsonSchema[];
  description?: string;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  nullable?: boolean;
  minItems?: number;
  maxItems?: number;
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

/** The schema with `$ref` followed and `allOf` merged (properties and required lists united), to a depth limit against cycles. */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema | undefined, depth = 0): JsonSchema {
  if (!schema) return {};
  if (depth > 20) throw new Error('The schema refers to itself too deeply to build a form from it.');
  if (schema.$ref) {
    const name = schema.$ref.startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : undefined;
    const target = name ? document.components?.schemas?.[name] : undefined;
    if (!target) throw new Error(`The schema ${schema.$ref} is not in the document.`);
    const { $ref: _ref, ...beside } = schema;
    return resolveSchema(document, { ...target, ...beside }, depth + 1);
  }
  if (schema.allOf?.length) {
    const { allOf, ...rest } = schema;
    return allOf
      .map((part) => resolveSchema(document, part, depth + 1))
      .reduce<JsonSchema>(
        (merged, part) => ({
          ...merged,
          ...part,
          properties: { ...merged.properties, ...part.properties },
          required: [...(merged.required ?? []), ...(part.required ?? [])],
        }),
        rest,
      );
  }
  return schema;
}

/** The JSON request body schema of an operation, resolved. */
export function requestSchema(document: OpenApiDocument, operation: OpenApiOperation | undefined): JsonSchema | undefined {
  const schema = operation?.requestBody?.content?.['application/json']?.schema;
  return schema ? resolveSchema(document, schema) : undefined;
}
