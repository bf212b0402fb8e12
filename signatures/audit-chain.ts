import { createHash } from 'node:crypto';
import { canonicalJson, canonicalJsonOfOrderedKeys, type JsonValue } from './canonical-json';

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

/** The content of an event before it is appended: all but its place in the chain. */
export type UnchainedAuditEventContent = Omit<AuditEventContent, 'seq' | 'prevHash'>;

/**
 * The canonical JSON of an event cut around the two values only the chain's head decides, so that
 * whoever holds the head can complete it without canonicalising anything:
 * `beforePrevHash + prevHash + beforeSeq + String(seq) + afterSeq === auditEventCanonicalJson(event)`.
 * This holds because both values have one fixed rendering in canonical JSON: prevHash is 64
 * lowercase hex digits, which a JSON string carries unescaped; seq is a whole number from 1 to
 * 2^53 - 1, which ECMAScript (and RFC 8785 after it) writes as plain decimal digits, as PostgreSQL's
 * `bigint::text` does. The database's append function completes it (db/migrations/0019_*.sql).
 */
export interface AuditEventCanonicalParts {
  beforePrevHash: string;
  beforeSeq: string;
  afterSeq: string;
}

/** Where an event's canonical JSON is cut; see AuditEventCanonicalParts. */
export function auditEventCanonicalParts(event: UnchainedAuditEventContent): AuditEventCanonicalParts {
  // The members in canonical key order, as auditEventCanonicalJson lists them: every key before
  // "prevHash" goes into one object whose closing brace is cut off, the rest are written one by one.
  const leading = canonicalJsonOfOrderedKeys({
    action: event.action,
    actorId: event.actorId,
    actorName: event.actorName,
    clientIp: event.clientIp,
    entityId: event.entityId,
    entityType: event.entityType,
    newValue: event.newValue,
    occurredAt: event.occurredAt,
    oldValue: event.oldValue,
  } satisfies Record<Exclude<keyof AuditEventContent, 'prevHash' | 'reason' | 'recordId' | 'seq' | 'userAgent'>, unknown>);
  return {
    beforePrevHash: `${leading.slice(0, -1)},"prevHash":"`,
    beforeSeq: `","reason":${canonicalJson(event.reason)},"recordId":${canonicalJson(event.recordId)},"seq":`,
    afterSeq: `,"userAgent":${canonicalJson(event.userAgent)}}`,
  };
}

/** What the database does with the parts (the same concatenation, in SQL); for the specs. */
export function completeAuditEventCanonicalJson(parts: AuditEventCanonicalParts, prevHash: string, seq: number): string {
  if (!/^[0-9a-f]{64}$/.test(prevHash)) throw new RangeError('prevHash must be 64 lowercase hex digits');
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError('seq must be a whole number from 1 to 2^53 - 1');
  return `${parts.beforePrevHash}${prevHash}${parts.beforeSeq}${seq}${parts.afterSeq}`;
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
