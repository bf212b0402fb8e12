import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_STATUS, type ErrorCode } from './app-error';

const ALL_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Every refusal, in one shape (api/common/app-exception.filter.ts). */
export class ErrorDto {
  @ApiProperty({ enum: ALL_CODES, description: 'Stable, machine-readable; the codes each status carries are listed with the response' })
  code!: ErrorCode;

  @ApiProperty({ description: 'A sentence for a person' })
  message!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Which field, step or limit (depends on the code)' })
  details?: Record<string, unknown>;
}

/** The HTTP statuses the API refuses with (ERROR_STATUS's, and 405 for an undeclared method). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 423 | 429 | 503;

const SUMMARY: Record<ErrorStatus, string> = {
  400: 'The request is malformed or a value breaks a constraint; nothing was changed.',
  401: 'Not signed in, the session ended, or the credentials are wrong.',
  403: 'Signed in, but this person may not do this now (role, duty, pending password change, origin).',
  404: 'No such resource, or none the caller may know of.',
  405: 'The path exists, but not with this method (see the Allow header).',
  409: 'The state does not allow it (already done, stale version, taken name).',
  413: 'The request body is larger than the configured limit.',
  415: 'The body is not of a media type this operation accepts.',
  422: 'Well formed, but the content refers to what does not exist or breaks a rule.',
  423: 'The account is locked after too many failed attempts.',
  429: 'Too many attempts; wait for the time in Retry-After.',
  503: 'A service the API needs does not answer.',
};

/** The codes each status carries, as listed in the document. */
export function codesFor(status: number): ErrorCode[] {
  return ALL_CODES.filter((code) => ERROR_STATUS[code] === status);
}

function describe(status: ErrorStatus): string {
  return `${SUMMARY[status]} Codes: ${codesFor(status).join(', ') || 'see message'}.`;
}

/** The response object of a refusal, for a document built without the decorator (api/common/openapi-document.ts). */
export function errorResponse(status: ErrorStatus): ResponseObject {
  return { description: describe(status), content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorDto) } } } };
}

/**
 * Declares the refusals an operation can answer, each with the error schema and the codes of that
 * status: `@ApiErrors(400, 401, 403, 404)`.
 */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        type: ErrorDto,
        description: describe(status),
      }),
    ),
  );
}
