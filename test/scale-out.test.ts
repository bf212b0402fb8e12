// Issue 14, "Scale-out": Attestflow's own processes keep no state of their own, so they scale by
// running more of them. Two `attestflow api`, two `attestflow worker` and two `attestflow
// render-worker` processes run against one PostgreSQL database, one Redis and the test Temporal dev
// server. A change control created through the first API is signed through the second; a worker is
// killed (SIGKILL) inside the transaction of a signature and the other worker finishes it; a PDF
// generator is killed inside the transaction that stores a dossier and the other one renders it;
// then nothing is lost or duplicated and the audit chain verifies.
//
// Order is driven by locks, never by time: the test holds a table lock, waits (polling, with no
// deadline of its own) until pg_stat_activity shows a process's backend blocked on that lock, kills
// that process, and only then releases the lock. Each process names its connections (PGAPPNAME), so
// the blocked backend tells which process to kill.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../cli/temporal-dev-server';
import { loadConfig } from '../config/config';
import { sealingIdentity } from '../config/pki-store';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { seedDemoOrganisation } from '../db/seed-demo';
import { changeAwaitingApproval, signOff } from './support/change-control-thread';
import { attestflow } from './support/cli';
import { HttpSession, People } from './support/http-session';
import { ServiceProcess } from './support/service-process';
import { createTestDatabase, dropDatabase } from './support/test-database';
import { testTemporalAddress, testWorkflowBundle, TEST_REDIS_URL } from './support/test-env';

const RUN = `${process.pid}-${Date.now()}`;
let databaseUrl: string;
let dataDir: string;
let database: DatabaseHandle;
let env: Record<string, string>;
const processes: ServiceProcess[] = [];
let apis: [string, string];
let workers: ServiceProcess[];
let generators: ServiceProcess[];
let people: People;

/** Polls `probe` until it returns a value; bounded only by the test's timeout (the machine may be loaded). */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function rows<T>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await database.pool.query(text, values)).rows as T[];
}

async function count(text: string, values: unknown[] = []): Promise<number> {
  const [row] = await rows<{ n: string }>(text, values);
  return Number(row!.n);
}

function start(name: string, command: 'api' | 'worker' | 'render-worker', extra: Record<string, string> = {}): ServiceProcess {
  const service = new ServiceProcess(name, command, { ...env, ...extra });
  processes.push(service);
  return service;
}

/** The same person's session on the other API: sessions live in PostgreSQL, so any API process accepts the cookie. */
function onApi(session: HttpSession, baseUrl: string): HttpSession {
  const moved = new HttpSession(baseUrl);
  moved.cookie = session.cookie;
  moved.signedOnce = session.signedOnce;
  return moved;
}

/**
 * Holds `LOCK TABLE <table> IN SHARE MODE` (reads go on, inserts wait) on a connection of its own,
 * waits until a backend of one of `candidates` is blocked by it, SIGKILLs that process, releases the
 * lock and waits until PostgreSQL has ended the dead process's backends (its open transaction rolled
 * back). `act` starts the work that reaches the lock; it runs after the lock is held.
 */
