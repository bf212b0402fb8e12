import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Response } from 'express';
import { sqlStateOf } from '../../db/sql-state';
import { AppError, isErrorCode, type ErrorCode } from './app-error';

/** Turns a Temporal refusal (a failed Update carrying an ApplicationFailure type) into an AppError. */
export function fromTemporal(error: unknown): AppError | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const code = error.cause.type;
    const step = (error.cause.details?.[0] as { step?: unknown } | undefined)?.step;
    return new AppError(isErrorCode(code) ? code : 'step_not_allowed', error.cause.message, typeof step === 'string' ? { step } : undefined);
  }
  if (error instanceof WorkflowNotFoundError) return new AppError('not_found', 'The process for this record was not found.');
  return undefined;
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'not_authenticated',
  403: 'not_authorised',
  404: 'not_found',
};

/** The one place where errors become HTTP responses: `{ code, message, details? }`. */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('API');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toAppError(exception);
    if (error.status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    response.status(error.status).json({ code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
  }

  private toAppError(exception: unknown): AppError {
    if (exception instanceof AppError) return exception;
    const temporal = fromTemporal(exception);
    if (temporal) return temporal;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : exception.message;
      const code = HTTP_CODES[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed');
      return new AppError(code, status === 404 ? 'No such API route.' : message);
    }
    // Malformed JSON bodies arrive from body-parser as errors with a status.
    const status = (exception as { status?: number; type?: string })?.status;
    if (status === 413 || (exception as { type?: string })?.type === 'entity.too.large') {
      const limit = (exception as { limit?: number }).limit;
      return new AppError('payload_too_large', `The request body is larger than the limit${limit ? ` of ${limit} bytes` : ''}; nothing was changed.`);
    }
    // A value PostgreSQL cannot take (a number out of range, malformed text) is the request's fault.
    if (sqlStateOf(exception)?.startsWith('22')) {
      return new AppError('validation_failed', 'A value in the request is out of range or malformed; nothing was changed.');
    }
    if (status === 400 || (exception as { type?: string })?.type === 'entity.parse.failed') {
      return new AppError('validation_failed', 'The request body is not valid JSON.');
    }
    return new AppError('internal_error', 'An unexpected error occurred; it has been logged.');
  }
}
