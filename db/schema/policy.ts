import { boolean, index, integer, pgTable, primaryKey, serial, text, uuid } from 'drizzle-orm/pg-core';
import { jsonb, utcTimestamp } from './columns';
import { users } from './identity';

/** Password and lockout policy; each change is a new version (the latest applies). */
export const policyVersions = pgTable('policy_versions', {
  version: serial('version').primaryKey(),
  policy: jsonb('policy').notNull(),
  setBy: uuid('set_by').references(() => users.id),
  setAt: utcTimestamp('set_at').notNull(),
  reason: text('reason').notNull(),
});

/** The configurable list of signature meanings (authored, reviewed, approved, rejected, …). */
export const signatureMeanings = pgTable('signature_meanings', {
  name: text('name').primaryKey(),
  description: text('description').notNull(),
  active: boolean('active').notNull().default(true),
});

/** Which controlled document a person must be currently trained on to sign a step. */
export const trainingRequirements = pgTable(
  'training_requirements',
  {
    process: text('process').notNull(),
    step: text('step').notNull(),
    documentNumber: text('document_number').notNull(),
    title: text('title').notNull(),
  },
  (t) => [primaryKey({ columns: [t.process, t.step, t.documentNumber] })],
);

/** Training records; append-only (a retraining is a new row). */
export const trainingRecords = pgTable(
  'training_records',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    documentNumber: text('document_number').notNull(),
    revision: integer('revision').notNull(),
    trainedAt: utcTimestamp('trained_at').notNull(),
    expiresAt: utcTimestamp('expires_at'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: utcTimestamp('recorded_at').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [index('training_records_user_doc_idx').on(t.userId, t.documentNumber)],
);