async function killInsideInsert(
  table: 'signatures' | 'artifacts',
  candidates: ServiceProcess[],
  act: () => Promise<{ status: number; body: unknown }>,
): Promise<ServiceProcess> {
  const lock = new Client({ connectionString: databaseUrl, application_name: `scale-out-test-lock-${RUN}` });
  await lock.connect();
  try {
    await lock.query('BEGIN');
    await lock.query(`LOCK TABLE ${table} IN SHARE MODE`);
    const [{ pid: lockPid }] = (await lock.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
    // A request refused outright never reaches the lock: fail with its answer rather than wait.
    let answered: { status: number; body: unknown } | undefined;
    void act().then(
      (response) => (answered = response),
      () => undefined, // the caller awaits the request itself and sees its failure
    );
    const blocked = await until(async () => {
      if (answered && answered.status >= 400) throw new Error(`refused before reaching the lock: ${answered.status} ${JSON.stringify(answered.body)}`);
      // Read on another connection than the lock's: inside a transaction, pg_stat_activity keeps
      // showing the snapshot taken at its first reading there.
      const waiting = await rows<{ application_name: string; query: string }>(
        'SELECT application_name, query FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
        [lockPid],
      );
      return waiting.find((w) => candidates.some((c) => c.name === w.application_name));
    });
    expect(blocked.query).toMatch(new RegExp(`^insert into "${table}"`, 'i'));
    const victim = candidates.find((c) => c.name === blocked.application_name)!;
    await victim.kill();
    await lock.query('ROLLBACK');
    // The dead process's backend runs its INSERT once the lock is free, then finds the client gone
    // and rolls the transaction back; nothing of it may remain.
    await until(async () => ((await count('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [victim.name])) === 0 ? true : undefined));
    return victim;
  } finally {
    await lock.end();
  }
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase('scale_out');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-scale-out-'));
  env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_WORKFLOW_BUNDLE: testWorkflowBundle(),
    TEMPORAL_TASK_QUEUE: `test-scale-out-${RUN}`,
    QUEUE_PREFIX: `attestflow-test-scale-out-${RUN}`,
    // One DATA_DIR for every process: the organisation CA and the sealing certificate must be the
    // same in every replica (docs/deployment.md, "Production shape").
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    ...Object.fromEntries(['LOGIN', 'SIGNING', 'TOTP', 'PASSWORD_RESET'].map((action) => [`RATE_LIMIT_${action}_PER_CLIENT`, '100000/1m'])),
  };
  // Provisioned before the replicas start, as an installation does (rather than the first of six
  // processes to start creating them).
  sealingIdentity(loadConfig(env));
  database = connectDatabase(databaseUrl, { max: 2 });
  const seeded = (await seedDemoOrganisation(database.db)) ?? [];

  const ports = [await freePort()];
  while (ports.length < 2) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const api = ports.map((port, i) => start(`scale-out-api-${i + 1}-${RUN}`, 'api', { PORT: String(port) }));
  workers = [1, 2].map((i) => start(`scale-out-worker-${i}-${RUN}`, 'worker'));
  generators = [1, 2].map((i) => start(`scale-out-pdf-${i}-${RUN}`, 'render-worker'));
  await Promise.all([
    ...api.map((p) => p.waitForOutput(/Attestflow is running/)),
    ...workers.map((p) => p.waitForOutput(/Worker polling task queue/)),
    ...generators.map((p) => p.waitForOutput(/PDF generator polling queue/)),
  ]);
  apis = [`http://127.0.0.1:${ports[0]}`, `http://127.0.0.1:${ports[1]}`];
  people = new People(apis[0], Object.fromEntries(seeded.map((u) => [u.username, u.oneTimePassword])));
}, 600_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await database?.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

afterEach(() => {
  // A failure shows what the processes said.
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts || state.suppressedErrors.length) {
    for (const p of processes) process.stderr.write(`--- ${p.name} (pid ${p.pid})\n${p.output.slice(-4000)}\n`);
  }
});

let recordId: string;
let approvedSignatureId: string;
let verifiedSignatureId: string;
let killedWorker: ServiceProcess;
let dossierId: string;
let killedGenerator: ServiceProcess;

test('a change control created through the first API is signed through the second', async () => {
  const initiator = await people.session('initiator');
  const submitted = await changeAwaitingApproval(initiator);
  recordId = submitted.id;
  const qa = onApi(await people.signer('qa'), apis[1]);
  const body = signOff(people, qa, 'qa', submitted as never, 'approved');
  approvedSignatureId = body.signatureId;
  const signed = await qa.post(`/api/change-controls/${recordId}/sign`, body);
  expect(signed.status).toBe(200);
  expect(signed.body.record.signatures.map((s: { id: string }) => s.id)).toContain(approvedSignatureId);
  // The first API reads what the second one's worker wrote.
  const read = await initiator.get(`/api/change-controls/${recordId}`);
  expect(read.body.signatures.map((s: { id: string; meaning: string }) => [s.id, s.meaning])).toEqual([[approvedSignatureId, 'approved']]);
}, 600_000);

test('a worker killed (SIGKILL) inside the transaction of a signature leaves the other worker to finish it', async () => {
  const qa = onApi(await people.signer('qa'), apis[1]);
  const verifying = await until(async () => {
    const view = await qa.get(`/api/change-controls/${recordId}`);
    return view.body.status === 'effectiveness_verification' ? view.body : undefined;
  });
  const body = signOff(people, qa, 'qa', verifying, 'verified');
  verifiedSignatureId = body.signatureId;
  let signing!: Promise<{ status: number; body: any }>;
  killedWorker = await killInsideInsert('signatures', workers, () => (signing = qa.post(`/api/change-controls/${recordId}/sign`, body)));
  expect(killedWorker.running).toBe(false);
  // Temporal gives the activity to the surviving worker once the dead one's attempt times out.
  const signed = await signing;
  expect(signed.status).toBe(200);
  expect(signed.body.record.signatures.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([approvedSignatureId, verifiedSignatureId]));
  const closed = await until(async () => {
    const view = await qa.get(`/api/change-controls/${recordId}`);
    return view.body.status === 'closed' ? view.body : undefined;
  });
  expect(closed.history.map((h: { to: string }) => h.to)).toEqual([
    'draft',
    'impact_assessment',
    'approval',
    'implementation',
    'effectiveness_verification',
    'closed',
  ]);
}, 600_000);

test('a PDF generator killed (SIGKILL) inside the transaction that stores a dossier leaves the other generator to render it', async () => {
  // The closure PDF is stored first, so the only insert into artifacts still to come is the dossier's.
  await until(async () =>
    (await count("SELECT count(*) AS n FROM artifacts WHERE record_id = $1 AND kind = 'record_pdf'", [recordId])) === 1 ? true : undefined,
  );
  const auditor = await people.session('auditor');
  const number = (await rows<{ number: string }>('SELECT number FROM records WHERE id = $1', [recordId]))[0]!.number;
  let requested!: Promise<{ status: number; body: any }>;
  killedGenerator = await killInsideInsert(
    'artifacts',
    generators,
    () => (requested = auditor.post('/api/dossiers', { title: 'Scale-out dossier', selection: { numbers: [number] } })),
  );
  const request = await requested;
  expect(request.status).toBe(201);
  dossierId = request.body.id;
  const survivor = generators.find((g) => g !== killedGenerator)!;
  expect(survivor.running).toBe(true);

  // BullMQ hands the dead generator's job to the other one once its lock has expired.
  const onSecondApi = onApi(auditor, apis[1]);
  const done = await until(async () => {
    const view = await onSecondApi.get(`/api/dossiers/${dossierId}`);
    expect(view.body.status).not.toBe('failed');
    return view.body.status === 'done' ? view.body : undefined;
  });
  expect(done).toMatchObject({ recordNumbers: [number], artifact: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });

  const pdf = await fetch(`${apis[1]}/api/dossiers/${dossierId}/pdf`, { headers: { cookie: onSecondApi.cookie! } });
  expect(pdf.status).toBe(200);
  const file = path.join(dataDir, 'scale-out-dossier.pdf');
  fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  const verified = attestflow(['verify', file], { DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
  expect(verified.output).toMatch(/valid/i);
  expect(verified.code).toBe(0);
}, 600_000);

test('nothing is lost or duplicated: signatures, tasks, audit events and artifacts are counted, and the audit chain verifies', async () => {
  // Signatures: the two of the change control, each once, under the ids the client chose.
  expect(await rows('SELECT id, meaning FROM signatures WHERE record_id = $1 ORDER BY signed_at', [recordId])).toEqual([
    { id: approvedSignatureId, meaning: 'approved' },
    { id: verifiedSignatureId, meaning: 'verified' },
  ]);
  // Tasks: one per step and assignee, each completed once, none left open on the closed record.
  const tasks = await rows<{ step: string; completions: string }>(
    `SELECT t.step, t.action, coalesce(t.assignee_role, t.assignee_user_id::text) AS assignee, count(c.task_id) AS completions
       FROM tasks t LEFT JOIN task_completions c ON c.task_id = t.id
      WHERE t.record_id = $1 GROUP BY t.id ORDER BY t.opened_at`,
    [recordId],
  );
  expect(tasks.map((t) => t.step)).toEqual(['draft', 'impact_assessment', 'approval', 'effectiveness_verification']);
  expect(tasks.every((t) => Number(t.completions) === 1)).toBe(true);
  // Audit events of the record and of the dossier: each action once, in order.
  const recordActions = await rows<{ action: string }>('SELECT action FROM audit_events WHERE record_id = $1 ORDER BY seq', [recordId]);
  expect(recordActions.map((r) => r.action)).toEqual([
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
  const dossierActions = await rows<{ action: string }>(
    `SELECT action FROM audit_events
      WHERE (entity_type = 'dossier' AND entity_id = $1) OR (entity_type = 'artifact' AND new_value->>'dossierId' = $1)
      ORDER BY seq`,
    [dossierId],
  );
  expect(dossierActions.map((r) => r.action)).toEqual(['dossier.requested', 'dossier.pdf_generated']);
  // Artifacts: one closure PDF of the record, one dossier PDF.
  expect(await count("SELECT count(*) AS n FROM artifacts WHERE record_id = $1 AND kind = 'record_pdf'", [recordId])).toBe(1);
  expect(await count("SELECT count(*) AS n FROM artifacts WHERE dossier_id = $1 AND kind = 'dossier_pdf'", [dossierId])).toBe(1);
  // The whole trail, as an operator checks it after an incident.
  const verified = attestflow(['audit', 'verify'], { DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
  expect(verified.output).toMatch(/^Audit trail intact: \d+ events/m);
  expect(verified.code).toBe(0);
  // The surviving processes are still serving.
  expect(workers.filter((w) => w.running)).toEqual(workers.filter((w) => w !== killedWorker));
  expect(generators.filter((g) => g.running)).toEqual(generators.filter((g) => g !== killedGenerator));
}, 600_000);
