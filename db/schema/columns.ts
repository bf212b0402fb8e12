import { customType, timestamp } from 'drizzle-orm/pg-core';

/** Every timestamp is stored in UTC with millisecond precision (what JavaScript can round-trip). */
export const utcTimestamp = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

/** Binary content (sealed PDFs, controlled document files), read and written as a Buffer. */
export const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * A jsonb column read back exactly as written. node-postgres already parses jsonb into its value;
 * drizzle's own `jsonb` then parses any string value a second time, so a stored JSON string such as
 * "1010" or "true" came back as the number 1010 or the boolean true (and an audit event holding one
 * no longer hashed to its stored hash). Here the driver's value is the value.
 */
export const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => value,
});
