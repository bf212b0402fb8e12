import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../cli/temporal-dev-server';
import { runChangeControlThread } from './support/change-control-thread';
import { dropDatabase, unusedDatabaseUrl } from './support/test-database';
import { HttpSession, People } from './support/http-session';

const ROOT = path.join(__dirname, '..');

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** `npm start` is `node bin/attestflow.js start`: the whole system on this machine's defaults. */
function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Attestflow is running')) {
        clearInterval(timer);
        resolve({ child, output: () => output });
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`attestflow start exited (${code}):\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

const databaseUrl = unusedDatabaseUrl('npm_start');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-start-'));
let running: Started | undefined;
afterAll(async () => {
  if (running) await stop(running.child);
  await dropDatabase(databaseUrl);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('start: creates the database, seeds the demo organisation, runs Temporal, worker and API; the scripted session closes a change control; a restart keeps everything', async () => {
  const port = await freePort();
  const temporalPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    TEMPORAL_DEV_SERVER_PORT: String(temporalPort),
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.TEMPORAL_WORKFLOW_BUNDLE;
  running = await start(env);
  const baseUrl = `http://127.0.0.1:${port}`;

  const health = await new HttpSession(baseUrl).get('/api/health');
  for (let i = 0; i < 100 && !running.output().includes('PDF generator polling'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(running.output()).toContain('PDF generator polling');
  expect(health.status).toBe(200);
  expect(health.body.checks).toMatchObject({ postgresql: { ok: true }, redis: { ok: true }, temporal: { ok: true } });

  const passwords = Object.fromEntries(
    [...running.output().matchAll(/^\[attestflow\]\s+(\w+)\s+([a-z0-9]{4}(?:-[a-z0-9]{4}){3})\s/gm)].map((m) => [m[1]!, m[2]!]),
  );
  expect(Object.keys(passwords)).toEqual(expect.arrayContaining(['initiator', 'qa', 'doccontrol', 'mrb', 'supplierquality', 'auditor', 'admin']));

  const people = new People(baseUrl, passwords);
  const thread = await runChangeControlThread(people);
  expect(thread.record.status).toBe('closed');
  expect(thread.record.signatures[0]).toMatchObject({ printedName: expect.any(String), meaning: 'approved', signedAt: expect.stringMatching(/Z$/) });
  expect(thread.audit.length).toBeGreaterThanOrEqual(4);
  expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);
  expect(fs.existsSync(path.join(dataDir, 'pki', 'ca.pem'))).toBe(true);
  expect(fs.statSync(path.join(dataDir, 'pki', 'ca-key.pem')).mode & 0o077).toBe(0);

  expect(await stop(running.child)).toBe(0);
  expect(await answers(`http://127.0.0.1:${temporalPort}`)).toBe(false);

  // Second start on the same database and data directory: no new seed, history intact.
  running = await start(env);
  expect(running.output()).toContain('Users exist already');
  const auditor = await people.session('auditor');
  const again = await auditor.get(`/api/change-controls/${thread.id}`);
  expect(again.body).toMatchObject({ status: 'closed', signatures: expect.arrayContaining([expect.objectContaining({ id: thread.signed.signature.id })]) });
  expect(await stop(running.child)).toBe(0);
  running = undefined;
});

test('a bad variable stops start with a message naming it', async () => {
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'attestflow.js'), 'start'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
  expect(result.code).toBe(2);
  expect(result.output).toContain('PORT must be a whole number (got "eighty")');
});
