// A database the CLI cannot reach (nothing listening, unknown host, no such database, refused
// credentials) is a configuration the person running the command can fix: one line, exit 2.

/** Socket errors of a server that does not answer, and PostgreSQL's "no such database" / "authentication failed". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '3D000', '28P01', '28000']);

/** The first error code that says the database cannot be reached, through Drizzle's `cause` and Node's AggregateError. */
function unreachableCodeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
  // Node reports a host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (error instanceof AggregateError) return error.errors.map((e) => unreachableCodeOf(e, depth + 1)).find((c) => c !== undefined);
  // Drizzle wraps the driver's error ("Failed query: …") with the original as its cause.
  return unreachableCodeOf((error as { cause?: unknown }).cause, depth + 1);
}

/** The DATABASE_URL without its password, for a message. */
export function redactedDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/** The one-line explanation when `error` says the database cannot be reached, else null. */
export function databaseUnreachableMessage(error: unknown, databaseUrl: string | undefined): string | null {
  const code = unreachableCodeOf(error);
  if (!code) return null;
  const where = databaseUrl ? redactedDatabaseUrl(databaseUrl) : 'DATABASE_URL';
  const why =
    code === '3D000'
      ? 'the database does not exist (run `attestflow migrate` to create it)'
      : code === '28P01' || code === '28000'
        ? 'it refused the credentials'
        : `it does not answer (${code})`;
  return `Cannot reach the database at ${where}: ${why}. Check DATABASE_URL and that PostgreSQL is running.`;
}
