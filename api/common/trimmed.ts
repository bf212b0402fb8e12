import { Transform } from 'class-transformer';

/**
 * Leading and trailing whitespace is removed before validation, so a title, reason or name made of
 * spaces fails its minimum length (400 validation_failed) instead of being stored blank.
 */
export const Trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
