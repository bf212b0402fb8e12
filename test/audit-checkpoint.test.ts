// 11.10(a), 11.10(e): deleting the last audit events is caught. A database superuser can delete the
// tail of the hash chain (the shorter chain is still a valid chain) and the checkpoint rows too, but
// not the signed checkpoints in DATA_DIR/audit-checkpoints nor the one in the sealed PDF the auditor
// holds; `attestflow audit verify` names the missing events after the latest checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { checkpointInPdf } from '../activities/audit-checkpoint';
import { verifyAuditCheckpoint, type SignedAuditCheckpoint } from '../signatures/audit-checkpoint';
import { processWorkflowId } from '../workflows/contracts/process-contracts';
import { runChangeControlThread, SAMPLE_CHANGE } from './support/change-control-thread';
import { attestflow } from './support/cli';
import { writeTemp } from './support/pdf-tools';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let pdfFile: string;
let carried: SignedAuditCheckpoint;

beforeAll(async () => {
  system = await startTestSystem('audit_checkpoint', { env: { AUDIT_CHECKPOINT_INTERVAL: '1s' } });
  const thread = await runChangeControlThread(system.people);
  // The closure activity seals the record PDF (with a checkpoint) before the workflow completes.
  await system.temporal.workflow.getHandle(processWorkflowId(thread.id)).result();
  const auditor = await system.session('auditor');
  const response = await fetch(`${system.baseUrl}/api/records/${thread.id}/pdf`, { headers: { cookie: auditor.cookie ?? '' } });
  expect(response.status).toBe(200);
  const pdf = Buffer.from(await response.arrayBuffer());
  pdfFile = writeTemp(fs.mkdtempSync(path.join(system.dataDir, 'pdf-')), 'record.pdf', pdf);
  carried = checkpointInPdf(pdf)!;
});
afterAll(() => system?.close());

const env = () => ({ DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
const caPem = () => fs.readFileSync(path.join(system.dataDir, 'pki', 'ca.pem'), 'utf8');
const checkpointDir = () => path.join(system.dataDir, 'audit-checkpoints');

async function scalar(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = (await system.database.db.execute(query)).rows as { value: string | number | null }[];
  return Number(row?.value ?? 0);
}
const headSeq = () => scalar(sql`SELECT max(seq) AS value FROM audit_events`);

/**
 * What a malicious database superuser does. Replica mode no longer switches the audit triggers off
 * (they fire ALWAYS, migration 0008), so the superuser disables them for a moment as well.
 */
async function asReplica(statement: ReturnType<typeof sql>): Promise<void> {
  await system.database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    await tx.execute(statement);
    for (const name of ['audit_events_chain', 'audit_events_append_only', 'audit_events_no_truncate']) {
      await tx.execute(sql.raw(`ALTER TABLE audit_events ENABLE ALWAYS TRIGGER ${name}`));
    }
  });
}

/** The database's own refusal (drizzle wraps it as the cause of "Failed query"). */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
  throw new Error('the statement was not refused');
}

/** The superuser deletes every checkpoint row, switching the table's triggers off for a moment. */
async function deleteCheckpointRows(): Promise<void> {
  await system.database.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_checkpoints DISABLE TRIGGER USER`);
    await tx.execute(sql`DELETE FROM audit_checkpoints`);
    await tx.execute(sql`ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_append_only`);
    await tx.execute(sql`ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_truncate`);
  });
}

function checkpointLines(): SignedAuditCheckpoint[] {
  if (!fs.existsSync(checkpointDir())) return [];
  return fs
    .readdirSync(checkpointDir())
    .flatMap((name) => fs.readFileSync(path.join(checkpointDir(), name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SignedAuditCheckpoint);
}

test('the sealed record PDF carries a checkpoint sealed by the organisation, and the live trail matches it', async () => {
  expect(carried.checkpoint).toMatchObject({ type: 'attestflow.audit-checkpoint', organisation: system.config.signingOrganisation });
  expect(verifyAuditCheckpoint(carried, { caCertificatePem: caPem() })).toMatchObject({ ok: true });
  // The hash it names is the live chain's event at that seq.
  const [row] = (await system.database.db.execute(sql`SELECT hash FROM audit_events WHERE seq = ${carried.checkpoint.seq}`)).rows as { hash: string }[];
  expect(row!.hash).toBe(carried.checkpoint.hash);

  const verified = attestflow(['verify', pdfFile], env());
  expect(verified.output).toContain(
    `PASS  audit trail checkpoint (audit-checkpoint.json), sealed by the organisation: The audit trail reached event ${carried.checkpoint.seq}`,
  );
  expect(verified.output).toContain('VERDICT: VALID');

  const against = attestflow(['audit', 'verify', '--checkpoint', pdfFile], env());
  expect(against.code).toBe(0);
  expect(against.output).toMatch(/Audit trail intact: \d+ events/);
  expect(against.output).toContain(`checkpoint (${pdfFile}): event ${carried.checkpoint.seq}, hash ${carried.checkpoint.hash}`);
});

test('checkpoints of the head are written on the timer, to the database and to DATA_DIR', async () => {
  const head = await headSeq();
  const until = Date.now() + 60_000;
  while ((await scalar(sql`SELECT max(seq) AS value FROM audit_checkpoints`)) < head) {
    if (Date.now() > until) throw new Error(`no checkpoint of event ${head} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const inFile = checkpointLines().find((c) => c.checkpoint.seq === head);
  expect(inFile).toBeDefined();
  expect(verifyAuditCheckpoint(inFile!, { caCertificatePem: caPem() }).ok).toBe(true);
  // An idle system does not grow its log: the head did not move, so no new checkpoint of it.
  const count = await scalar(sql`SELECT count(*) AS value FROM audit_checkpoints WHERE seq = ${head}`);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(await scalar(sql`SELECT count(*) AS value FROM audit_checkpoints WHERE seq = ${head}`)).toBe(count);
  // The checkpoint rows are append-only, also for a session in replica mode.
  expect(await refusal(asReplica(sql`UPDATE audit_checkpoints SET seq = 1`))).toMatch(/UPDATE on audit_checkpoints is refused: the table is append-only/);
});

