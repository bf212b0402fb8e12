import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { changeAwaitingApproval, signOff, waitForStatus } from './support/change-control-thread';
import { startTestSystem, type TestSystem } from './support/test-system';
import { testTemporalAddress, testWorkflowBundle } from './support/test-env';

const ROOT = path.join(__dirname, '..');

/** `attestflow worker` as its own process, as it runs in production. */
function startWorkerProcess(system: TestSystem): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'worker'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: system.databaseUrl,
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: system.config.temporalTaskQueue,
      TEMPORAL_WORKFLOW_BUNDLE: testWorkflowBundle(),
      DATA_DIR: system.dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Worker polling task queue')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before polling:\n${output}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

let system: TestSystem;
let worker: ChildProcess | undefined;
beforeAll(async () => {
  system = await startTestSystem('worker_restart', { runWorker: false });
});
afterAll(async () => {
  if (worker && worker.exitCode === null) await kill(worker);
  await system?.close();
});

test('killing the worker (SIGKILL) in the middle of the thread and starting a new one loses nothing', async () => {
  worker = await startWorkerProcess(system);
  const initiator = await system.session('initiator');
  const submitted = await changeAwaitingApproval(initiator);
  const id: string = submitted.id;

  await kill(worker);
  // QA signs while no worker runs: the Update waits in Temporal instead of failing.
  const qa = await system.people.signer('qa');
  const signatureId = randomUUID();
  const signing = qa.post(`/api/change-controls/${id}/sign`, {
    signatureId,
    ...system.people.credentials(qa, 'qa'),
    meaning: 'approved',
    recordVersion: submitted.version,
    contentHash: submitted.contentHash,
  });
  await new Promise((r) => setTimeout(r, 1500));
  expect((await qa.get(`/api/change-controls/${id}`)).body.status).toBe('approval');

  worker = await startWorkerProcess(system);
  const signed = await signing;
  expect(signed.status).toBe(200);
  expect(signed.body.record.status).not.toBe('approval');
  const verifying = await waitForStatus(qa, `/api/change-controls/${id}`, 'effectiveness_verification');
  const verified = await qa.post(
    `/api/change-controls/${id}/sign`,
    signOff(system.people, qa, 'qa', verifying as { version: number; contentHash: string }, 'verified'),
  );
  expect(verified.body.record.history.map((h: { to: string }) => h.to)).toEqual([
    'draft',
    'impact_assessment',
    'approval',
    'implementation',
    'effectiveness_verification',
    'closed',
  ]);

  const result = await system.temporal.workflow.getHandle(`process/${id}`).result();
  expect(result.status).toBe('closed');
  const rows = await system.database.db.execute(sql`SELECT action FROM audit_events WHERE record_id = ${id} ORDER BY seq`);
  expect(rows.rows.map((r) => (r as { action: string }).action)).toEqual([
    'record.created',
    'record.submitted',
    'record.submitted',
    'signature.applied',
    'record.approved',
    'record.implemented',
    'signature.applied',
    'record.closed',
    'record.pdf_generated',
  ]);
  const signatures = await system.database.db.execute(sql`SELECT id FROM signatures WHERE record_id = ${id}`);
  expect(signatures.rows).toEqual(expect.arrayContaining([{ id: signatureId }]));
  expect(signatures.rows).toHaveLength(2);
});
