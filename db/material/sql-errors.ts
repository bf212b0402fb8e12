import { sqlStateOf } from '../sql-state';

/** A unique index refused the row (23505): someone else wrote the same key first. */
export const isUniqueViolation = (error: unknown): boolean => sqlStateOf(error) === '23505';

/** A foreign key found no row to point at (23503). */
export const isForeignKeyViolation = (error: unknown): boolean => sqlStateOf(error) === '23503';

/** The statement ran past its statement_timeout (57014, query_canceled). */
export const isStatementTimeout = (error: unknown): boolean => sqlStateOf(error) === '57014';
