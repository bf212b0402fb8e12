// 11.10(c): records are retrievable after a restore. The backup drill of docs/deployment.md
// ("Backups"): a system running with open processes of every type is stopped, PostgreSQL is dumped
// with `pg_dump -Fc` and DATA_DIR (the organisation PKI, the audit checkpoints and the Temporal dev
// server's `temporal.db`) archived with tar; the original database and directory are then thrown
// away, both backups restored into a new database and a new directory, and the system started from
// them drives every open process on to its end. Nothing is missing, the audit chain and every
// sealed PDF verify.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client as Pg } from 'pg';
import { dossierQueue } from '../activities/dossier-queue';
import { freePort } from '../cli/temporal-dev-server';
import { processWorkflowId } from '../workflows/contracts/process-contracts';
import { killStartedAttestflows, startAttestflow, stopAttestflow, type RunningAttestflow } from './support/attestflow-process';
import { changeAwaitingApproval, runChangeControlThread, signOff, waitForStatus } from './support/change-control-thread';
import { attestflow } from './support/cli';
import { missingRows, rowCounts, snapshotDatabase, type DatabaseSnapshot } from './support/database-snapshot';
import { People, type HttpSession } from './support/http-session';
import { tool, writeTemp } from './support/pdf-tools';
import {
  capaActionDone,
  capaAwaitingPlanApproval,
  changeWithRevisionApproved,
  finishCapa,
  finishChangeWithRevision,
  finishNcmrUseAsIs,
  ncmrBench,
  ncmrInMrbReview,
  ncmrSigners,
} from './support/process-threads';
import { dropDatabase, unusedDatabaseUrl } from './support/test-database';
import { testWorkflowBundle, TEST_POSTGRES_URL, TEST_REDIS_URL } from './support/test-env';

/** Steps that the processes take by themselves (timers, children) are waited for without a short deadline. */
const PATIENCE_MS = 10 * 60_000;
jest.setTimeout(20 * 60_000);

const originalUrl = unusedDatabaseUrl('backup_original');
const restoredUrl = unusedDatabaseUrl('backup_restored');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-backup-'));
const originalDir = path.join(scratch, 'original-data');
const restoredDir = path.join(scratch, 'restored-data');
const backupDir = path.join(scratch, 'backup');
const queuePrefixes = { original: `attestflow-backup-original-${process.pid}`, restored: `attestflow-backup-restored-${process.pid}` };
let running: RunningAttestflow | undefined;
const temporalConnections: Connection[] = [];

