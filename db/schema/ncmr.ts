import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { utcTimestamp } from './columns';
import { users } from './identity';
import { lots, LOT_STATUSES } from './material';
import { records } from './records';

// What a nonconforming-material report (NCMR) writes on the material side (db/migrations/
// 0014_ncmr_lot_holds.sql): its holds on lots, their releases, and the managed list of defect
// codes it names. Append-only: a hold is released by a new row, a defect code retired by a new row.

/** An NCMR holds a lot: the lot's status before the hold is kept, to be given back when no disposition decides otherwise. */
export const ncmrLotHolds = pgTable(
  'ncmr_lot_holds',
  {
    id: uuid('id').primaryKey(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id),
    previousStatus: text('previous_status', { enum: LOT_STATUSES }).notNull(),
    heldAt: utcTimestamp('held_at').notNull(),
  },
  (t) => [uniqueIndex('ncmr_lot_holds_lot_record_idx').on(t.lotId, t.recordId), index('ncmr_lot_holds_record_idx').on(t.recordId)],
);
export type NcmrLotHoldRow = typeof ncmrLotHolds.$inferSelect;

/** The end of a hold, once: the status the lot was given (the disposition's, or its previous one back). */
export const ncmrLotHoldReleases = pgTable('ncmr_lot_hold_releases', {
  holdId: uuid('hold_id')
    .primaryKey()
    .references(() => ncmrLotHolds.id),
  releasedAt: utcTimestamp('released_at').notNull(),
  status: text('status', { enum: LOT_STATUSES }).notNull(),
  reason: text('reason').notNull(),
});
export type NcmrLotHoldReleaseRow = typeof ncmrLotHoldReleases.$inferSelect;

/** A version of a defect code (1, 2, ...); the latest says whether it may be named by a new NCMR. */
export const defectCodes = pgTable(
  'defect_codes',
  {
    code: text('code').notNull(),
    seq: integer('seq').notNull(),
    description: text('description').notNull(),
    active: boolean('active').notNull(),
    /** Null: the system (the demo seed). */
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: utcTimestamp('recorded_at').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [uniqueIndex('defect_codes_code_seq_idx').on(t.code, t.seq), check('defect_codes_seq_positive', sql`${t.seq} > 0`)],
);
export type DefectCodeRow = typeof defectCodes.$inferSelect;
