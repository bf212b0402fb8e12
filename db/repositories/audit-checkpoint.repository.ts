import { desc, eq } from 'drizzle-orm';
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
