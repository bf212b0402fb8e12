// `npm run bench`: measured figures, each next to a baseline from the same run on the same machine.
//   BENCH_SIGNATURES (30)        e-signatures through the HTTP API
//   BENCH_UPDATES (200)          Temporal Update round trips of the baseline
//   BENCH_AUDIT_EVENTS (1000000) audit events verified
//   BENCH_AUDIT_BATCH (2000)     rows per INSERT when filling the audit trail
//   BENCH_POSTGRES_URL, BENCH_REDIS_URL, TEMPORAL_CLI_PATH
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { auditChainBenchmark } from './audit-chain.bench';
import { dropDatabase, envInt, scratchDatabaseUrl, type Measurement, type Row } from './harness';
import { microBenchmarks } from './micro.bench';
import { signatureBenchmarks } from './signatures.bench';

const rate = (m: Measurement) => (m.perSecond < 100 ? m.perSecond.toFixed(1) : Math.round(m.perSecond).toLocaleString('en'));
const ratio = (value: number) => `${value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}x`;
const ms = (value: number | undefined) => (value === undefined ? '' : value.toFixed(1));

function machineFacts(postgres: string): string[] {
  const temporal = spawnSync(process.env.TEMPORAL_CLI_PATH ?? 'temporal', ['--version'], { encoding: 'utf8' });
  return [
    `node ${process.version} (${process.platform} ${process.arch}), CPU: ${os.cpus()[0]?.model.trim() ?? 'unknown'}, ${os.cpus().length} cores, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
    `${postgres}; ${temporal.stdout?.trim() || 'temporal CLI version unknown'}`,
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const settings = {
    signatures: envInt('BENCH_SIGNATURES', 30),
    updates: envInt('BENCH_UPDATES', 200),
    auditEvents: envInt('BENCH_AUDIT_EVENTS', 1_000_000),
    auditBatch: envInt('BENCH_AUDIT_BATCH', 2000),
  };
  const databaseUrl = scratchDatabaseUrl();
  const rows: Row[] = [];
  const notes: string[] = [];
  let facts: string[] | undefined;
  try {
    await migrateDatabase(databaseUrl);
    const handle = connectDatabase(databaseUrl, { max: 2 });
    try {
      const { rows: version } = await handle.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      facts = machineFacts(`PostgreSQL ${version[0]?.v ?? '?'}`);
      console.error('bench: building blocks (audit append, canonical hash, argon2id) …');
      rows.push(...(await microBenchmarks(handle)));
    } finally {
      await handle.close();
    }

    console.error(`bench: ${settings.signatures} e-signatures through the HTTP API, ${settings.updates} Temporal Updates …`);
    const signing = await signatureBenchmarks({ databaseUrl, signatures: settings.signatures, updates: settings.updates });
    console.error(`bench: audit chain of ${settings.auditEvents.toLocaleString('en')} events (fill, then verify) …`);
    const audit = await auditChainBenchmark({ databaseUrl, events: settings.auditEvents, batchSize: settings.auditBatch });
    rows.unshift(...signing.rows, ...audit.rows);
    notes.push(...signing.notes, ...audit.notes);
  } finally {
    await dropDatabase(databaseUrl);
  }

  console.log(`\nAttestflow benchmarks — ${new Date().toISOString()}`);
  for (const line of facts ?? []) console.log(line);
  console.log();
  console.table(
    rows.map((r) => ({
      benchmark: r.benchmark,
      n: r.measured.n,
      'ops/s': rate(r.measured),
      'p50 ms': ms(r.measured.p50Ms),
      'p99 ms': ms(r.measured.p99Ms),
      baseline: r.baseline,
      'baseline n': r.baselineMeasured.n,
      'baseline ops/s': rate(r.baselineMeasured),
      'baseline p50 ms': ms(r.baselineMeasured.p50Ms),
      ratio: ratio(r.measured.perSecond / r.baselineMeasured.perSecond),
    })),
  );
  for (const note of notes) console.log(`- ${note}`);
  console.log(
    `- p50/p99: nearest rank over the timed calls; ratio = ops/s ÷ baseline ops/s. Total run time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
