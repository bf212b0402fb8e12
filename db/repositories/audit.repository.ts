import os from 'node:os';
import path from 'node:path';
import { asc, eq, gt } from 'drizzle-orm';
import { Piscina } from 'piscina';
import {
  auditEventCanonicalParts,
  auditEventHash,
  planChainRanges,
  stitchChainRanges,
  type AuditEventContent,
  type ChainBreak,
  type ChainRange,
  type ChainRangeResult,
  type JsonValue,
  type UnchainedAuditEventContent,
} from '../../signatures';
import type { Pool } from 'pg';
import type { Executor } from '../client';
import { queryNamed, type NamedStatement } from '../named-statement';
import type { AuditChainRangeTask } from './audit-chain-range.task';
import { walkAuditChainRange } from './audit-chain-reader';
import { auditEvents, type AuditEventRow } from '../schema';

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

/** What the database's append function answers: the event's place in the chain. */
interface AppendedAuditEvent extends Record<string, unknown> {
  event_seq: string;
  event_prev_hash: string;
  event_hash: string;
}

/**
 * An event's own columns as statement parameters, in the table's order from `occurred_at` to
 * `user_agent` (its JSON values as text): what the append function takes before the canonical parts,
 * and what a bulk fill writes between `seq` and `prev_hash`.
 */
export function auditEventColumnValues(content: UnchainedAuditEventContent): unknown[] {
  const json = (value: JsonValue | null) => (value === null ? null : JSON.stringify(value));
  return [
    content.occurredAt,
    content.actorId,
    content.actorName,
    content.action,
    content.entityType,
    content.entityId,
    content.recordId,
    json(content.oldValue),
    json(content.newValue),
    content.reason,
    content.clientIp,
    content.userAgent,
  ];
}

/**
 * The append as a named statement (parsed and planned once per connection, not on every append; see
 * queryNamed). Its parameters are the event's columns in the table's order, then its canonical JSON
 * cut around the previous hash and the seq.
 */
const APPEND_AUDIT_EVENT: NamedStatement = {
  name: 'attestflow_append_audit_event',
  text: `SELECT event_seq, event_prev_hash, event_hash FROM attestflow_append_audit_event(
    $1::timestamptz, $2::uuid, $3, $4, $5, $6, $7::uuid, $8::jsonb, $9::jsonb, $10, $11, $12, $13, $14, $15)`,
};

/**
 * Appends one event to the hash chain, in one round trip: the database function
 * `attestflow_append_audit_event` (migration 0019) takes the chain's advisory lock, reads the head,
 * completes the event's canonical JSON with the head's seq and hash, hashes it and inserts. The lock
 * is held until the caller's transaction ends, so the next append sees this event as the last link,
 * and a rolled-back append leaves no hole. Run it inside the transaction whose change it records.
 *
 * The event is canonicalised here, never in SQL; the returned place is checked by hashing the event
 * again as the verifier does, and a difference fails the append (and with it the transaction).
 */
export async function appendAuditEvent(tx: Executor, input: AuditEventInput): Promise<AuditEventRow> {
  const content: UnchainedAuditEventContent = {
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
  };
  const parts = auditEventCanonicalParts(content);
  const [appended] = await queryNamed<AppendedAuditEvent>(tx, APPEND_AUDIT_EVENT, [
    ...auditEventColumnValues(content),
    parts.beforePrevHash,
    parts.beforeSeq,
    parts.afterSeq,
  ]);
  if (!appended) throw new Error('the audit append function answered no row; nothing is appended');
  const event: AuditEventContent = { ...content, seq: Number(appended.event_seq), prevHash: appended.event_prev_hash };
  if (auditEventHash(event) !== appended.event_hash) {
    throw new Error(`audit event ${event.seq}: the hash the database computed is not the canonical hash of the event; nothing is appended`);
  }
  return { ...event, occurredAt: input.occurredAt, hash: appended.event_hash };
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
