// What a database holds, table by table, to show that a backup and restore lost or changed nothing.
import { createHash } from 'node:crypto';
import { Client } from 'pg';

export interface TableSnapshot {
  rows: number;
  /** MD5 of each row's text form, as PostgreSQL prints the row. */
  rowHashes: string[];
  /** SHA-256 over the sorted row hashes: equal fingerprints, equal contents. */
  fingerprint: string;
}

export interface DatabaseSnapshot {
  tables: Record<string, TableSnapshot>;
  /** Every user trigger as `table.trigger enabled-state`: a restore must keep the append-only triggers, firing ALWAYS. */
  triggers: string[];
  /** The tables an `<table>_append_only` trigger protects. */
  appendOnly: string[];
}

export async function snapshotDatabase(url: string): Promise<DatabaseSnapshot> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const listed = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    const tables: Record<string, TableSnapshot> = {};
    for (const { schema, name } of listed.rows) {
      const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
      const hashed = await client.query<{ h: string }>(`SELECT md5(t::text) AS h FROM ${qualified} t`);
      const rowHashes = hashed.rows.map((r) => r.h).sort();
      const fingerprint = createHash('sha256').update(rowHashes.join('\n')).digest('hex');
      tables[schema === 'public' ? name : `${schema}.${name}`] = { rows: rowHashes.length, rowHashes, fingerprint };
    }
    const triggers = await client.query<{ t: string }>(
      `SELECT c.relname || '.' || t.tgname || ' ' || t.tgenabled::text AS t FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal ORDER BY 1`,
    );
    const appendOnly = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = c.relname || '_append_only' ORDER BY 1`,
    );
    return { tables, triggers: triggers.rows.map((r) => r.t), appendOnly: appendOnly.rows.map((r) => r.name) };
  } finally {
    await client.end();
  }
}

/** Row counts only, table by table. */
export function rowCounts(snapshot: DatabaseSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot.tables).map(([name, table]) => [name, table.rows]));
}

/** The rows of `before` that `after` no longer holds, exactly as they were, per table (empty tables left out). */
export function missingRows(before: DatabaseSnapshot, after: DatabaseSnapshot, tables: string[]): Record<string, number> {
  const missing: Record<string, number> = {};
  for (const name of tables) {
    const now = new Map<string, number>();
    for (const h of after.tables[name]?.rowHashes ?? []) now.set(h, (now.get(h) ?? 0) + 1);
    let gone = 0;
    for (const h of before.tables[name]?.rowHashes ?? []) {
      const left = now.get(h) ?? 0;
      if (left === 0) gone += 1;
      else now.set(h, left - 1);
    }
    if (gone > 0) missing[name] = gone;
  }
  return missing;
}
