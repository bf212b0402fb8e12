import { and, asc, desc, eq, ilike, inArray, max, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import {
  DOCUMENT_FILE_CHUNK_SIZE,
  documentFileChunks,
  documentFiles,
  documentRevisions,
  documents,
  documentStatusEvents,
  records,
  recordTransitions,
  recordVersions,
  tasks,
  users,
  type DocumentFileRef,
  type DocumentFileRow,
  type DocumentRevisionContent,
  type DocumentRevisionRow,
  type DocumentRow,
  type DocumentStatus,
  type DocumentStatusEventRow,
} from '../schema';
import { containing, type ListPage } from './list-page';

/** A stored file without its bytes. */
export type DocumentFileMeta = Omit<DocumentFileRow, 'bytes'>;

export interface DocumentListEntry extends DocumentRow {
  ownerUsername: string;
  ownerName: string;
  /** The revision number of the effective revision, if one is effective. */
  effectiveRevision: number | null;
  /** The effective revision's record, if one is effective. */
  effectiveRecordId: string | null;
}

/** A revision with its record number, its status (null while in its process) and its latest content. */
export interface DocumentRevisionEntry {
  recordId: string;
  recordNumber: string;
  documentId: string;
  revision: number;
  createdAt: Date;
  status: DocumentStatus | null;
  statusAt: Date | null;
  /** The record's latest version number and content (null only if the record has no version yet). */
  version: number | null;
  content: DocumentRevisionContent | null;
}

export async function insertDocument(tx: Executor, row: typeof documents.$inferInsert): Promise<void> {
  await tx.insert(documents).values(row);
}

export async function findDocumentByNumber(db: Executor, number: string): Promise<DocumentRow | undefined> {
  const [row] = await db.select().from(documents).where(eq(documents.number, number));
  return row;
}

export async function findDocumentById(db: Executor, id: string): Promise<DocumentRow | undefined> {
  const [row] = await db.select().from(documents).where(eq(documents.id, id));
  return row;
}

/**
 * Locks the document row until the transaction ends, so that revision numbers and status events
 * of one document are written one transaction at a time. Call inside a transaction.
 */
export async function lockDocument(tx: Executor, id: string): Promise<DocumentRow | undefined> {
  const [row] = await tx.select().from(documents).where(eq(documents.id, id)).for('update');
  return row;
}

/**
 * Ties the rank of status events written in the same millisecond: a revision only moves forward
 * (effective → superseded → obsolete).
 */
const statusRank = sql`CASE ${documentStatusEvents.status} WHEN 'effective' THEN 1 WHEN 'superseded' THEN 2 ELSE 3 END`;

/** Each revision's latest status event (optionally of one document only), as a subquery. */
function latestStatuses(db: Executor, documentId?: string) {
  const e = documentStatusEvents;
  return db
    .selectDistinctOn([e.recordId], { recordId: e.recordId, documentId: e.documentId, status: e.status, occurredAt: e.occurredAt })
    .from(e)
    .where(documentId === undefined ? undefined : eq(e.documentId, documentId))
    .orderBy(e.recordId, desc(e.occurredAt), desc(statusRank))
    .as('latest_status');
}

/** The register, by number, with each document's owner and effective revision. */
export async function listDocuments(db: Executor, page: ListPage = {}): Promise<DocumentListEntry[]> {
  const latest = latestStatuses(db);
  const effective = db
    .select({ documentId: documentRevisions.documentId, revision: documentRevisions.revision, recordId: documentRevisions.recordId })
    .from(documentRevisions)
    .innerJoin(latest, eq(latest.recordId, documentRevisions.recordId))
    .where(eq(latest.status, 'effective'))
    .as('effective');
  const rows = await db
    .select({
      document: documents,
      ownerUsername: users.username,
      ownerName: users.printedName,
      effectiveRevision: effective.revision,
      effectiveRecordId: effective.recordId,
    })
    .from(documents)
    .innerJoin(users, eq(users.id, documents.ownerId))
    .leftJoin(effective, eq(effective.documentId, documents.id))
    .where(page.text === undefined ? undefined : or(ilike(documents.number, containing(page.text)), ilike(documents.title, containing(page.text))))
    .orderBy(asc(documents.number), desc(effective.revision));
  // At most one revision is effective; should two ever be, the list still names each document once
  // (with the higher revision); effectiveRevision() is the strict reader.
  const byId = new Map<string, DocumentListEntry>();
  for (const r of rows) {
    if (!byId.has(r.document.id)) {
      byId.set(r.document.id, {
        ...r.document,
        ownerUsername: r.ownerUsername,
        ownerName: r.ownerName,
        effectiveRevision: r.effectiveRevision ?? null,
        effectiveRecordId: r.effectiveRecordId ?? null,
      });
    }
  }
  // Paged after that: a register is hundreds of documents, not millions.
  const offset = page.offset ?? 0;
  return [...byId.values()].slice(offset, page.limit === undefined ? undefined : offset + page.limit);
}

const fileMetaColumns = {
  sha256: documentFiles.sha256,
  size: documentFiles.size,
  fileName: documentFiles.fileName,
  mediaType: documentFiles.mediaType,
  uploadedBy: documentFiles.uploadedBy,
  uploadedAt: documentFiles.uploadedAt,
};

/**
 * Stores a file unless the same bytes are already stored (content-addressed: then nothing is
 * written and the existing file, with its original name and uploader, is returned).
 */
export async function insertDocumentFile(tx: Executor, row: typeof documentFiles.$inferInsert): Promise<{ file: DocumentFileMeta; created: boolean }> {
  const [inserted] = await tx.insert(documentFiles).values(row).onConflictDoNothing({ target: documentFiles.sha256 }).returning(fileMetaColumns);
  if (inserted) return { file: inserted, created: true };
  return { file: (await documentFileMeta(tx, row.sha256))!, created: false };
}

export async function findDocumentFile(db: Executor, sha256: string): Promise<DocumentFileRow | undefined> {
  const [row] = await db.select().from(documentFiles).where(eq(documentFiles.sha256, sha256));
  return row;
}

/**
 * Stores a new file's bytes as chunks read from `source` (at most DOCUMENT_FILE_CHUNK_SIZE each),
 * one at a time: the file is never held whole in memory. In the transaction that inserted its row.
 */
export async function insertDocumentFileChunks(tx: Executor, sha256: string, source: AsyncIterable<Buffer>): Promise<void> {
  let chunk = 0;
  for await (const bytes of source) {
    for (let at = 0; at < bytes.length; at += DOCUMENT_FILE_CHUNK_SIZE) {
      await tx.insert(documentFileChunks).values({ sha256, chunk: chunk++, bytes: bytes.subarray(at, at + DOCUMENT_FILE_CHUNK_SIZE) });
    }
  }
}

/** A stored file's bytes, chunk by chunk (or inline, for files stored before chunks existed). */
export async function* readDocumentFileBytes(db: Executor, sha256: string): AsyncGenerator<Buffer> {
  const [inline] = await db.select({ bytes: documentFiles.bytes }).from(documentFiles).where(eq(documentFiles.sha256, sha256));
  if (inline?.bytes) {
    yield inline.bytes;
    return;
  }
  for (let chunk = 0; ; chunk++) {
    const [row] = await db
      .select({ bytes: documentFileChunks.bytes })
      .from(documentFileChunks)
      .where(and(eq(documentFileChunks.sha256, sha256), eq(documentFileChunks.chunk, chunk)));
    if (!row) return;
    yield row.bytes;
  }
}

/** A stored file's metadata, without reading its bytes. */
export async function documentFileMeta(db: Executor, sha256: string): Promise<DocumentFileMeta | undefined> {
  const [row] = await db.select(fileMetaColumns).from(documentFiles).where(eq(documentFiles.sha256, sha256));
  return row;
}

/** The next revision number of a document (1 for the first). Call after lockDocument, in the same transaction. */
export async function nextRevisionNumber(tx: Executor, documentId: string): Promise<number> {
  const [row] = await tx
    .select({ last: max(documentRevisions.revision) })
    .from(documentRevisions)
    .where(eq(documentRevisions.documentId, documentId));
  return (row?.last ?? 0) + 1;
}

export async function insertDocumentRevision(tx: Executor, row: typeof documentRevisions.$inferInsert): Promise<void> {
  await tx.insert(documentRevisions).values(row);
}

export async function findRevisionByRecordId(db: Executor, recordId: string): Promise<DocumentRevisionRow | undefined> {
  const [row] = await db.select().from(documentRevisions).where(eq(documentRevisions.recordId, recordId));
  return row;
}

/** Reads the fields this layer relies on from revision content written by the process. */
export function toRevisionContent(content: unknown): DocumentRevisionContent {
  const object = content !== null && typeof content === 'object' && !Array.isArray(content) ? (content as Record<string, unknown>) : {};
  const file = object.file as Partial<DocumentFileRef> | null | undefined;
  const validFile =
    file && typeof file === 'object' && typeof file.sha256 === 'string' && typeof file.fileName === 'string'
      ? { sha256: file.sha256, fileName: file.fileName, size: Number(file.size ?? 0), mediaType: String(file.mediaType ?? 'application/octet-stream') }
      : null;
  return { ...object, file: validFile, effectiveDate: typeof object.effectiveDate === 'string' ? object.effectiveDate : null };
}

async function revisionEntries(db: Executor, documentId: string, filter?: SQL): Promise<DocumentRevisionEntry[]> {
  const latest = latestStatuses(db, documentId);
  const v = recordVersions;
  const latestVersion = db
    .selectDistinctOn([v.recordId], { recordId: v.recordId, version: v.version, content: v.content })
    .from(v)
    .where(inArray(v.recordId, db.select({ recordId: documentRevisions.recordId }).from(documentRevisions).where(eq(documentRevisions.documentId, documentId))))
    .orderBy(v.recordId, desc(v.version))
    .as('latest_version');
  const rows = await db
    .select({
      revision: documentRevisions,
      recordNumber: records.number,
      status: latest.status,
      statusAt: latest.occurredAt,
      version: latestVersion.version,
      content: latestVersion.content,
    })
    .from(documentRevisions)
    .innerJoin(records, eq(records.id, documentRevisions.recordId))
    .leftJoin(latest, eq(latest.recordId, documentRevisions.recordId))
    .leftJoin(latestVersion, eq(latestVersion.recordId, documentRevisions.recordId))
    .where(and(eq(documentRevisions.documentId, documentId), filter))
    .orderBy(asc(documentRevisions.revision));
  return rows.map((r) => ({
    recordId: r.revision.recordId,
    recordNumber: r.recordNumber,
    documentId: r.revision.documentId,
    revision: r.revision.revision,
    createdAt: r.revision.createdAt,
    status: r.status ?? null,
    statusAt: r.statusAt ?? null,
    version: r.version ?? null,
    content: r.version === null ? null : toRevisionContent(r.content),
  }));
}

/** A document's revisions, oldest first. */
export function listRevisions(db: Executor, documentId: string): Promise<DocumentRevisionEntry[]> {
  return revisionEntries(db, documentId);
}

/** One revision of a document by its number. */
export async function findRevision(db: Executor, documentId: string, revision: number): Promise<DocumentRevisionEntry | undefined> {
  const [entry] = await revisionEntries(db, documentId, eq(documentRevisions.revision, revision));
  return entry;
}

/** Appends a status event; the revision's status is now this one. Lock the document first. */
export async function appendDocumentStatus(tx: Executor, row: typeof documentStatusEvents.$inferInsert): Promise<DocumentStatusEventRow> {
  const [inserted] = await tx.insert(documentStatusEvents).values(row).returning();
  return inserted!;
}

/**
 * The revision whose latest status is 'effective'. Writers keep this to at most one per document
 * (under lockDocument); finding two is a broken invariant and fails loudly.
 */
export async function effectiveRevision(db: Executor, documentId: string): Promise<DocumentRevisionEntry | undefined> {
  const latest = latestStatuses(db, documentId);
  const effective = await db.select({ recordId: latest.recordId }).from(latest).where(eq(latest.status, 'effective'));
  if (effective.length > 1) {
    throw new Error(`Document ${documentId} has ${effective.length} effective revisions; at most one may be effective.`);
  }
  if (!effective.length) return undefined;
  const [entry] = await revisionEntries(db, documentId, eq(documentRevisions.recordId, effective[0]!.recordId));
  return entry;
}

/** Where an effective revision's periodic review timer starts from (see periodicReviewAnchors). */
export interface PeriodicReviewAnchor {
  recordId: string;
  workflowId: string;
  /** When the revision last entered its effective step, or its latest periodic review task opened, whichever is later. */
  since: Date;
}

/**
 * The revision process's effective step waits its periodic review period, opens a review task, and
 * waits the period again (workflows/steps/step-runners.ts, runHold): each period starts when the
 * revision entered the step or when the previous review task opened. This reads those times.
 */
export async function periodicReviewAnchors(db: Executor, recordIds: string[]): Promise<PeriodicReviewAnchor[]> {
  if (recordIds.length === 0) return [];
  const entered = db
    .select({ recordId: recordTransitions.recordId, at: max(recordTransitions.occurredAt).as('entered_at') })
    .from(recordTransitions)
    .where(and(inArray(recordTransitions.recordId, recordIds), eq(recordTransitions.toStatus, 'effective')))
    .groupBy(recordTransitions.recordId)
    .as('entered');
  const reviewed = db
    .select({ recordId: tasks.recordId, at: max(tasks.openedAt).as('reviewed_at') })
    .from(tasks)
    .where(and(inArray(tasks.recordId, recordIds), eq(tasks.step, 'effective'), eq(tasks.action, 'review')))
    .groupBy(tasks.recordId)
    .as('reviewed');
  const rows = await db
    .select({ recordId: records.id, workflowId: records.workflowId, entered: entered.at, reviewed: reviewed.at })
    .from(records)
    .innerJoin(entered, eq(entered.recordId, records.id))
    .leftJoin(reviewed, eq(reviewed.recordId, records.id))
    .where(inArray(records.id, recordIds));
  const asDate = (at: Date | string | null) => (at === null ? null : new Date(at));
  return rows.map((r) => {
    const entered = asDate(r.entered)!;
    const reviewed = asDate(r.reviewed);
    return { recordId: r.recordId, workflowId: r.workflowId, since: reviewed && reviewed > entered ? reviewed : entered };
  });
}
