import { createHash } from 'node:crypto';
import { canonicalJsonOfOrderedKeys, type JsonValue } from './canonical-json';

/** The hash of the (non-existent) event before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that its hash covers, in the form they are stored. */
export interface AuditEventContent {
  seq: number;
  occurredAt: string; // ISO 8601, UTC, millisecond precision
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  recordId: string | null;
  oldValue: JsonValue | null;
  newValue: JsonValue | null;
  reason: string | null;
  clientIp: string | null;
  userAgent: string | null;
  prevHash: string;
}

/**
 * hash(n) = SHA-256 of the canonical JSON of event n, which includes hash(n - 1). Only the fields of
 * AuditEventContent count, whatever else the object carries (a stored row's own hash, say); they
 * are listed here in canonical key order, so canonicalisation has only the values left to sort.
 */
export function auditEventHash(event: AuditEventContent): string {
  return createHash('sha256').update(auditEventCanonicalJson(event), 'utf8').digest('hex');
}

/** The canonical JSON the hash of an event is taken over. */
export function auditEventCanonicalJson(event: AuditEventContent): string {
  return canonicalJsonOfOrderedKeys({
    action: event.action,
    actorId: event.actorId,
    actorName: event.actorName,
    clientIp: event.clientIp,
    entityId: event.entityId,
    entityType: event.entityType,
    newValue: event.newValue,
    occurredAt: event.occurredAt,
    oldValue: event.oldValue,
    prevHash: event.prevHash,
    reason: event.reason,
    recordId: event.recordId,
    seq: event.seq,
    userAgent: event.userAgent,
  } satisfies Record<keyof AuditEventContent, unknown>);
}

export type ChainBreak =
  { kind: 'missing'; expectedSeq: number; foundSeq: number } | { kind: 'prev_hash_mismatch'; seq: number } | { kind: 'hash_mismatch'; seq: number };

/** Walks events in seq order and names the first broken or missing link, or returns null. */
export function findChainBreak(events: Iterable<AuditEventContent & { hash: string }>, start?: { seq: number; hash: string }): ChainBreak | null {
  let expectedSeq = start ? start.seq + 1 : 1;
  let prevHash = start ? start.hash : GENESIS_HASH;
  for (const event of events) {
    if (event.seq !== expectedSeq) return { kind: 'missing', expectedSeq, foundSeq: event.seq };
    if (event.prevHash !== prevHash) return { kind: 'prev_hash_mismatch', seq: event.seq };
    if (auditEventHash(event) !== event.hash) return { kind: 'hash_mismatch', seq: event.seq };
    prevHash = event.hash;
    expectedSeq += 1;
  }
  return null;
}
