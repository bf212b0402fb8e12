import { and, asc, desc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { recordCounters, records, recordTransitions, recordVersions, type RecordRow, type RecordTransitionRow, type RecordVersionRow } from '../schema';

/** Assigns the next gap-free number for a type and year, e.g. CC-2026-0001. Call inside the creating transaction. */
export async function nextRecordNumber(tx: Executor, prefix: string, year: number): Promise<string> {
  const [counter] = await tx
    .insert(recordCounters)
    .values({ type: prefix, year, last: 1 })
    .onConflictDoUpdate({ target: [recordCounters.type, recordCounters.year], set: { last: sql`${recordCounters.last} + 1` } })
    .returning({ last: recordCounters.last });
  return `${prefix}-${year}-${String(counter!.last).padStart(4, '0')}`;
}

export async function insertRecord(tx: Executor, record: typeof records.$inferInsert): Promise<void> {
  await tx.insert(records).values(record);
}

export async function findRecord(db: Executor, id: string): Promise<RecordRow | undefined> {
  const [record] = await db.select().from(records).where(eq(records.id, id));
  return record;
}

export async function insertRecordVersion(tx: Executor, version: typeof recordVersions.$inferInsert): Promise<void> {
  await tx.insert(recordVersions).values(version);
}

export async function findLatestVersion(db: Executor, recordId: string): Promise<RecordVersionRow | undefined> {
  const [version] = await db.select().from(recordVersions).where(eq(recordVersions.recordId, recordId)).orderBy(desc(recordVersions.version)).limit(1);
  return version;
}

export async function findVersion(db: Executor, recordId: string, version: number): Promise<RecordVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(recordVersions)
    .where(and(eq(recordVersions.recordId, recordId), eq(recordVersions.version, version)));
  return row;
}

/** A version without its content: who made it, when, why, and its hash. */
export type RecordVersionSummary = Omit<RecordVersionRow, 'content'>;

/** The versions after `after` up to `upTo` (both version numbers), oldest first, without their content. */
export function listVersionSummaries(db: Executor, recordId: string, after: number, upTo: number): Promise<RecordVersionSummary[]> {
  return db
    .select({
      recordId: recordVersions.recordId,
      version: recordVersions.version,
      contentHash: recordVersions.contentHash,
      createdBy: recordVersions.createdBy,
      createdAt: recordVersions.createdAt,
      reason: recordVersions.reason,
    })
    .from(recordVersions)
    .where(and(eq(recordVersions.recordId, recordId), gt(recordVersions.version, after), lte(recordVersions.version, upTo)))
    .orderBy(asc(recordVersions.version));
}

export function listTransitions(db: Executor, recordId: string): Promise<RecordTransitionRow[]> {
  return db.select().from(recordTransitions).where(eq(recordTransitions.recordId, recordId)).orderBy(asc(recordTransitions.seq));
}

export async function findTransition(db: Executor, id: string): Promise<RecordTransitionRow | undefined> {
  const [row] = await db.select().from(recordTransitions).where(eq(recordTransitions.id, id));
  return row;
}

export async function latestTransition(db: Executor, recordId: string): Promise<RecordTransitionRow | undefined> {
  const [row] = await db.select().from(recordTransitions).where(eq(recordTransitions.recordId, recordId)).orderBy(desc(recordTransitions.seq)).limit(1);
  return row;
}

/** Appends a state change; `seq` continues the record's history (unique, so a race fails loudly). */
export async function appendTransition(tx: Executor, transition: Omit<typeof recordTransitions.$inferInsert, 'seq'>): Promise<RecordTransitionRow> {
  const last = await latestTransition(tx, transition.recordId);
  const [row] = await tx
    .insert(recordTransitions)
    .values({ ...transition, seq: (last?.seq ?? 0) + 1 })
    .returning();
  return row!;
}
