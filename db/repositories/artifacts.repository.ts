import { and, asc, desc, eq, gte, ilike, inArray, lte, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { artifacts, dossiers, recordLinks, records, users, type ArtifactRow, type DossierRow, type RecordRow } from '../schema';
import { containing, type ListPage } from './list-page';

export async function insertArtifact(tx: Executor, row: typeof artifacts.$inferInsert): Promise<void> {
  await tx.insert(artifacts).values(row);
}

/** The newest artifact of a kind for a record (a regeneration never replaces an older one). */
export async function latestRecordArtifact(db: Executor, recordId: string): Promise<ArtifactRow | undefined> {
  const [row] = await db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.recordId, recordId), eq(artifacts.kind, 'record_pdf')))
    .orderBy(desc(artifacts.createdAt))
    .limit(1);
  return row;
}

export async function findArtifact(db: Executor, id: string): Promise<ArtifactRow | undefined> {
  const [row] = await db.select().from(artifacts).where(eq(artifacts.id, id));
  return row;
}

export async function insertDossier(tx: Executor, row: typeof dossiers.$inferInsert): Promise<void> {
  await tx.insert(dossiers).values(row);
}

export async function findDossier(db: Executor, id: string): Promise<DossierRow | undefined> {
  const [row] = await db.select().from(dossiers).where(eq(dossiers.id, id));
  return row;
}

export interface DossierListEntry {
  dossier: DossierRow;
  requestedByName: string;
  /** SHA-256 of the sealed PDF, once done. */
  sha256: string | null;
}

/**
 * Dossiers newest first (then by id), all of them or those one person requested; `page.text` is
 * looked for in the title.
 */
export function listDossiers(db: Executor, filter: { requestedBy?: string }, page: ListPage = {}): Promise<DossierListEntry[]> {
  const query = db
    .select({ dossier: dossiers, requestedByName: users.printedName, sha256: artifacts.sha256 })
    .from(dossiers)
    .innerJoin(users, eq(users.id, dossiers.requestedBy))
    .leftJoin(artifacts, eq(artifacts.id, dossiers.artifactId))
    .where(
      and(
        filter.requestedBy === undefined ? undefined : eq(dossiers.requestedBy, filter.requestedBy),
        page.text === undefined ? undefined : ilike(dossiers.title, containing(page.text)),
      ),
    )
    .orderBy(desc(dossiers.requestedAt), desc(dossiers.id))
    .$dynamic();
  if (page.limit !== undefined) query.limit(page.limit);
  if (page.offset) query.offset(page.offset);
  return query;
}

export async function updateDossier(db: Executor, id: string, set: Partial<typeof dossiers.$inferInsert>): Promise<void> {
  await db
    .update(dossiers)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(dossiers.id, id));
}

/**
 * Marks the dossier as rendering from the start, unless it is done: another PDF generator may have
 * finished it meanwhile (a job handed on after its lock expired). False when it is done.
 */
export async function startDossierRendering(db: Executor, id: string, total: number): Promise<boolean> {
  const updated = await db
    .update(dossiers)
    .set({ status: 'rendering', progressDone: 0, progressTotal: total, failureReason: null, updatedAt: new Date() })
    .where(and(eq(dossiers.id, id), ne(dossiers.status, 'done')))
    .returning({ id: dossiers.id });
  return updated.length > 0;
}

/** Progress of a render, written only while the dossier is rendering (never over a finished one). */
export async function recordDossierProgress(db: Executor, id: string, done: number, total: number): Promise<void> {
  await db
    .update(dossiers)
    .set({ progressDone: done, progressTotal: total, updatedAt: new Date() })
    .where(and(eq(dossiers.id, id), eq(dossiers.status, 'rendering')));
}

/** The dossier, its row locked until the transaction ends: one generator at a time stores its PDF. */
export async function lockDossier(tx: Executor, id: string): Promise<DossierRow | undefined> {
  const [row] = await tx.select().from(dossiers).where(eq(dossiers.id, id)).for('update');
  return row;
}

/** Dossiers whose rendering has not finished: re-queued on start (a job lost with Redis is not lost). */
export function unfinishedDossiers(db: Executor): Promise<DossierRow[]> {
  return db
    .select()
    .from(dossiers)
    .where(inArray(dossiers.status, ['queued', 'rendering']))
    .orderBy(asc(dossiers.requestedAt));
}

export async function insertRecordLink(tx: Executor, row: typeof recordLinks.$inferInsert): Promise<void> {
  await tx.insert(recordLinks).values(row);
}

export async function linksOf(db: Executor, recordId: string) {
  return db
    .select({ relation: recordLinks.relation, fromRecordId: recordLinks.fromRecordId, toRecordId: recordLinks.toRecordId })
    .from(recordLinks)
    .where(or(eq(recordLinks.fromRecordId, recordId), eq(recordLinks.toRecordId, recordId)));
}

/** The record and everything linked to it, transitively. */
export async function linkedClosure(db: Executor, recordId: string, limit: number): Promise<string[]> {
  const seen = new Set([recordId]);
  let frontier = [recordId];
  while (frontier.length && seen.size <= limit) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const link of await linksOf(db, id)) {
        for (const other of [link.fromRecordId, link.toRecordId]) {
          if (!seen.has(other)) {
            seen.add(other);
            next.push(other);
          }
        }
      }
    }
    frontier = next;
  }
  return [...seen];
}

export function findRecordsByNumbers(db: Executor, numbers: string[]): Promise<RecordRow[]> {
  if (!numbers.length) return Promise.resolve([]);
  return db.select().from(records).where(inArray(records.number, numbers));
}

export function findRecordsByIds(db: Executor, ids: string[]): Promise<RecordRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db.select().from(records).where(inArray(records.id, ids)).orderBy(asc(records.number));
}

export function findRecordsByTypeAndDate(db: Executor, type: string, from: Date, to: Date, limit: number): Promise<RecordRow[]> {
  return db
    .select()
    .from(records)
    .where(and(eq(records.type, type), gte(records.createdAt, from), lte(records.createdAt, to)))
    .orderBy(asc(records.number))
    .limit(limit);
}

export async function countRecordsByTypeAndDate(db: Executor, type: string, from: Date, to: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(records)
    .where(and(eq(records.type, type), gte(records.createdAt, from), lte(records.createdAt, to)));
  return row?.n ?? 0;
}
