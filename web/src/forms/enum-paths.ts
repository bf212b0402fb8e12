import type { JsonSchema } from './json-schema';

/**
 * The content fields whose values are choices, by dotted path without array indices (as the record
 * view's `fieldLabels` name them): every property of a resolved request schema that states an
 * `enum`, itself or for each item of its list. The record page shows such a value by its label
 * (`options.<value>`), and any other value as it was written.
 */
export function enumPathsOf(schema: JsonSchema, prefix: readonly string[] = [], into = new Set<string>()): Set<string> {
  if (schema.enum && prefix.length) into.add(prefix.join('.'));
  if (schema.items) enumPathsOf(schema.items, prefix, into);
  for (const [key, property] of Object.entries(schema.properties ?? {})) enumPathsOf(property, [...prefix, key], into);
  return into;
}
