import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrlFor, templateDatabaseUrl, TEST_POSTGRES_URL } from './test-env';

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const nameOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/** An isolated database for one test file, copied from the migrated template. */
export async function createTestDatabase(label: string): Promise<string> {
  const name = `attestflow_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${nameOf(templateDatabaseUrl())}"`));
  return databaseUrlFor(name);
}

/** A database name that does not exist yet (for tests of `attestflow migrate` / `start`). */
export function unusedDatabaseUrl(label: string): string {
  return databaseUrlFor(`attestflow_test_${label}_${randomBytes(4).toString('hex')}`);
}

export async function dropDatabase(url: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${nameOf(url)}" WITH (FORCE)`));
}
