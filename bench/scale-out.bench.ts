// Scale-out of the Temporal workers: change-control starts per second with two `attestflow worker`
// processes, next to the same starts with one. Each worker is its own process (as each replica is
// in production) on its own task queue of a Temporal dev server of its own; the bench process only
// starts workflows, as the API does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort, startTemporalDevServer } from '../cli/temporal-dev-server';
import { loadConfig } from '../config/config';
import { sealingIdentity } from '../config/pki-store';
import { connectDatabase } from '../db/client';
import { ServiceProcess } from '../test/support/service-process';
import { BENCH_REDIS_URL, Cleanup, combined, measureConcurrently, quietLogger, type Measurement, type Row } from './harness';
import { changeControlStarter, insertUsers } from './processes.bench';

export interface ScaleOutBenchOptions {
  /** A migrated, empty database. */
  databaseUrl: string;
  /** Timed starts per worker count. */
  starts: number;
}

/** Enough in flight to keep two workers busy. */
const CONCURRENCY = 16;

export async function scaleOutBenchmarks(options: ScaleOutBenchOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const cleanup = new Cleanup();
  try {
    return await run(options, cleanup);
  } finally {
    await cleanup.run();
  }
}

async function run(options: ScaleOutBenchOptions, cleanup: Cleanup): Promise<{ rows: Row[]; notes: string[] }> {
  const server = await startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH, port: await freePort(), namespace: 'default' });
  cleanup.add('stop the Temporal dev server', () => server.stop());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-bench-scale-out-'));
  cleanup.add('remove the data directory', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const bundlePath = path.join(dataDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger })).code);
  const env = {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: BENCH_REDIS_URL,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_WORKFLOW_BUNDLE: bundlePath,
    DATA_DIR: dataDir,
  };
  // The PKI every replica shares, made before the workers start (as an installation provisions it).
  sealingIdentity(loadConfig(env));
  const database = connectDatabase(options.databaseUrl, { max: 2 });
  cleanup.add('close the database pool', () => database.close());
  const users = await insertUsers(database.db);
  const client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: 'default' });
  cleanup.add('close the Temporal client', () => client.connection.close());

  // One worker process on one task queue, two on another; all three run throughout, and the timed
  // blocks alternate one, two, two, one, so a machine that gets busier or quieter during the run
  // (other work, CPU frequency) weighs on both sides alike.
  const configurations = [1, 2].map((count) => {
    const taskQueue = `bench-scale-out-${count}-${process.pid}-${Date.now()}`;
    const workers = Array.from(
      { length: count },
      (_, i) => new ServiceProcess(`bench-worker-${count}-${i + 1}`, 'worker', { ...env, TEMPORAL_TASK_QUEUE: taskQueue }),
    );
    for (const worker of workers) cleanup.add(`stop ${worker.name}`, () => worker.stop());
    return {
      workers,
      start: changeControlStarter(client, taskQueue, users.initiator),
      blocks: [] as Measurement[],
      samples: [] as number[],
      cpu: { workers: 0, server: 0, bench: 0 },
    };
  });
  await Promise.all(configurations.flatMap((c) => c.workers.map((w) => w.waitForOutput(/Worker polling task queue/))));
  // Warm-up of twice the concurrency on each queue, so every worker process has compiled its code paths.
  for (const c of configurations) await measureConcurrently(2 * CONCURRENCY, CONCURRENCY, c.start);
  const half = Math.ceil(options.starts / 2);
  for (const index of [0, 1, 1, 0]) {
    const c = configurations[index]!;
    const before = cpuNow(c.workers, server.process.pid);
    c.blocks.push(await measureConcurrently(half, CONCURRENCY, c.start, { onSample: (ms) => c.samples.push(ms) }));
    const after = cpuNow(c.workers, server.process.pid);
    c.cpu.workers += after.workers - before.workers;
    c.cpu.server += after.server - before.server;
    c.cpu.bench += after.bench - before.bench;
  }
  const [one, two] = configurations.map((c) => combined(c.blocks, c.samples)) as [Measurement, Measurement];
  const { rows: created } = await database.pool.query<{ n: string }>("SELECT count(*) AS n FROM records WHERE type = 'change_control'");
  const expected = 2 * (2 * Math.ceil(options.starts / 2) + 2 * CONCURRENCY);
  if (Number(created[0]!.n) !== expected) throw new Error(`${created[0]!.n} change controls stored, expected ${expected}`);

  return {
    rows: [
      {
        benchmark: `change control started until its record exists, two \`attestflow worker\` processes, ${CONCURRENCY} in flight`,
        measured: two,
        baseline: `the same with one worker process`,
        baselineMeasured: one,
      },
    ],
    notes: [
      `scale-out: ${one.n} changeControlProcess starts (Update-with-Start, as the API creates a record) on each side with ${CONCURRENCY} in flight, ` +
        `after ${2 * CONCURRENCY} warm-up starts each, in four blocks alternating one worker process and two (1, 2, 2, 1), each side on a task ` +
        `queue of its own on one Temporal dev server and one PostgreSQL database; blocks ${configurations
          .map((c, i) => `${i + 1} worker(s): ${c.blocks.map((b) => b.perSecond.toFixed(1)).join(' and ')}/s`)
          .join(', ')}; CPU per start (ms) ${configurations
          .map((c, i) => {
            const per = (seconds: number) => ((seconds * 1000) / (2 * half)).toFixed(1);
            return `${i + 1} worker(s): worker processes ${per(c.cpu.workers)}, Temporal dev server ${per(c.cpu.server)}, bench process ${per(c.cpu.bench)}`;
          })
          .join('; ')} (PostgreSQL's not counted); p99 ${fmt(two.p99Ms)} ms with two, ${fmt(one.p99Ms)} ms with one. The bench process, the dev server and ` +
        `PostgreSQL share the machine's ${os.cpus().length} cores with the workers, so the ratio is the gain in this box, not a second machine's.`,
    ],
  };
}

/** CPU seconds used so far by the worker processes, the dev server and this process (Linux /proc; 0 where unreadable). */
function cpuNow(workers: ServiceProcess[], serverPid: number | undefined): { workers: number; server: number; bench: number } {
  const usage = process.cpuUsage();
  return {
    workers: workers.reduce((sum, w) => sum + processCpuSeconds(w.pid), 0),
    server: serverPid === undefined ? 0 : processCpuSeconds(serverPid),
    bench: (usage.user + usage.system) / 1e6,
  };
}

/** utime + stime of a process from /proc/<pid>/stat, in seconds (clock ticks of 1/100 s, as on Linux x86 and arm). */
function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const fmt = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));
