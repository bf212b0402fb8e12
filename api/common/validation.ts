import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './app-error';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (prefix ? `${prefix}.${m}` : m)),
    ...describe(e.children ?? [], prefix ? `${prefix}.${e.property}` : e.property),
  ]);
}

/** Unknown fields and wrong types are refused with 400 `validation_failed`, before anything runs. */
export const appValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const problems = describe(errors);
    return new AppError('validation_failed', `The request is not valid: ${problems.join('; ')}.`, { problems });
  },
});
