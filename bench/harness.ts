// What every benchmark module shares: timing, the table row, cleanup and a scratch database. The
// HTTP client for the API is the test harness's (test/support/http-session.ts, no Jest globals).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** One timed loop: the rate, and per-operation latencies when they were sampled. */
export interface Measurement {
  n: number;
  seconds: number;
  perSecond: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Sampled with p50/p99: shows whether a p99 is one outlier or a tail. */
  p90Ms?: number;
  /** Peak resident set size of the process that did the work (measured in a child process of its own). */
  peakRssKiB?: number;
}

/** One line of the table: a figure and, next to it, its baseline from the same run. */
export interface Row {
  benchmark: string;
  measured: Measurement;
  baseline: string;
  baselineMeasured: Measurement;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Runs `run` n times in sequence (after `warmup` untimed runs). With `latencies`, each call is timed
 * on its own for p50/p99 (nearest rank); leave it off for loops of sub-microsecond operations.
 * `before` runs untimed ahead of each call (and implies `latencies`).
 */
export async function measure(
  n: number,
  run: (i: number) => Promise<unknown> | unknown,
  options: { latencies?: boolean; warmup?: number; before?: (i: number) => Promise<unknown> } = {},
): Promise<Measurement> {
  for (let i = 0; i < (options.warmup ?? 0); i++) await run(-1 - i);
  const samples: number[] = [];
  const started = performance.now();
  if (options.latencies || options.before) {
    for (let i = 0; i < n; i++) {
      await options.before?.(i);
      const t = performance.now();
      await run(i);
      samples.push(performance.now() - t);
    }
  } else {
    for (let i = 0; i < n; i++) await run(i);
  }
  // With an untimed step before each call, the rate is over the timed calls only.
  const seconds = (options.before ? samples.reduce((a, b) => a + b, 0) : performance.now() - started) / 1000;
  const sorted = samples.sort((a, b) => a - b);
  return {
    n,
    seconds,
    perSecond: n / seconds,
    ...(sorted.length ? { p50Ms: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9), p99Ms: percentile(sorted, 0.99) } : {}),
  };
}

/**
 * Runs `run` n times with `concurrency` calls in flight (after `warmup` untimed calls, also run
 * concurrently). The rate is over the wall time of the n calls; p50/p99 over each call's own latency.
 */
export async function measureConcurrently(
  n: number,
  concurrency: number,
  run: (i: number) => Promise<unknown>,
  options: { warmup?: number; onSample?: (ms: number) => void } = {},
): Promise<Measurement> {
  const inFlight = async (count: number, each: (i: number) => Promise<unknown>) => {
    let next = 0;
    const lane = async () => {
      while (next < count) await each(next++);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  };
  await inFlight(options.warmup ?? 0, (i) => run(-1 - i));
  const samples: number[] = [];
  const started = performance.now();
  await inFlight(n, async (i) => {
    const t = performance.now();
    await run(i);
    const ms = performance.now() - t;
    samples.push(ms);
    options.onSample?.(ms);
  });
  const seconds = (performance.now() - started) / 1000;
  const sorted = samples.sort((a, b) => a - b);
  return { n, seconds, perSecond: n / seconds, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/**
 * Runs each of `runs` n times, one call of each in turn (after `warmup` rounds), and times every call:
 * on a machine whose load changes during the run, a figure and its baseline then see the same load,
 * which back-to-back blocks of calls do not. The rate is over each one's own timed calls.
 */
export async function measureInterleaved<K extends string>(
  n: number,
  runs: Record<K, () => Promise<unknown>>,
  options: { warmup?: number } = {},
): Promise<Record<K, Measurement>> {
  const keys = Object.keys(runs) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = -(options.warmup ?? 0); round < n; round++) {
    for (const key of keys) {
      const t = performance.now();
      await runs[key]();
      if (round >= 0) samples[key].push(performance.now() - t);
    }
  }
  return Object.fromEntries(
    keys.map((k) => {
      const m = fromSamples(samples[k]);
      const sorted = [...samples[k]].sort((a, b) => a - b);
      return [k, { ...m, p90Ms: percentile(sorted, 0.9) }];
    }),
  ) as Record<K, Measurement>;
}

/** A measurement from per-call durations timed elsewhere (e.g. reported by a child process). */
export function fromSamples(samplesMs: number[]): Measurement {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const seconds = sorted.reduce((a, b) => a + b, 0) / 1000;
  return { n: sorted.length, seconds, perSecond: sorted.length / seconds, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/** Blocks of the same work measured apart (e.g. interleaved with another kind): their total rate, and percentiles over every sample. */
export function combined(blocks: Measurement[], samplesMs: number[]): Measurement {
  const n = blocks.reduce((a, b) => a + b.n, 0);
  const seconds = blocks.reduce((a, b) => a + b.seconds, 0);
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { n, seconds, perSecond: n / seconds, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/** A measurement whose loop was timed as one block (e.g. a single call that walks n items). */
export function block(n: number, seconds: number): Measurement {
  return { n, seconds, perSecond: n / seconds };
}

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - started) / 1000 };
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return Number(raw);
}

/** Things to stop, in reverse order of starting; every step runs even when an earlier one fails. */
export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<unknown> | unknown }[] = [];

  add(label: string, run: () => Promise<unknown> | unknown): void {
    this.steps.push({ label, run });
  }

  async run(): Promise<void> {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`bench cleanup: ${step.label} failed:`, error);
      }
    }
  }
}

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A URL for a fresh, not yet existing database on the bench's PostgreSQL server. */
export function scratchDatabaseUrl(): string {
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/attestflow_bench_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const admin = new Client({ connectionString: BENCH_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${decodeURIComponent(new URL(databaseUrl).pathname.slice(1))}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Fails with the step, status and body when a response is not the expected one. */
export function expectStatus<T>(step: string, response: { status: number; body: T }, status: number): T {
  if (response.status !== status) throw new Error(`${step}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A logger for bundleWorkflowCode that prints errors only. */
export const quietLogger = {
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
  debug: () => undefined,
  trace: () => undefined,
};
