import { bigint, bigserial, index, pgTable, text } from 'drizzle-orm/pg-core';
import { jsonb, utcTimestamp } from './columns';

/**
 * Signed checkpoints of the audit chain's head (11.10(e)), append-only (migration 0007). `checkpoint`
 * is the signed AuditCheckpoint (signatures/audit-checkpoint.ts), `cms` the sealing certificate's
 * detached CMS over its canonical JSON. Copies live in DATA_DIR/audit-checkpoints/ and in sealed PDFs.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    checkpointedAt: utcTimestamp('checkpointed_at').notNull(),
    checkpoint: jsonb('checkpoint').notNull(),
    cms: text('cms').notNull(),
  },
  (t) => [index('audit_checkpoints_seq_idx').on(t.seq)],
);
export type AuditCheckpointRow = typeof auditCheckpoints.$inferSelect;