test('the last 3 events deleted by a superuser (replica mode), and every checkpoint row with them, are named as missing', async () => {
  const head = await headSeq();
  expect(checkpointLines().some((c) => c.checkpoint.seq === head)).toBe(true);
  await asReplica(sql`DELETE FROM audit_events WHERE seq > ${head - 3}`);
  // `replica` is not enough for the checkpoint rows (their triggers fire ALWAYS): the triggers go off.
  expect(await refusal(asReplica(sql`DELETE FROM audit_checkpoints`))).toMatch(/DELETE on audit_checkpoints is refused: the table is append-only/);
  await deleteCheckpointRows();
  expect(await headSeq()).toBe(head - 3);

  const result = attestflow(['audit', 'verify'], env());
  expect(result.code).toBe(1);
  expect(result.output).not.toContain('Audit trail intact');
  expect(result.output).toContain(`AUDIT TRAIL BROKEN: events ${head - 2}..${head} are missing after the checkpoint of`);
  expect(result.output).toContain(`which saw the chain reach event ${head}; the trail now ends at event ${head - 3}`);
  expect(result.output).toContain('checkpoint rows were deleted');
});

test('when the system goes on appending past the deleted events, and checkpoints the new head, the replaced events are still named', async () => {
  const checkpointed = Math.max(...checkpointLines().map((c) => c.checkpoint.seq));
  const initiator = await system.session('initiator');
  while ((await headSeq()) <= checkpointed) expect((await initiator.post('/api/change-controls', SAMPLE_CHANGE)).status).toBe(201);
  const head = await headSeq();
  const until = Date.now() + 60_000;
  while ((await scalar(sql`SELECT max(seq) AS value FROM audit_checkpoints`)) < head) {
    if (Date.now() > until) throw new Error(`no checkpoint of event ${head} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const result = attestflow(['audit', 'verify'], env());
  expect(result.code).toBe(1);
  expect(result.output).toContain(`AUDIT TRAIL BROKEN: event ${checkpointed} differs from the checkpoint of`);
  expect(result.output).toContain(`events up to ${checkpointed} were deleted and replaced`);
  // The administrators' API says so too.
  const admin = await system.session('admin');
  const api = await admin.get('/api/admin/audit/verify');
  expect(api.status).toBe(200);
  expect(api.body.intact).toBe(false);
  expect(api.body.description).toContain(`event ${checkpointed} differs from the checkpoint of`);
});

test('with DATA_DIR\u2019s checkpoints lost too, the checkpoint in the auditor\u2019s PDF still names the missing events', async () => {
  const { seq, checkpointedAt } = carried.checkpoint;
  await asReplica(sql`DELETE FROM audit_events WHERE seq >= ${seq}`);
  await deleteCheckpointRows();
  fs.rmSync(checkpointDir(), { recursive: true, force: true });

  const result = attestflow(['audit', 'verify', '--checkpoint', pdfFile], env());
  expect(result.code).toBe(1);
  expect(result.output).toContain(`event ${seq} is missing after the checkpoint of ${checkpointedAt} (${pdfFile}), which saw the chain reach event ${seq}`);
  expect(result.output).toContain(`checkpoint (${pdfFile}): event ${seq}, hash ${carried.checkpoint.hash}`);
  expect(result.output).toContain('NOT MATCHED');
});
