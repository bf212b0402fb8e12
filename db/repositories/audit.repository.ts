import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import { auditEventHash, GENESIS_HASH, type AuditEventContent, type JsonValue } from '../../signatures';
import type { Executor } from '../client';
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
