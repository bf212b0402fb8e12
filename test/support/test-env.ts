import path from 'node:path';

export const ARTIFACTS_DIR = path.join(__dirname, '..', '.artifacts');

/** The PostgreSQL server the tests use; each test file gets its own database on it. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
export const databaseUrlFor = databaseUrl;

/** Set by the global setup for every test file. */
export const TEST_ENV = {
  temporalAddress: 'ATTESTFLOW_TEST_TEMPORAL_ADDRESS',
  workflowBundle: 'ATTESTFLOW_TEST_WORKFLOW_BUNDLE',
  templateDatabase: 'ATTESTFLOW_TEST_TEMPLATE_DATABASE',
} as const;

/** The migrated database every test file's own database is copied from. */
export function templateDatabaseUrl(): string {
  const name = process.env[TEST_ENV.templateDatabase];
  if (!name) throw new Error('The Jest global setup did not create the template database');
  return databaseUrl(name);
}

export function testTemporalAddress(): string {
  const address = process.env[TEST_ENV.temporalAddress];
  if (!address) throw new Error('The Jest global setup did not start Temporal');
  return address;
}

export function testWorkflowBundle(): string {
  const bundle = process.env[TEST_ENV.workflowBundle];
  if (!bundle) throw new Error('The Jest global setup did not bundle the workflows');
  return bundle;
}
