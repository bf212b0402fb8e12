// Records the event histories of complete runs of every process type, for the replay test:
//   node bin/run-ts.js test/histories/record-history.ts <workflow-bundle.js | workflows dir> <out-dir> <label>
// It starts a Temporal dev server and a scratch database of its own, runs through the API a change
// control with an affected document (so its document revision runs as a child workflow, to
// effective and obsolete), a CAPA, and an NCMR along each disposition path (use as is, rework once
// then scrap, return to supplier, cancelled), and writes each workflow's history as
// <out-dir>/<type>.<label>.json (an NCMR's as ncmr-<path>.<label>.json).
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
import { People } from '../support/http-session';
import {
  ncmrBench,
  runCapaThread,
  runChangeControlWithRevision,
  runNcmrCancelled,
  runNcmrReturnToSupplier,
  runNcmrReworkThenScrap,
  runNcmrUseAsIs,
} from '../support/process-threads';

async function main(): Promise<void> {
  const [source, outDir, label] = process.argv.slice(2);
  if (!source || !outDir || !label) throw new Error('usage: record-history.ts <workflow-bundle.js | workflows dir> <out-dir> <label>');
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
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: '0',
      QUEUE_PREFIX: name,
      TEMPORAL_TASK_QUEUE: name,
      CAPA_EFFECTIVENESS_WAIT: '1s',
    });
    const app = await createApp({ config, temporalAddress: server.address, runWorker: true, workflowBundlePath: bundlePath }, { logger: false });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const people = new People(`http://127.0.0.1:${port}`, Object.fromEntries(seeded.map((u) => [u.username, u.oneTimePassword])));
    const { changeId, revisionId } = await runChangeControlWithRevision(people);
    const { capaId } = await runCapaThread(people);
    const bench = await ncmrBench(people);
    const ncmrs = [
      ['ncmr-use-as-is', (await runNcmrUseAsIs(bench)).ncmrId],
      ['ncmr-rework-then-scrap', (await runNcmrReworkThenScrap(bench)).ncmrId],
      ['ncmr-return-to-supplier', (await runNcmrReturnToSupplier(bench)).ncmrId],
      ['ncmr-cancelled', (await runNcmrCancelled(bench)).ncmrId],
    ] as const;
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    for (const [type, recordId] of [['change-control', changeId], ['document-revision', revisionId], ['capa', capaId], ...ncmrs] as const) {
      const handle = client.workflow.getHandle(`process/${recordId}`);
      await handle.result();
      const history = await handle.fetchHistory();
      // protobufjs object form (longs and bytes as strings), read back with History.fromObject.
      const json = temporal.api.history.v1.History.toObject(history as temporal.api.history.v1.History, { longs: String, enums: String, bytes: String });
      const out = path.join(outDir, `${type}.${label}.json`);
      fs.writeFileSync(out, JSON.stringify({ workflowId: `process/${recordId}`, history: json }, null, 1));
      console.log(`wrote ${out} (${history.events?.length} events)`);
    }
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
