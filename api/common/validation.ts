import { ValidationPipe, type Type, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import { AppError } from './app-error';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}.${m}` : m)),
    ...describe(e.children ?? [], prefix ? `${prefix}.${e.property}` : e.property),
  ]);
}

const options: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const problems = describe(errors);
    return new AppError('validation_failed', `The request is not valid: ${problems.join('; ')}.`, { problems });
  },
};

/** Unknown fields and wrong types are refused with 400 `validation_failed`, before anything runs. */
export const appValidationPipe = new ValidationPipe(options);

/**
 * The same validation against a DTO class named here, for a parameter whose declared type is
 * generic (the process controller's bodies): the global pipe sees only `object` there.
 */
export const validationPipeFor = (expectedType: Type<unknown>) => new ValidationPipe({ ...options, expectedType });
