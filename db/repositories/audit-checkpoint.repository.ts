import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { SignedAuditCheckpoint } from '../../signatures/audit-checkpoint';
import type { Executor } from '../client';
import { auditCheckpoints, auditEvents, type AuditCheckpointRow } from '../schema';

/** The chain's newest event (seq and hash), or undefined for an empty trail. */
export async function auditChainHead(db: Executor): Promise<{ seq: number; hash: string } | undefined> {
  const [last] = await db.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
  return last;
}

/** The hash of event `seq`, or undefined when there is no such event. */
export async function auditEventHashAt(db: Executor, seq: number): Promise<string | undefined> {
  const [row] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.seq, seq)).limit(1);
  return row?.hash;
}

export async function insertAuditCheckpoint(db: Executor, signed: SignedAuditCheckpoint): Promise<void> {
  const { checkpoint, cms } = signed;
  await db
    .insert(auditCheckpoints)
    .values({ seq: checkpoint.seq, hash: checkpoint.hash, checkpointedAt: new Date(checkpoint.checkpointedAt), checkpoint, cms });
}

/** The checkpoints with the highest seq first (the newest first among equals). */
export function listLatestAuditCheckpoints(db: Executor, limit: number): Promise<AuditCheckpointRow[]> {
  return db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.id)).limit(limit);
}

export function toSignedAuditCheckpoint(row: AuditCheckpointRow): SignedAuditCheckpoint {
  return { checkpoint: row.checkpoint as SignedAuditCheckpoint['checkpoint'], cms: row.cms };
}

/** The live hash of each given seq (absent: no such event), in chunks. */
export async function auditEventHashesAt(db: Executor, seqs: number[]): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const unique = [...new Set(seqs)];
  for (let i = 0; i < unique.length; i += 10_000) {
    const chunk = unique.slice(i, i + 10_000);
    const rows = await db.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).where(inArray(auditEvents.seq, chunk));
    for (const r of rows) found.set(r.seq, r.hash);
  }
  return found;
}

/**
 * Checkpoints that the live chain contradicts (no event at their seq, or another hash there), the
 * highest seq first: every one is evidence of deleted or replaced events, if its seal verifies.
 */
export async function listContradictedAuditCheckpoints(db: Executor, limit: number): Promise<AuditCheckpointRow[]> {
  const rows = await db.execute(sql`
    SELECT c.id FROM audit_checkpoints c LEFT JOIN audit_events e ON e.seq = c.seq
    WHERE e.hash IS DISTINCT FROM c.hash ORDER BY c.seq DESC, c.id DESC LIMIT ${limit}`);
  const ids = (rows.rows as { id: string | number }[]).map((r) => Number(r.id));
  if (!ids.length) return [];
  return db.select().from(auditCheckpoints).where(inArray(auditCheckpoints.id, ids)).orderBy(desc(auditCheckpoints.seq), desc(auditCheckpoints.id));
}

/** Which of the given (seq, hash, checkpointedAt) checkpoints the table holds, as `seq:hash:time` keys. */
export async function storedCheckpointKeys(db: Executor, seqs: number[]): Promise<Set<string>> {
  const keys = new Set<string>();
  const unique = [...new Set(seqs)];
  for (let i = 0; i < unique.length; i += 10_000) {
    const rows = await db
      .select({ seq: auditCheckpoints.seq, hash: auditCheckpoints.hash, at: auditCheckpoints.checkpointedAt })
      .from(auditCheckpoints)
      .where(inArray(auditCheckpoints.seq, unique.slice(i, i + 10_000)));
    for (const r of rows) keys.add(`${r.seq}:${r.hash}:${r.at.toISOString()}`);
  }
  return keys;
}
