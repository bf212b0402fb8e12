import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from './app-error';

/** Path ids must be UUIDs; anything else is a 400 before any lookup. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new AppError('validation_failed', 'The id in the path is not a UUID.'),
});
