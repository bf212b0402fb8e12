/**
 * The SQLSTATE of a PostgreSQL error, looked for through the `cause` chain (Drizzle wraps the
 * driver's error in its own query error), or null when the error did not come from PostgreSQL.
 */
export function sqlStateOf(error: unknown): string | null {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}
