// Records the event history of one complete change-control run, for the replay test:
//   node bin/run-ts.js test/histories/record-history.ts <workflow-bundle.js | workflows dir> <out.json>
// It starts a Temporal dev server and a scratch database of its own, runs the scripted thread
// through the API, and writes the workflow's history as JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Client as Pg } from 'pg';
import { createApp } from '../../api/create-app';
import { freePort, startTemporalDevServer } from '../../cli/temporal-dev-server';
import { loadConfig } from '../../config/config';
import { connectDatabase } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { seedDemoOrganisation } from '../../db/seed-demo';
import { runChangeControlThread } from '../support/change-control-thread';
import { People } from '../support/http-session';

async function main(): Promise<void> {
  const [source, out] = process.argv.slice(2);
  if (!source || !out) throw new Error('usage: record-history.ts <workflow-bundle.js | workflows dir> <out.json>');
  let bundlePath = source;
  if (fs.statSync(source).isDirectory()) {
    const { code } = await bundleWorkflowCode({ workflowsPath: path.resolve(source) });
    bundlePath = path.join(os.tmpdir(), `attestflow-bundle-${process.pid}.js`);
    fs.writeFileSync(bundlePath, code);
  }
  const server = await startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH, port: await freePort(), namespace: 'default' });
  const name = `attestflow_history_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-history-'));
  try {
    await migrateDatabase(databaseUrl);
    const database = connectDatabase(databaseUrl, { max: 2 });
    const seeded = (await seedDemoOrganisation(database.db))!;
    const config = loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: '0', QUEUE_PREFIX: name, TEMPORAL_TASK_QUEUE: name });
    const app = await createApp({ config, temporalAddress: server.address, runWorker: true, workflowBundlePath: bundlePath }, { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const people = new People(`http://127.0.0.1:${port}`, Object.fromEntries(seeded.map((u) => [u.username, u.oneTimePassword])));
    const thread = await runChangeControlThread(people);
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    const handle = client.workflow.getHandle(`change-control/${thread.id}`);
    await handle.result();
    const history = await handle.fetchHistory();
    // protobufjs object form (longs and bytes as strings), read back with History.fromObject.
    const json = temporal.api.history.v1.History.toObject(history as temporal.api.history.v1.History, { longs: String, enums: String, bytes: String });
    fs.writeFileSync(out, JSON.stringify({ workflowId: `change-control/${thread.id}`, history: json }, null, 1));
    console.log(`wrote ${out} (${history.events?.length} events)`);
    await client.connection.close();
    await app.close();
    await database.close();
  } finally {
    await server.stop();
    const admin = new Pg({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
