import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { Executor } from './client';

/** A statement PostgreSQL parses and plans once per connection: a fixed text under a unique name. */
export interface NamedStatement {
  /** Unique in the application: node-postgres refuses one name for two texts on a connection. */
  name: string;
  text: string;
}

/**
 * Runs a named statement on the connection under a drizzle handle or transaction: inside a
 * transaction on the transaction's own connection, else on the pool. node-postgres sends the text
 * to be parsed only the first time a connection sees the name; drizzle's own `execute` names no
 * statement, so each call would be parsed and planned again. For the few statements on a hot path
 * (the audit append runs in every regulated transaction).
 *
 * drizzle exposes a handle's and a transaction's session (`_.session`), not the connection under it;
 * its node-postgres session keeps that as `client` (a Pool for a handle, a PoolClient for a
 * transaction). Checked here so that a drizzle upgrade that moves it fails loudly, not silently.
 */
export async function queryNamed<Row extends QueryResultRow>(executor: Executor, statement: NamedStatement, values: unknown[]): Promise<Row[]> {
  const client = (executor._.session as unknown as { client?: Pool | PoolClient }).client;
  if (!client || typeof client.query !== 'function') {
    throw new Error(`queryNamed(${statement.name}): the drizzle session has no node-postgres client under it`);
  }
  const result = await client.query<Row>({ name: statement.name, text: statement.text, values });
  return result.rows;
}
