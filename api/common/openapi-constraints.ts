import type { OpenAPIObject } from '@nestjs/swagger';
import type { ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IS_DATE_STRING } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { NO_CONTROL_CHARACTERS } from './control-characters.pipe';

/** The JSON Schema keywords that say what the validation pipe accepts (types and `required` come from @ApiProperty). */
const CONSTRAINTS = [
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'enum',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
] as const;

type Schema = SchemaObject | ReferenceObject;
const isSchema = (s: Schema | undefined): s is SchemaObject => s !== undefined && !('$ref' in s);

function mergeConstraints(target: SchemaObject, source: SchemaObject): void {
  const into = target as Record<string, unknown>;
  const from = source as Record<string, unknown>;
  for (const key of CONSTRAINTS) {
    if (from[key] !== undefined && into[key] === undefined) into[key] = from[key];
  }
  // JSON Schema's numeric exclusive bounds (@IsPositive: exclusiveMinimum 0) in OpenAPI 3.0's form.
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof into[exclusive] === 'number') {
      into[bound] = into[exclusive];
      into[exclusive] = true;
    }
  }
  if (isSchema(target.items) && isSchema(source.items)) mergeConstraints(target.items, source.items);
}

/** Text without a stated pattern or format may hold any character but controls (api/common/control-characters.pipe.ts). */
function refuseControlCharacters(schema: SchemaObject): void {
  if (schema.type === 'string' && schema.pattern === undefined && schema.format === undefined && schema.enum === undefined) {
    schema.pattern = NO_CONTROL_CHARACTERS;
  }
  if (isSchema(schema.items)) refuseControlCharacters(schema.items);
}

/**
 * Writes the class-validator constraints of every DTO (@MaxLength, @Matches, @Min, @IsIn, @IsUUID,
 * @ArrayMaxSize …) into its schema in the OpenAPI document, so the document states exactly what the
 * validation pipe accepts, from the one declaration the pipe itself uses. A constraint an
 * @ApiProperty states explicitly wins. Text that states no pattern gets the control-character rule
 * every string in a body, query or path obeys. Schemas are matched by class name: DTO names are unique
 * (@nestjs/swagger warns "Duplicate DTO detected" otherwise, and test/openapi-document.test.ts fails).
 */
export function applyValidationConstraints(document: OpenAPIObject): OpenAPIObject {
  const validated = validationMetadatasToSchemas({
    // ISO 8601 dates and date-times are both accepted: no single pattern or format says that.
    additionalConverters: { [IS_DATE_STRING]: { type: 'string' } },
  }) as Record<string, SchemaObject>;
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    const rules = validated[name];
    if (!isSchema(schema) || !rules?.properties) continue;
    for (const [property, declared] of Object.entries(schema.properties ?? {})) {
      const rule = rules.properties[property];
      if (isSchema(declared) && isSchema(rule)) mergeConstraints(declared, rule);
      if (isSchema(declared)) refuseControlCharacters(declared);
    }
  }
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, { parameters?: Array<ParameterObject | ReferenceObject> }>)) {
      for (const parameter of operation?.parameters ?? []) {
        if ('in' in parameter && isSchema(parameter.schema)) refuseControlCharacters(parameter.schema);
      }
    }
  }
  return document;
}
