import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../api/create-app';
import { loadConfig, type AttestflowConfig } from '../../config/config';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { seedDemoOrganisation } from '../../db/seed-demo';
import { createTestDatabase, dropDatabase } from './test-database';
import { testTemporalAddress, testWorkflowBundle, TEST_REDIS_URL } from './test-env';
import { HttpSession, People } from './http-session';
import { startRenderWorker, type RunningRenderWorker } from '../../cli/render-worker';
import type { WorkerSettings } from '../../api/temporal/temporal-worker';
import { sealingIdentity } from '../../config/pki-store';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestSystem {
  baseUrl: string;
  config: AttestflowConfig;
  databaseUrl: string;
  database: DatabaseHandle;
  temporal: Client;
  /** The seeded demo users, who change their one-time passwords at first sign-in. */
  people: People;
  dataDir: string;
  /** A session; signed in as `username` (password changed on first sign-in) when given. */
  session(username?: string): Promise<HttpSession>;
  /** The PDF generator (BullMQ worker) for this system's queue prefix. */
  startRenderWorker(): Promise<RunningRenderWorker>;
  stopRenderWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole API against real services: its own database (copied from the migrated template), its
 * own task queue on the shared Temporal dev server, the demo organisation seeded. The worker runs
 * in-process unless `runWorker: false` (then the test runs its own).
 */
export async function startTestSystem(
  label: string,
  options: { runWorker?: boolean; renderWorker?: boolean; env?: Record<string, string> } = {},
): Promise<TestSystem> {
  const databaseUrl = await createTestDatabase(label);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `attestflow-${label}-`));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    TEMPORAL_TASK_QUEUE: `test-${label}-${process.pid}-${Date.now()}`,
    QUEUE_PREFIX: `attestflow-test-${label}-${process.pid}-${Date.now()}`,
    PORT: '0',
    // Every test signs in from 127.0.0.1: per-client limits far above a site's (the per-account ones
    // stay the defaults). test/rate-limits.test.ts runs with the defaults throughout.
    ...Object.fromEntries(['LOGIN', 'SIGNING', 'TOTP', 'PASSWORD_RESET'].map((action) => [`RATE_LIMIT_${action}_PER_CLIENT`, '100000/1m'])),
    ...options.env,
  });
  const database = connectDatabase(databaseUrl, { max: 4 });
  const seeded = (await seedDemoOrganisation(database.db)) ?? [];
  const oneTimePasswords = Object.fromEntries(seeded.map((u) => [u.username, u.oneTimePassword]));
  const temporalAddress = testTemporalAddress();
  let app: NestExpressApplication | undefined;
  try {
    app = await createApp(
      { config, temporalAddress, runWorker: options.runWorker ?? true, workflowBundlePath: testWorkflowBundle() },
      { logger: process.env.ATTESTFLOW_TEST_LOG === '1' },
    );
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app?.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }), namespace: config.temporalNamespace });
  const people = new People(baseUrl, oneTimePasswords);
  let renderWorker: RunningRenderWorker | undefined = options.renderWorker ? await startRenderWorker(config) : undefined;
  return {
    baseUrl,
    config,
    databaseUrl,
    database,
    temporal,
    people,
    dataDir,
    async session(username?: string) {
      return username ? people.session(username) : new HttpSession(baseUrl);
    },
    async startRenderWorker() {
      renderWorker = await startRenderWorker(config);
      return renderWorker;
    },
    async stopRenderWorker() {
      await renderWorker?.close();
      renderWorker = undefined;
    },
    async close() {
      await renderWorker?.close();
      await app!.close();
      await temporal.connection.close();
      await database.close();
      await dropDatabase(databaseUrl);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What a worker of the test's own (`runWorker: false`) needs to serve `system`: its Temporal server,
 * namespace and task queue, its database and sealing identity, the prebuilt workflow bundle.
 */
export function workerSettingsOf(system: TestSystem): WorkerSettings {
  return {
    address: testTemporalAddress(),
    namespace: system.config.temporalNamespace,
    taskQueue: system.config.temporalTaskQueue,
    db: system.database.db,
    identity: sealingIdentity(system.config),
    workflowBundlePath: testWorkflowBundle(),
  };
}
