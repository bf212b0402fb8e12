import { index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { jsonb, utcTimestamp } from './columns';
import { users } from './identity';

/** The immutable header of a regulated record (a change control, a CAPA, ...). */
export const records = pgTable(
  'records',
  {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    number: text('number').notNull().unique(),
    workflowId: text('workflow_id').notNull().unique(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: utcTimestamp('created_at').notNull(),
  },
  (t) => [index('records_type_idx').on(t.type)],
);
export type RecordRow = typeof records.$inferSelect;

/** Gap-free human numbers per type and year (CC-2026-0001), assigned inside the creating transaction. */
export const recordCounters = pgTable(
  'record_counters',
  {
    type: text('type').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.type, t.year] })],
);

/** Record content; a change makes a new version, a version never changes (triggers refuse it). */
export const recordVersions = pgTable(
  'record_versions',
  {
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id),
    version: integer('version').notNull(),
    content: jsonb('content').notNull(),
    /** SHA-256 (hex) of the RFC 8785 canonical JSON of `content`. */
    contentHash: text('content_hash').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: utcTimestamp('created_at').notNull(),
    reason: text('reason'),
  },
  (t) => [primaryKey({ columns: [t.recordId, t.version] })],
);
export type RecordVersionRow = typeof recordVersions.$inferSelect;

/** Append-only state history; a record's status is its latest transition. */
export const recordTransitions = pgTable(
  'record_transitions',
  {
    id: uuid('id').primaryKey(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id),
    seq: integer('seq').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** Null when the process moved by itself (a timer elapsed, a revision became effective). */
    actorId: uuid('actor_id').references(() => users.id),
    reason: text('reason'),
    occurredAt: utcTimestamp('occurred_at').notNull(),
  },
  (t) => [uniqueIndex('record_transitions_record_seq_idx').on(t.recordId, t.seq)],
);
export type RecordTransitionRow = typeof recordTransitions.$inferSelect;
