import { customType, timestamp } from 'drizzle-orm/pg-core';

/** Every timestamp is stored in UTC with millisecond precision (what JavaScript can round-trip). */
export const utcTimestamp = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

/** Binary content (sealed PDFs, controlled document files), read and written as a Buffer. */
export const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
