import os from 'node:os';
import path from 'node:path';
import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import { Piscina } from 'piscina';
import {
  auditEventHash,
  GENESIS_HASH,
  planChainRanges,
  stitchChainRanges,
  type AuditEventContent,
  type ChainBreak,
  type ChainRange,
  type ChainRangeResult,
  type JsonValue,
} from '../../signatures';
import type { Pool } from 'pg';
import type { Executor } from '../client';
import type { AuditChainRangeTask } from './audit-chain-range.task';
import { walkAuditChainRange } from './audit-chain-reader';
import { auditEvents, type AuditEventRow } from '../schema';

/** One lock key serialises appends so the chain never forks. */
const AUDIT_CHAIN_LOCK = 0x4155_4449; // "AUDI"

export interface AuditEventInput {
  occurredAt: Date;
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  recordId?: string | null;
  oldValue?: JsonValue | null;
  newValue?: JsonValue | null;
  reason?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
}

export function auditEventContent(row: AuditEventRow): AuditEventContent {
  return {
    seq: row.seq,
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    recordId: row.recordId,
    oldValue: (row.oldValue ?? null) as JsonValue | null,
    newValue: (row.newValue ?? null) as JsonValue | null,
    reason: row.reason,
    clientIp: row.clientIp,
    userAgent: row.userAgent,
    prevHash: row.prevHash,
  };
}

/**
 * Appends one event to the hash chain. Must run inside a transaction: the advisory lock is held
 * until it commits, so the next append sees this event as the last link.
 */
export async function appendAuditEvent(tx: Executor, input: AuditEventInput): Promise<AuditEventRow> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  const content: AuditEventContent = {
    seq: (last?.seq ?? 0) + 1,
    occurredAt: input.occurredAt.toISOString(),
    actorId: input.actorId,
    actorName: input.actorName,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    recordId: input.recordId ?? null,
    oldValue: input.oldValue ?? null,
    newValue: input.newValue ?? null,
    reason: input.reason ?? null,
    clientIp: input.clientIp ?? null,
    userAgent: input.userAgent ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = auditEventHash(content);
  const [row] = await tx
    .insert(auditEvents)
    .values({ ...content, occurredAt: input.occurredAt, hash })
    .returning();
  return row!;
}

export function listAuditEventsForRecord(db: Executor, recordId: string): Promise<AuditEventRow[]> {
  return db.select().from(auditEvents).where(eq(auditEvents.recordId, recordId)).orderBy(asc(auditEvents.seq));
}

export function listAuditEventsAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
  return db.select().from(auditEvents).where(gt(auditEvents.seq, afterSeq)).orderBy(asc(auditEvents.seq)).limit(limit);
}

export interface AuditChainReport {
  eventsChecked: number;
  lastSeq: number;
  intact: boolean;
  firstBreak: ChainBreak | null;
}

/** From this many events on, the chain is walked in worker threads (one seq range each) by default. */
const PARALLEL_FROM = 100_000;

export interface VerifyAuditChainOptions {
  /**
   * Worker threads, each walking one seq range over a connection of its own; the ranges are then
   * stitched (stitchChainRanges). 1: one walk in this thread. Default: one per core once the trail
   * has PARALLEL_FROM events, else 1.
   */
  threads?: number;
}

/**
 * Walks the whole chain in seq order and names the first broken or missing link: every event's hash
 * over its canonical JSON, every link, no seq skipped. Rows come through binary COPY and are
 * re-canonicalised from their bytes (audit-chain-reader.ts). A long trail is split into seq ranges
 * walked side by side in worker threads; the verdict is the one a single walk gives.
 */
export async function verifyAuditChain(pool: Pool, options: VerifyAuditChainOptions = {}): Promise<AuditChainReport> {
  const { rows } = await pool.query<{ first: string | null; last: string | null }>('SELECT min(seq) AS first, max(seq) AS last FROM audit_events');
  if (rows[0]?.first == null || rows[0].last == null) return { eventsChecked: 0, lastSeq: 0, intact: true, firstBreak: null };
  const first = Number(rows[0].first);
  const last = Number(rows[0].last);
  const { connectionString } = pool.options;
  const threads = options.threads ?? (last - first + 1 >= PARALLEL_FROM ? os.availableParallelism() : 1);
  let results: ChainRangeResult[];
  if (threads <= 1 || !connectionString) {
    const client = await pool.connect();
    try {
      results = [await walkAuditChainRange(client, { after: null, upTo: null })];
    } finally {
      client.release();
    }
  } else {
    results = await walkRangesInThreads(connectionString, planChainRanges(first, last, threads), threads);
  }
  const { firstBreak, eventsChecked, lastSeq } = stitchChainRanges(results);
  return { eventsChecked, lastSeq, intact: firstBreak === null, firstBreak };
}

/**
 * Each range in a worker thread (piscina). A range with a break makes every later range moot, and
 * a break the finished first ranges already prove ends the walk: those threads are stopped. Returns
 * the results of the ranges from the first one on, up to the first that was not needed.
 */
async function walkRangesInThreads(connectionString: string, ranges: ChainRange[], threads: number): Promise<ChainRangeResult[]> {
  const pool = new Piscina({
    filename: path.join(__dirname, '..', '..', 'bin', 'ts-thread.js'),
    workerData: { taskModule: require.resolve('./audit-chain-range.task') },
    minThreads: Math.min(threads, ranges.length),
    maxThreads: Math.min(threads, ranges.length),
  });
  const results: (ChainRangeResult | undefined)[] = ranges.map(() => undefined);
  const stops = ranges.map(() => new AbortController());
  const completePrefix = () => {
    const prefix: ChainRangeResult[] = [];
    for (const result of results) {
      if (!result) break;
      prefix.push(result);
    }
    return prefix;
  };
  try {
    await Promise.all(
      ranges.map(async (range, index) => {
        const task: AuditChainRangeTask = { connectionString, range };
        try {
          const result = (await pool.run(task, { signal: stops[index]!.signal })) as ChainRangeResult;
          results[index] = result;
        } catch (error) {
          if (stops[index]!.signal.aborted) return;
          throw error;
        }
        // Ranges after a broken one cannot hold the first break; a break the finished first ranges
        // already prove is the answer: the threads still walking those ranges are stopped.
        const moot = results[index]!.firstBreak ? index + 1 : stitchChainRanges(completePrefix()).firstBreak ? 0 : ranges.length;
        stops.forEach((stop, i) => {
          if (i >= moot && !results[i]) stop.abort();
        });
      }),
    );
  } finally {
    await pool.close({ force: true });
  }
  return completePrefix();
}

export function describeChainBreak(b: ChainBreak): string {
  switch (b.kind) {
    case 'missing':
      return `event ${b.expectedSeq} is missing (the next event found is ${b.foundSeq})`;
    case 'prev_hash_mismatch':
      return `event ${b.seq} does not carry the hash of event ${b.seq - 1} (event ${b.seq - 1} was altered, or ${b.seq} re-linked)`;
    case 'hash_mismatch':
      return `event ${b.seq} was altered: its content no longer matches its hash`;
  }
}
