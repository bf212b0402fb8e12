// Sign-in latency through the HTTP API for an unknown username next to an existing user with a wrong
// password, in one run (issue 11, item 7: 17.6 ms vs 79.5 ms told which usernames exist). Both now
// verify one argon2id hash, so the two p50s should be close. Own Temporal dev server (the API
// needs a client; no worker runs), own database, Redis.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createApp } from '../api/create-app';
import { freePort, startTemporalDevServer } from '../cli/temporal-dev-server';
import { loadConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { seedDemoOrganisation } from '../db/seed-demo';
import { HttpSession, People } from '../test/support/http-session';
import { BENCH_REDIS_URL, Cleanup, dropDatabase, fromSamples, scratchDatabaseUrl, type Row } from './harness';

export async function loginBenchmarks(options: { logins: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const cleanup = new Cleanup();
  try {
    return await run(options, cleanup);
  } finally {
    await cleanup.run();
  }
}

async function run(options: { logins: number }, cleanup: Cleanup): Promise<{ rows: Row[]; notes: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-bench-login-'));
  cleanup.add('remove the data directory', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const databaseUrl = scratchDatabaseUrl();
  await migrateDatabase(databaseUrl);
  cleanup.add('drop the login bench database', () => dropDatabase(databaseUrl));
  const database = connectDatabase(databaseUrl, { max: 2 });
  cleanup.add('close the seeding pool', () => database.close());
  const seeded = await seedDemoOrganisation(database.db);
  if (!seeded) throw new Error('The login bench database already had users');

  const server = await startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH, port: await freePort(), namespace: 'default' });
  cleanup.add('stop the Temporal dev server', () => server.stop());
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: BENCH_REDIS_URL,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `bench-login-${process.pid}-${Date.now()}`,
    QUEUE_PREFIX: `attestflow-bench-login-${process.pid}-${Date.now()}`,
    PORT: '0',
    // The bench signs in far faster than a person: no rate limit may refuse it.
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000/1m',
    RATE_LIMIT_LOGIN_PER_CLIENT: '1000000/1m',
  });
  const app = await createApp({ config, temporalAddress: server.address, runWorker: false }, { logger: false });
  cleanup.add('close the app', () => app.close());
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  // The existing user has set their own password (first sign-in), as a real account has.
  const people = new People(baseUrl, Object.fromEntries(seeded.map((u) => [u.username, u.oneTimePassword])));
  await people.session('initiator');
  const client = new HttpSession(baseUrl);
  const attempt = async (username: string) => {
    const answer = await client.post('/api/auth/login', { username, password: 'Not-the-password-1' });
    if (answer.status !== 401) throw new Error(`login as ${username}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  // Untimed before each wrong password: the failure count goes back to 0, so the account never locks.
  const unlock = () => database.db.execute(sql`UPDATE users SET failed_attempts = 0 WHERE username = 'initiator'`);
  const unknown: number[] = [];
  const wrong: number[] = [];
  // Alternating, so that both see the same machine: warm-up first, then one of each per round.
  for (let i = 0; i < 5; i++) {
    await attempt(`nobody-${i}`);
    await unlock();
    await attempt('initiator');
  }
  for (let i = 0; i < options.logins; i++) {
    unknown.push(await timedOnce(() => attempt(`nobody-${i}`)));
    await unlock();
    wrong.push(await timedOnce(() => attempt('initiator')));
  }
  const unknownUser = fromSamples(unknown);
  const wrongPassword = fromSamples(wrong);
  return {
    rows: [
      {
        benchmark: 'sign-in via HTTP API, unknown username (401)',
        measured: unknownUser,
        baseline: 'sign-in, existing user, wrong password (401)',
        baselineMeasured: wrongPassword,
      },
    ],
    notes: [
      `sign-in: ${options.logins} attempts of each kind, alternating (5 warm-up pairs untimed), one client, sequential; ` +
        `unknown username p50 ${unknownUser.p50Ms!.toFixed(1)} ms vs existing user with a wrong password p50 ${wrongPassword.p50Ms!.toFixed(1)} ms ` +
        `(both verify one argon2id hash; the failure count is reset untimed before each wrong password so the account never locks).`,
    ],
  };
}

async function timedOnce(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}