afterAll(async () => {
  // After a failure: the whole process group (API, worker, dev server, PDF generator) goes at once.
  await killStartedAttestflows();
  await Promise.all(temporalConnections.map((c) => c.close().catch(() => undefined)));
  for (const prefix of Object.values(queuePrefixes)) {
    const queue = dossierQueue(TEST_REDIS_URL, prefix);
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await dropDatabase(originalUrl);
  await dropDatabase(restoredUrl);
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The environment of one `attestflow start`: only the database, the data directory and the ports differ between the two. */
async function environment(databaseUrl: string, dataDir: string, queuePrefix: string) {
  const port = await freePort();
  const temporalPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    HOST: '127.0.0.1',
    PORT: String(port),
    TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
    TEMPORAL_WORKFLOW_BUNDLE: testWorkflowBundle(),
    // Redis holds no record: the restored system starts on an empty queue of its own.
    QUEUE_PREFIX: queuePrefix,
    CAPA_EFFECTIVENESS_WAIT: '20s',
    AUDIT_CHECKPOINT_INTERVAL: '1s',
    // Every person signs in from 127.0.0.1.
    ...Object.fromEntries(['LOGIN', 'SIGNING', 'TOTP', 'PASSWORD_RESET'].map((action) => [`RATE_LIMIT_${action}_PER_CLIENT`, '100000/1m'])),
  };
  delete env.TEMPORAL_ADDRESS;
  return { env, baseUrl: `http://127.0.0.1:${port}`, temporalAddress: `127.0.0.1:${temporalPort}` };
}

async function temporalAt(address: string): Promise<TemporalClient> {
  const connection = await Connection.connect({ address });
  temporalConnections.push(connection);
  return new TemporalClient({ connection, namespace: 'default' });
}

async function runningWorkflowIds(client: TemporalClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) ids.push(execution.workflowId);
  return ids.sort();
}

/** Polls Temporal's visibility until the running workflows are exactly `expected` (it lags the histories a little). */
async function untilRunning(client: TemporalClient, expected: string[]): Promise<string[]> {
  const until = Date.now() + PATIENCE_MS;
  for (;;) {
    const ids = await runningWorkflowIds(client);
    if (JSON.stringify(ids) === JSON.stringify([...expected].sort()) || Date.now() > until) return ids;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.error?.message ?? ''}${result.stdout}${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

const databaseName = (url: string) => new URL(url).pathname.slice(1);

async function rowsOf<T extends object>(url: string, query: string, values: unknown[] = []): Promise<T[]> {
  const client = new Pg({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(query, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function scalar(url: string, query: string, values: unknown[] = []): Promise<string | undefined> {
  const [row] = await rowsOf<Record<string, string>>(url, query, values);
  return row ? Object.values(row)[0] : undefined;
}

/** Polls `probe` until it answers something, with no short deadline. */
async function polledUntil<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + PATIENCE_MS;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (Date.now() > until) throw new Error(`${what}: not after ${PATIENCE_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The auditor's session on the system `people` sign in to (one per system). */
const auditors = new Map<People, Promise<HttpSession>>();
function auditorOf(people: People): Promise<HttpSession> {
  if (!auditors.has(people)) auditors.set(people, people.session('auditor'));
  return auditors.get(people)!;
}

/** A record's status as the auditor reads it. */
async function statusOf(people: People, kind: string, id: string): Promise<string> {
  const response = await (await auditorOf(people)).get(`/api/${kind}/${id}`);
  return response.body.status;
}

test('stopped with open processes, backed up, restored into a new database and data directory: every process runs on to its end, nothing is missing', async () => {
  // ---- 1. The system in use: one change control closed (its PDF sealed), processes of every type open.
  const first = await environment(originalUrl, originalDir, queuePrefixes.original);
  running = await startAttestflow(first.env);
  let temporal = await temporalAt(first.temporalAddress);
  const people = new People(first.baseUrl, running.seededPasswords());

  const closed = await runChangeControlThread(people);
  await temporal.workflow.getHandle(processWorkflowId(closed.id)).result();
  const awaitingApproval = (await changeAwaitingApproval(await people.session('initiator'))).id as string;
  // Its document revision approved, effective on a date that has most likely not come when the system stops.
  const withRevision = await changeWithRevisionApproved(people, 30_000);
  const capaInPlanApproval = await capaAwaitingPlanApproval(people);
  const capaInWait = await capaAwaitingPlanApproval(people);
  await capaActionDone(people, capaInWait);
  const bench = await ncmrBench(people);
  const { ncmr, lotId } = await ncmrInMrbReview(bench);

  const open = [awaitingApproval, withRevision.changeId, withRevision.revisionId, capaInPlanApproval, capaInWait, ncmr.id];
  const openWorkflows = open.map(processWorkflowId).sort();
  expect(await untilRunning(temporal, openWorkflows)).toEqual(openWorkflows);
  expect(await statusOf(people, 'change-controls', awaitingApproval)).toBe('approval');
  expect(await statusOf(people, 'ncmrs', ncmr.id)).toBe('mrb_review');
  expect((await (await people.session('qa')).get(`/api/lots/${lotId}`)).body.status).toBe('on_hold');

  // A dossier requested while the PDF generator is frozen (SIGSTOP): still queued when the system stops
  // (the supervisor's SIGTERM waits, its SIGKILL ends it). Redis is not backed up: the row is the truth.
  const generatorPid = Number(
    (await polledUntil('the PDF generator started', async () => running!.output().match(/The PDF generator started \(pid (\d+)\)/) ?? undefined))[1],
  );
  process.kill(generatorPid, 'SIGSTOP');
  const dossier = await (
    await auditorOf(people)
  ).post('/api/dossiers', {
    title: 'Before the backup: change controls',
    selection: { type: 'change_control', from: '2000-01-01T00:00:00.000Z', to: '2999-01-01T00:00:00.000Z' },
  });
  expect(dossier.status).toBe(201);

  // ---- 2. Stop it, as the backup section says: nothing writes while the backups are taken.
  await temporal.connection.close();
  expect(await stopAttestflow(running)).toBe(0);
  running = undefined;
  const before = await snapshotDatabase(originalUrl);
  expect(await scalar(originalUrl, 'SELECT status FROM dossiers WHERE id = $1', [dossier.body.id])).toBe('queued');
  expect(fs.existsSync(path.join(originalDir, 'temporal.db'))).toBe(true);
  // The signed checkpoints, as the backup section says, also go off the host, apart from the backups.
  const checkpointFiles = fs.readdirSync(path.join(originalDir, 'audit-checkpoints'));
  expect(checkpointFiles.length).toBeGreaterThan(0);
  const heldAside = path.join(scratch, 'checkpoints-held-aside.jsonl');
  fs.writeFileSync(heldAside, checkpointFiles.map((name) => fs.readFileSync(path.join(originalDir, 'audit-checkpoints', name), 'utf8')).join(''));

  // ---- 3. Back up, the documented way: a custom-format dump of the database, a tar of DATA_DIR.
  fs.mkdirSync(backupDir);
  const dump = path.join(backupDir, 'attestflow.dump');
  const archive = path.join(backupDir, 'attestflow-data.tgz');
  run('pg_dump', ['-Fc', '-d', originalUrl, '-f', dump]);
  run('tar', ['-C', originalDir, '-czf', archive, '.']);

  // The original host is lost: only the backups remain.
  await dropDatabase(originalUrl);
  fs.rmSync(originalDir, { recursive: true, force: true });

  // ---- 4. Restore both into a new database and a new data directory.
  const admin = new Pg({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName(restoredUrl)}"`);
  await admin.end();
  run('pg_restore', ['--exit-on-error', '-d', restoredUrl, dump]);
  fs.mkdirSync(restoredDir);
  run('tar', ['-C', restoredDir, '-xzf', archive]);

  const restored = await snapshotDatabase(restoredUrl);
  expect(rowCounts(restored)).toEqual(rowCounts(before));
  expect(Object.fromEntries(Object.entries(restored.tables).map(([n, t]) => [n, t.fingerprint]))).toEqual(
    Object.fromEntries(Object.entries(before.tables).map(([n, t]) => [n, t.fingerprint])),
  );
  // The append-only and chain triggers came back, firing ALWAYS as before.
  expect(restored.triggers).toEqual(before.triggers);
  expect(restored.appendOnly).toEqual(expect.arrayContaining(['audit_events', 'signatures', 'artifacts', 'tasks']));

  // ---- 5. Start from the restored database and directory, and drive every open process on to its end.
  const second = await environment(restoredUrl, restoredDir, queuePrefixes.restored);
  running = await startAttestflow(second.env);
  expect(running.output()).toContain('Users exist already');
  expect(running.output()).toContain(`persisting to ${path.join(restoredDir, 'temporal.db')}`);
  temporal = await temporalAt(second.temporalAddress);
  expect(await untilRunning(temporal, openWorkflows)).toEqual(openWorkflows);
  const after = people.at(second.baseUrl);

  await Promise.all([
    (async () => {
      const qa = await after.signer('qa');
      const waiting = await waitForStatus(qa, `/api/change-controls/${awaitingApproval}`, 'approval', PATIENCE_MS);
      const approved = await qa.post(`/api/change-controls/${awaitingApproval}/sign`, signOff(after, qa, 'qa', waiting as never, 'approved'));
      expect(approved.status).toBe(200);
      const verifying = await waitForStatus(qa, `/api/change-controls/${awaitingApproval}`, 'effectiveness_verification', PATIENCE_MS);
      const verified = await qa.post(`/api/change-controls/${awaitingApproval}/sign`, signOff(after, qa, 'qa', verifying as never, 'verified'));
      expect(verified.status).toBe(200);
    })(),
    finishChangeWithRevision(after, withRevision),
    finishCapa(after, capaInPlanApproval),
    finishCapa(after, capaInWait),
    (async () => finishNcmrUseAsIs(await ncmrSigners(after), ncmr.id, lotId))(),
  ]);
  for (const workflowId of openWorkflows) await temporal.workflow.getHandle(workflowId).result();
  expect(await untilRunning(temporal, [])).toEqual([]);
  expect(await statusOf(after, 'change-controls', awaitingApproval)).toBe('closed');
  expect(await statusOf(after, 'change-controls', withRevision.changeId)).toBe('closed');
  expect(await statusOf(after, 'document-revisions', withRevision.revisionId)).toBe('obsolete');
  expect(await statusOf(after, 'capas', capaInPlanApproval)).toBe('closed');
  expect(await statusOf(after, 'capas', capaInWait)).toBe('closed');
  expect(await statusOf(after, 'ncmrs', ncmr.id)).toBe('closed');

  // The dossier queued at the backup is re-queued from the database by the restored system's PDF generator, and rendered.
  const rendered = await polledUntil('the dossier rendered', async () => {
    const view = await (await auditorOf(after)).get(`/api/dossiers/${dossier.body.id}`);
    return view.body.status === 'done' || view.body.status === 'failed' ? view.body : undefined;
  });
  expect(rendered.status).toBe('done');
  expect(running!.output()).toContain('Re-queued 1 unfinished dossier(s) from the database');

  // ---- 6. Nothing is missing: every row of every append-only table is still there, as it was.
  await temporal.connection.close();
  expect(await stopAttestflow(running)).toBe(0);
  running = undefined;
  const final = await snapshotDatabase(restoredUrl);
  expect(missingRows(before, final, before.appendOnly)).toEqual({});
  const counted = (s: DatabaseSnapshot) =>
    Object.fromEntries(
      ['records', 'record_transitions', 'signatures', 'audit_events', 'tasks', 'task_completions', 'artifacts'].map((t) => [t, s.tables[t]!.rows]),
    );
  const [was, now] = [counted(before), counted(final)];
  // No record was created after the restore; each of the others grew with the processes' ends.
  expect(now.records).toBe(was.records);
  for (const table of Object.keys(was).filter((t) => t !== 'records')) expect([table, now[table]! > was[table]!]).toEqual([table, true]);

  // ---- 7. The audit chain verifies (against the checkpoints restored with DATA_DIR), and so does every sealed PDF.
  const cliEnv = { DATABASE_URL: restoredUrl, DATA_DIR: restoredDir };
  const audit = attestflow(['audit', 'verify', '--checkpoint', heldAside], cliEnv);
  expect(audit.output).toMatch(/Audit trail intact: \d+ events/);
  expect(audit.output).toContain(`checkpoint (${path.join(restoredDir, 'audit-checkpoints')}): event`);
  // The latest checkpoint signed before the stop, held apart from the backups, names an event the restored chain has, with its hash.
  const asideLine = audit.output.split('\n').find((line) => line.includes(`checkpoint (${heldAside}):`));
  expect(asideLine).toMatch(/: event \d+, .* — matched$/);
  expect(audit.output).not.toContain('warning:');
  expect(audit.code).toBe(0);

  const pdfs = await rowsOf<{ record_id: string; bytes: Buffer; sha256: string }>(
    restoredUrl,
    `SELECT record_id, bytes, sha256 FROM artifacts WHERE kind = 'record_pdf' ORDER BY created_at`,
  );
  // One sealed PDF for each record that ended: the change control closed before the backup, and the six after.
  expect(pdfs.map((r) => r.record_id).sort()).toEqual([closed.id, ...open].sort());
  const pdfDir = fs.mkdtempSync(path.join(scratch, 'pdf-'));
  const dossierPdf = await scalar(restoredUrl, `SELECT artifact_id FROM dossiers WHERE id = $1`, [dossier.body.id]);
  const sealed = [
    ...pdfs,
    ...(await rowsOf<{ bytes: Buffer; sha256: string }>(restoredUrl, 'SELECT bytes, sha256 FROM artifacts WHERE id = $1', [dossierPdf])),
  ];
  expect(sealed).toHaveLength(pdfs.length + 1);
  for (const [i, { bytes, sha256 }] of sealed.entries()) {
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
    const file = writeTemp(pdfDir, `record-${i}.pdf`, bytes);
    const pdfsig = tool('pdfsig', [file]).output;
    expect(pdfsig).toContain('Signature is Valid.');
    expect(pdfsig).toContain('Total document signed');
    const verified = attestflow(['verify', file], cliEnv);
    expect(verified.output).toContain('VERDICT: VALID');
    expect(verified.code).toBe(0);
  }
});
