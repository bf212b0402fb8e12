import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorDto, errorResponse, type ErrorStatus } from './api-errors';
import { applyValidationConstraints } from './openapi-constraints';
import { declareSessionSecurity } from './openapi-security';

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The refusals that come from middleware and the guard rather than from an operation, declared on
 * every operation they apply to: 401 wherever the session cookie is required (the session guard),
 * and on every write 403 (a foreign Origin), 413 (a body over its limit) and 415 (a body of another
 * media type) — api/common/write-requests.ts and the body parsers in api/create-app.ts.
 */
function declareRequestRefusals(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, { security?: unknown[]; responses?: Record<string, unknown> }>)) {
      if (!operation?.responses) continue;
      const statuses: ErrorStatus[] = [
        ...(operation.security?.length ? [401 as const] : []),
        ...(WRITES.has(method) ? [403 as const, 413 as const, 415 as const] : []),
      ];
      for (const status of statuses) operation.responses[status] ??= errorResponse(status);
    }
  }
  return document;
}

/**
 * The OpenAPI document served at /api/docs/openapi.json: the controllers' operations with their
 * responses and refusals (api/common/api-errors.ts), the session cookie wherever the session guard
 * asks for it, and the validation pipe's constraints on every DTO. A typed client is generated from
 * it (openapi-typescript), and schemathesis fuzzes it (test/fuzz-openapi.test.ts).
 */
export function createOpenApiDocument(app: INestApplication, config: Omit<OpenAPIObject, 'paths'>): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorDto] });
  return declareRequestRefusals(declareSessionSecurity(app, applyValidationConstraints(document)));
}
