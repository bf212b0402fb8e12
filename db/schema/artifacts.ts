import { bigint, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, jsonb, utcTimestamp } from './columns';
import { users } from './identity';
import { records } from './records';

/**
 * Controlled copies: sealed PDFs of a record or of a dossier, with their SHA-256. Never regenerated
 * in place; a regeneration is a new artifact with its own audit event. Append-only.
 */
export const artifacts = pgTable(
  'artifacts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['record_pdf', 'dossier_pdf'] }).notNull(),
    recordId: uuid('record_id').references(() => records.id),
    recordVersion: integer('record_version'),
    dossierId: uuid('dossier_id'),
    fileName: text('file_name').notNull(),
    bytes: bytea('bytes').notNull(),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    createdAt: utcTimestamp('created_at').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    reason: text('reason').notNull(),
  },
  (t) => [index('artifacts_record_idx').on(t.recordId, t.createdAt), index('artifacts_dossier_idx').on(t.dossierId)],
);
export type ArtifactRow = typeof artifacts.$inferSelect;

/** A requested dossier and its rendering progress (job state: the only mutable columns). */
export const dossiers = pgTable('dossiers', {
  id: uuid('id').primaryKey(),
  title: text('title').notNull(),
  selection: jsonb('selection').notNull(),
  recordIds: jsonb('record_ids').$type<string[]>().notNull(),
  requestedBy: uuid('requested_by')
    .notNull()
    .references(() => users.id),
  requestedAt: utcTimestamp('requested_at').notNull(),
  status: text('status', { enum: ['queued', 'rendering', 'done', 'failed'] }).notNull(),
  progressDone: integer('progress_done').notNull().default(0),
  progressTotal: integer('progress_total').notNull(),
  failureReason: text('failure_reason'),
  artifactId: uuid('artifact_id').references(() => artifacts.id),
  updatedAt: utcTimestamp('updated_at').notNull(),
});
export type DossierRow = typeof dossiers.$inferSelect;

/** Links between records (a change control and the document revisions it caused, a CAPA's source…). Append-only. */
export const recordLinks = pgTable(
  'record_links',
  {
    fromRecordId: uuid('from_record_id')
      .notNull()
      .references(() => records.id),
    toRecordId: uuid('to_record_id')
      .notNull()
      .references(() => records.id),
    relation: text('relation').notNull(),
    createdAt: utcTimestamp('created_at').notNull(),
  },
  (t) => [index('record_links_from_idx').on(t.fromRecordId), index('record_links_to_idx').on(t.toRecordId)],
);
