import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { migrateDatabase } from '../../db/migrate';
import { ensureBrowserAppBuilt } from '../../cli/browser-app-build';
import { freePort, startTemporalDevServer, type RunningDevServer } from '../../cli/temporal-dev-server';
import { ARTIFACTS_DIR, databaseUrlFor, TEST_ENV } from './test-env';

declare global {
  var __ATTESTFLOW_TEMPORAL__: RunningDevServer | undefined;
}

/** Once per `npm test`: a Temporal dev server, the prebuilt workflow bundle, a migrated template database. */
export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const templateName = `attestflow_test_template_${process.pid}_${Date.now()}`;
  process.env[TEST_ENV.templateDatabase] = templateName;
  const [server, bundle] = await Promise.all([
    startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH, port: await freePort(), namespace: 'default' }),
    bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: { log: () => undefined, info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined },
    }),
    migrateDatabase(databaseUrlFor(templateName)),
    // The API of every test system serves web/dist; the browser tests need it current.
    ensureBrowserAppBuilt(() => undefined),
  ]).then(([s, b]) => [s, b] as const);
  globalThis.__ATTESTFLOW_TEMPORAL__ = server;
  const bundlePath = path.join(ARTIFACTS_DIR, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env[TEST_ENV.temporalAddress] = server.address;
  process.env[TEST_ENV.workflowBundle] = bundlePath;
}
