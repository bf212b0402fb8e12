import { bigint, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, utcTimestamp } from './columns';
import { users } from './identity';
import { records } from './records';

export const DOCUMENT_TYPES = ['sop', 'specification', 'work_instruction', 'form', 'policy', 'drawing', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['effective', 'superseded', 'obsolete'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The document register: one row per controlled document (SOP-QA-007), whatever its revisions. Append-only. */
export const documents = pgTable('documents', {
  id: uuid('id').primaryKey(),
  number: text('number').notNull().unique(),
  title: text('title').notNull(),
  docType: text('doc_type', { enum: DOCUMENT_TYPES }).notNull(),
  ownerId: uuid('owner_id')
    .notNull()
    .references(() => users.id),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: utcTimestamp('created_at').notNull(),
});
export type DocumentRow = typeof documents.$inferSelect;

/**
 * Uploaded document files, addressed by the SHA-256 (hex) of their bytes: the same bytes uploaded
 * twice are one row. A revision's content names the file by its hash. Append-only. The bytes are in
 * document_file_chunks; `bytes` holds them only for files stored before migration 0010.
 */
export const documentFiles = pgTable('document_files', {
  sha256: text('sha256').primaryKey(),
  bytes: bytea('bytes'),
  size: bigint('size', { mode: 'number' }).notNull(),
  fileName: text('file_name').notNull(),
  mediaType: text('media_type').notNull(),
  uploadedBy: uuid('uploaded_by')
    .notNull()
    .references(() => users.id),
  uploadedAt: utcTimestamp('uploaded_at').notNull(),
});
export type DocumentFileRow = typeof documentFiles.$inferSelect;

/** A document file's bytes in order, at most DOCUMENT_FILE_CHUNK_SIZE each (streamed in and out). Append-only. */
export const documentFileChunks = pgTable(
  'document_file_chunks',
  {
    sha256: text('sha256')
      .notNull()
      .references(() => documentFiles.sha256),
    chunk: integer('chunk').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ name: 'document_file_chunks_pk', columns: [t.sha256, t.chunk] })],
);
export const DOCUMENT_FILE_CHUNK_SIZE = 1024 * 1024;

/**
 * A revision of a document is a regulated record (type document_revision, DOC-YYYY-NNNN) run by
 * its process; this row ties the record to its document and revision number. Append-only.
 */
export const documentRevisions = pgTable(
  'document_revisions',
  {
    recordId: uuid('record_id')
      .primaryKey()
      .references(() => records.id),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    revision: integer('revision').notNull(),
    createdAt: utcTimestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('document_revisions_document_revision_idx').on(t.documentId, t.revision)],
);
export type DocumentRevisionRow = typeof documentRevisions.$inferSelect;

/**
 * Issue-status history of revisions. A revision's status is its latest event; a revision without
 * one is still in its process (draft, review, approval). Append-only.
 */
export const documentStatusEvents = pgTable(
  'document_status_events',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id),
    status: text('status', { enum: DOCUMENT_STATUSES }).notNull(),
    occurredAt: utcTimestamp('occurred_at').notNull(),
    /** Null when the system made the change (a timer: the effective date was reached). */
    actorId: uuid('actor_id').references(() => users.id),
    reason: text('reason'),
  },
  (t) => [index('document_status_events_record_idx').on(t.recordId, t.occurredAt), index('document_status_events_document_idx').on(t.documentId)],
);
export type DocumentStatusEventRow = typeof documentStatusEvents.$inferSelect;

/** A file as a revision's content names it (the bytes are in document_files). */
export interface DocumentFileRef {
  sha256: string;
  fileName: string;
  size: number;
  mediaType: string;
}

/** What this layer reads from a document revision's record content (the process may store more). */
export interface DocumentRevisionContent {
  file: DocumentFileRef | null;
  /** ISO date (YYYY-MM-DD) from which the revision is to be effective, once approved. */
  effectiveDate: string | null;
  [key: string]: unknown;
}
