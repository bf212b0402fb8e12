import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../cli/temporal-dev-server';
import { changeAwaitingApproval } from './support/change-control-thread';
import { HttpSession, People } from './support/http-session';
import { dropDatabase, unusedDatabaseUrl } from './support/test-database';
import { testTemporalAddress, testWorkflowBundle } from './support/test-env';

// `npm start` runs the PDF generator as a supervised child: killed, it is reported by /api/health
// and by the dossier view, restarted, and the dossiers requested around the kill are rendered.

const ROOT = path.join(__dirname, '..');
const databaseUrl = unusedDatabaseUrl('pdf_generator_supervision');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-supervision-'));
let child: ChildProcess | undefined;
let output = '';

/** Resolves once the output holds a match for `pattern` (checked as output arrives). */
function outputMatches(pattern: RegExp, from = 0): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = output.slice(from).match(pattern);
      if (!match) return false;
      child!.stdout!.off('data', look);
      child!.stderr!.off('data', look);
      child!.off('exit', exited);
      resolve(match);
      return true;
    };
    const exited = (code: number | null) => reject(new Error(`attestflow start exited (${code}) before ${pattern}:\n${output}`));
    if (look()) return;
    // Our listeners run after the ones that append to `output` (registered first).
    child!.stdout!.on('data', look);
    child!.stderr!.on('data', look);
    child!.once('exit', exited);
  });
}

async function until<T>(_what: string, probe: () => Promise<T | undefined>): Promise<T> {
  // Bounded by the test's timeout only: polls as fast as the answers come, with a short pause.
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterAll(async () => {
  if (child && child.exitCode === null) {
    await new Promise((resolve) => {
      child!.once('exit', resolve);
      child!.kill('SIGTERM');
    });
  }
  await dropDatabase(databaseUrl);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the PDF generator killed with SIGKILL is reported by health and the dossier view, restarted, and the dossiers requested around the kill are rendered', async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_WORKFLOW_BUNDLE: testWorkflowBundle(),
    TEMPORAL_TASK_QUEUE: `supervision-${randomBytes(4).toString('hex')}`,
    QUEUE_PREFIX: `attestflow-supervision-${randomBytes(4).toString('hex')}`,
    // A heartbeat every 250 ms (stale after 750 ms). Health sees the generator gone while it is
    // stopped (SIGSTOP), before it is killed, so no window of time has to be caught.
    PDF_GENERATOR_HEARTBEAT_MS: '250',
    CHILD_RESTART_DELAY_MS: '3000',
  };
  child = spawn(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));

  await outputMatches(/Attestflow is running/);
  const firstPid = Number((await outputMatches(/The PDF generator started \(pid (\d+)\)/))[1]);
  const baseUrl = `http://127.0.0.1:${port}`;
  const anonymous = new HttpSession(baseUrl);
  const health = async () => (await anonymous.get('/api/health')) as { status: number; body: any };

  const alive = await until('health reports the first PDF generator', async () => {
    const h = await health();
    return h.body.checks.pdfGenerator.ok && h.body.checks.pdfGenerator.pid === firstPid ? h : undefined;
  });
  expect(alive.status).toBe(200);
  expect(alive.body.status).toBe('ok');

  const passwords = Object.fromEntries([...output.matchAll(/^\[attestflow\]\s+(\w+)\s+([a-z0-9]{4}(?:-[a-z0-9]{4}){3})\s/gm)].map((m) => [m[1]!, m[2]!]));
  const people = new People(baseUrl, passwords);
  const initiator = await people.session('initiator');
  const auditor = await people.session('auditor');
  const record = await changeAwaitingApproval(initiator);
  const requestDossier = async (title: string) => {
    const requested = await auditor.post('/api/dossiers', { title, selection: { numbers: [record.number] } });
    expect(requested.status).toBe(201);
    return requested.body.id as string;
  };

  // One dossier just before the generator stops answering, one just after. It is first frozen
  // (SIGSTOP: no heartbeat, no exit, so no restart yet) until health has reported it, then killed.
  const killedAt = output.length;
  const before = await requestDossier('Requested before the kill');
  process.kill(firstPid, 'SIGSTOP');
  const after = await requestDossier('Requested after the kill');

  const down = await until('health reports the PDF generator stale', async () => {
    const h = await health();
    return h.body.checks.pdfGenerator.ok === false ? h : undefined;
  });
  // Degraded, not unavailable: signing and reading go on without a PDF generator.
  expect(down.status).toBe(200);
  expect(down.body).toMatchObject({ status: 'degraded', checks: { postgresql: { ok: true }, redis: { ok: true }, temporal: { ok: true } } });
  expect(down.body.checks.pdfGenerator).toMatchObject({
    ok: false,
    pid: firstPid,
    lastHeartbeatAgeMs: expect.any(Number),
    error: expect.stringMatching(/no heartbeat/),
  });
  const waiting = await auditor.get(`/api/dossiers/${after}`);
  if (waiting.body.status !== 'done') expect(waiting.body.progress.description).toMatch(/^waiting for the PDF generator/);

  process.kill(firstPid, 'SIGKILL');

  await outputMatches(new RegExp(`The PDF generator \\(pid ${firstPid}\\) stopped \\(SIGKILL\\); restarting in 3 s`), killedAt);
  const secondPid = Number((await outputMatches(/The PDF generator started \(pid (\d+)\)/, killedAt))[1]);
  expect(secondPid).not.toBe(firstPid);

  const back = await until('health reports the restarted PDF generator', async () => {
    const h = await health();
    return h.body.checks.pdfGenerator.ok && h.body.checks.pdfGenerator.pid === secondPid ? h : undefined;
  });
  expect(back.body.status).toBe('ok');

  for (const id of [before, after]) {
    const done = await until(`dossier ${id} is done`, async () => {
      const view = await auditor.get(`/api/dossiers/${id}`);
      expect(view.body.status).not.toBe('failed');
      return view.body.status === 'done' ? view.body : undefined;
    });
    expect(done).toMatchObject({ status: 'done', recordNumbers: [record.number], artifact: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  }
});
