import { asc, eq, gt, sql } from 'drizzle-orm';
import {
  auditEventCanonicalParts,
  auditEventHash,
  findChainBreak,
  type AuditEventContent,
  type ChainBreak,
  type JsonValue,
  type UnchainedAuditEventContent,
} from '../../signatures';
import type { Executor } from '../client';
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
  const json = (value: JsonValue | null) => (value === null ? null : JSON.stringify(value));
  const result = await tx.execute<AppendedAuditEvent>(
    sql`SELECT event_seq, event_prev_hash, event_hash FROM attestflow_append_audit_event(
      ${content.occurredAt}::timestamptz, ${content.actorId}::uuid, ${content.actorName}, ${content.action}, ${content.entityType}, ${content.entityId},
      ${content.recordId}::uuid, ${json(content.oldValue)}::jsonb, ${json(content.newValue)}::jsonb, ${content.reason}, ${content.clientIp}, ${content.userAgent},
      ${parts.beforePrevHash}, ${parts.beforeSeq}, ${parts.afterSeq})`,
  );
  const appended = result.rows[0]!;
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

/** An audit row as PostgreSQL sends it when read without the ORM's mapping (see readChainBatch). */
interface RawAuditRow extends Record<string, unknown> {
  seq: string;
  occurred_at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  record_id: string | null;
  old_value: JsonValue | null;
  new_value: JsonValue | null;
  reason: string | null;
  client_ip: string | null;
  user_agent: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * One batch of the chain in seq order, as hash-ready content. Read with a plain statement rather
 * than the ORM's select: its per-column mapping took about a third of verification's time. The
 * conversions are the ORM's own: int8 → number, timestamptz text → Date → ISO 8601 (the column
 * holds milliseconds), jsonb parsed by the driver.
 */
async function readChainBatch(db: Executor, afterSeq: number, limit: number): Promise<(AuditEventContent & { hash: string })[]> {
  const result = await db.execute<RawAuditRow>(
    sql`SELECT seq, occurred_at, actor_id, actor_name, action, entity_type, entity_id, record_id, old_value, new_value, reason, client_ip, user_agent, prev_hash, hash
        FROM audit_events WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`,
  );
  return result.rows.map((row) => ({
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    recordId: row.record_id,
    oldValue: row.old_value ?? null,
    newValue: row.new_value ?? null,
    reason: row.reason,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}

/**
 * Walks the whole chain in seq order, in batches, and names the first broken or missing link. The
 * next batch is read while this one is re-hashed, so PostgreSQL's reading and Node's hashing overlap.
 */
export async function verifyAuditChain(db: Executor, batchSize = 10_000): Promise<AuditChainReport> {
  let start: { seq: number; hash: string } | undefined;
  let eventsChecked = 0;
  let batch = await readChainBatch(db, 0, batchSize);
  while (batch.length) {
    const last = batch.at(-1)!;
    // Read ahead from the last row of this batch; this batch's own rows are checked meanwhile.
    const next = batch.length === batchSize ? readChainBatch(db, last.seq, batchSize) : Promise.resolve([]);
    next.catch(() => undefined); // awaited below unless this batch breaks the chain
    const firstBreak = findChainBreak(batch, start);
    if (firstBreak) return { eventsChecked: eventsChecked + batch.length, lastSeq: last.seq, intact: false, firstBreak };
    eventsChecked += batch.length;
    start = { seq: last.seq, hash: last.hash };
    batch = await next;
  }
  return { eventsChecked, lastSeq: start?.seq ?? 0, intact: true, firstBreak: null };
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
