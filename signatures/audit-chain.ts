import { createHash, hash as oneShotHash } from 'node:crypto';
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

/**
 * One stretch of the chain walked on its own (a seq range read by one thread): every link inside it
 * is checked exactly as findChainBreak checks it, and every event's own hash; the first event's seq
 * and prev-hash are left to stitchChainRanges, which compares them with the stretch before.
 */
export interface ChainRangeResult {
  /** The first event of the range: what stitching compares with the end of the range before. */
  first: { seq: number; prevHash: string } | null;
  /** The last event walked; when there is no break, the range's last event. */
  last: { seq: number; hash: string } | null;
  /** Events walked, including the one where the walk stopped. */
  walked: number;
  /** The first broken link after the first event, or the first event's own hash; null when none. */
  firstBreak: ChainBreak | null;
}

/**
 * Walks the events of one range fed in seq order. `feed` takes the canonical JSON bytes the hash
 * covers (see auditEventCanonicalJson), the stored seq, prev-hash and hash; it returns false once
 * the range is broken, and the walk stops there.
 */
export class ChainRangeWalker {
  private first: ChainRangeResult['first'] = null;
  private lastSeq = 0;
  private lastHash = '';
  private walked = 0;
  private broken: ChainBreak | null = null;

  feed(seq: number, prevHash: string, storedHash: string, canonicalBytes: Uint8Array): boolean {
    if (this.broken) return false;
    this.walked += 1;
    if (this.first === null) {
      this.first = { seq, prevHash };
    } else if (seq !== this.lastSeq + 1) {
      this.broken = { kind: 'missing', expectedSeq: this.lastSeq + 1, foundSeq: seq };
    } else if (prevHash !== this.lastHash) {
      this.broken = { kind: 'prev_hash_mismatch', seq };
    }
    if (!this.broken && oneShotHash('sha256', canonicalBytes, 'hex') !== storedHash) this.broken = { kind: 'hash_mismatch', seq };
    this.lastSeq = seq;
    this.lastHash = storedHash;
    return this.broken === null;
  }

  result(): ChainRangeResult {
    return {
      first: this.first,
      last: this.first ? { seq: this.lastSeq, hash: this.lastHash } : null,
      walked: this.walked,
      firstBreak: this.broken,
    };
  }
}

/** A range of seqs: after < seq <= upTo; null: unbounded on that side. */
export interface ChainRange {
  after: number | null;
  upTo: number | null;
}

/**
 * Splits the chain between its first and last seq into `count` ranges of (nearly) equal seq spans.
 * The first range is unbounded below and the last unbounded above, so that every event the table
 * holds falls into exactly one range (also an out-of-order seq, and events appended meanwhile).
 */
export function planChainRanges(firstSeq: number, lastSeq: number, count: number): ChainRange[] {
  const span = lastSeq - firstSeq + 1;
  const n = Math.max(1, Math.min(count, span));
  const ranges: ChainRange[] = [];
  let after: number | null = null;
  for (let i = 1; i <= n; i++) {
    const upTo = i === n ? null : firstSeq - 1 + Math.round((span * i) / n);
    ranges.push({ after, upTo });
    after = upTo;
  }
  return ranges;
}

export interface StitchedChain {
  firstBreak: ChainBreak | null;
  /** Events walked in seq order up to and including the one where the walk stopped (all, when intact). */
  eventsChecked: number;
  /** The seq where the walk stopped, or the last seq when intact (0 for an empty trail). */
  lastSeq: number;
}

/**
 * Joins range results (in range order) into the verdict one walk over the whole chain gives: each
 * range's first event must be the next seq and carry the hash of the previous range's last event;
 * the first break in seq order wins. Given only the first k ranges, a break it names is already
 * the final answer (nothing later can come before it).
 */
export function stitchChainRanges(ranges: readonly ChainRangeResult[]): StitchedChain {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let eventsChecked = 0;
  let lastSeq = 0;
  for (const range of ranges) {
    if (!range.first || !range.last) continue;
    const { seq } = range.first;
    if (seq !== expectedSeq) return { firstBreak: { kind: 'missing', expectedSeq, foundSeq: seq }, eventsChecked: eventsChecked + 1, lastSeq: seq };
    if (range.first.prevHash !== prevHash) return { firstBreak: { kind: 'prev_hash_mismatch', seq }, eventsChecked: eventsChecked + 1, lastSeq: seq };
    eventsChecked += range.walked;
    lastSeq = range.last.seq;
    if (range.firstBreak) return { firstBreak: range.firstBreak, eventsChecked, lastSeq };
    expectedSeq = range.last.seq + 1;
    prevHash = range.last.hash;
  }
  return { firstBreak: null, eventsChecked, lastSeq };
}
