import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, numeric, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { jsonb, utcTimestamp } from './columns';
import { users } from './identity';
import { records } from './records';

// The material side (DESIGN.md, "The material side"): items, their bills of materials, lots, the
// append-only ledger of lot status events, production records and the genealogy edges between
// lots. Every table here is append-only (db/migrations/0013_material.sql): an item's description
// or bill of materials changes by a new revision of the item, a lot's status by a new event.

export const ITEM_CLASSES = ['raw_material', 'component', 'subassembly', 'finished_good', 'packaging'] as const;
export type ItemClass = (typeof ITEM_CLASSES)[number];

export const LOT_STATUSES = ['quarantine', 'released', 'on_hold', 'rejected', 'scrapped', 'consumed'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const LOT_ORIGINS = ['received', 'produced'] as const;
export type LotOrigin = (typeof LOT_ORIGINS)[number];

export const PRODUCTION_KINDS = ['production', 'rework'] as const;
export type ProductionKind = (typeof PRODUCTION_KINDS)[number];

/** Quantities: up to 14 digits before the decimal point and 6 after, exact (read as strings). */
const quantity = (name: string) => numeric(name, { precision: 20, scale: 6 });

/** One revision of a part (part number + revision is unique). */
export const items = pgTable(
  'items',
  {
    id: uuid('id').primaryKey(),
    partNumber: text('part_number').notNull(),
    revision: text('revision').notNull(),
    description: text('description').notNull(),
    unitOfMeasure: text('unit_of_measure').notNull(),
    itemClass: text('item_class', { enum: ITEM_CLASSES }).notNull(),
    /** Each unit of a lot of this item carries a serial number. */
    serialised: boolean('serialised').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: utcTimestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('items_part_number_revision_idx').on(t.partNumber, t.revision)],
);
export type ItemRow = typeof items.$inferSelect;

/** A line of an item's bill of materials: how much of a component goes into one unit of the item. */
export const bomLines = pgTable(
  'bom_lines',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    componentItemId: uuid('component_item_id')
      .notNull()
      .references(() => items.id),
    quantityPer: quantity('quantity_per').notNull(),
  },
  (t) => [
    uniqueIndex('bom_lines_item_component_idx').on(t.itemId, t.componentItemId),
    check('bom_lines_not_itself', sql`${t.itemId} <> ${t.componentItemId}`),
    check('bom_lines_positive', sql`${t.quantityPer} > 0`),
  ],
);
export type BomLineRow = typeof bomLines.$inferSelect;

/** A lot of an item: received from a supplier or produced by a production record. */
export const lots = pgTable(
  'lots',
  {
    id: uuid('id').primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    lotNumber: text('lot_number').notNull(),
    /** The quantity the lot came into being with; what remains is this minus what was consumed. */
    quantity: quantity('quantity').notNull(),
    unit: text('unit').notNull(),
    origin: text('origin', { enum: LOT_ORIGINS }).notNull(),
    expiryDate: date('expiry_date', { mode: 'string' }),
    /** The supplier's name, for a received lot (until suppliers are records of their own). */
    supplierName: text('supplier_name'),
    supplierLotNumber: text('supplier_lot_number'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: utcTimestamp('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('lots_item_lot_number_idx').on(t.itemId, t.lotNumber),
    check('lots_quantity_positive', sql`${t.quantity} > 0`),
    check('lots_supplier_when_received', sql`(${t.origin} = 'received') = (${t.supplierName} IS NOT NULL)`),
  ],
);
export type LotRow = typeof lots.$inferSelect;

/** Serial numbers of the units of a lot of a serialised item (a rework's lot carries its units' serial numbers again). */
export const lotSerials = pgTable(
  'lot_serials',
  {
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => items.id),
    serialNumber: text('serial_number').notNull(),
  },
  (t) => [uniqueIndex('lot_serials_lot_serial_idx').on(t.lotId, t.serialNumber), index('lot_serials_item_serial_idx').on(t.itemId, t.serialNumber)],
);
export type LotSerialRow = typeof lotSerials.$inferSelect;

/**
 * A production record: a work order's run at a workstation, with its process parameters, that
 * consumed input lots (lot_genealogy) and produced one output lot.
 */
export const productionRecords = pgTable(
  'production_records',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: PRODUCTION_KINDS }).notNull(),
    workOrder: text('work_order').notNull(),
    workstation: text('workstation').notNull(),
    /** [{ name, value, unit? }] as entered. */
    parameters: jsonb('parameters').$type<ProcessParameter[]>().notNull(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => users.id),
    performedAt: utcTimestamp('performed_at').notNull(),
    outputLotId: uuid('output_lot_id')
      .notNull()
      .unique()
      .references(() => lots.id),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: utcTimestamp('recorded_at').notNull(),
  },
  (t) => [index('production_records_work_order_idx').on(t.workOrder)],
);
export type ProductionRecordRow = typeof productionRecords.$inferSelect;

export interface ProcessParameter {
  name: string;
  value: string | number | boolean;
  unit?: string;
}

/**
 * A genealogy edge: `quantity` of the input lot went into the output lot, by a production record.
 * The output lot is always created in the same transaction as its edges, so the graph is acyclic.
 * Two covering indexes, one per direction, serve the recursive trace.
 */
export const lotGenealogy = pgTable(
  'lot_genealogy',
  {
    inputLotId: uuid('input_lot_id')
      .notNull()
      .references(() => lots.id),
    outputLotId: uuid('output_lot_id')
      .notNull()
      .references(() => lots.id),
    quantity: quantity('quantity').notNull(),
    productionRecordId: uuid('production_record_id')
      .notNull()
      .references(() => productionRecords.id),
  },
  (t) => [
    index('lot_genealogy_forward_idx').on(t.inputLotId, t.outputLotId, t.quantity),
    index('lot_genealogy_backward_idx').on(t.outputLotId, t.inputLotId, t.quantity),
    check('lot_genealogy_not_itself', sql`${t.inputLotId} <> ${t.outputLotId}`),
    check('lot_genealogy_positive', sql`${t.quantity} > 0`),
  ],
);
export type LotGenealogyRow = typeof lotGenealogy.$inferSelect;

/**
 * The ledger a lot's status is derived from: its latest event (highest seq). Each event says who
 * (null: the system), when, why, and what caused it — a regulated record (an NCMR, a batch
 * release) and/or a production record.
 */
export const lotStatusEvents = pgTable(
  'lot_status_events',
  {
    id: uuid('id').primaryKey(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    /** 1 for the lot's first event, then one more per event: two writers cannot fork the ledger. */
    seq: integer('seq').notNull(),
    status: text('status', { enum: LOT_STATUSES }).notNull(),
    reason: text('reason').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    actorName: text('actor_name').notNull(),
    occurredAt: utcTimestamp('occurred_at').notNull(),
    causedByRecordId: uuid('caused_by_record_id').references(() => records.id),
    causedByProductionRecordId: uuid('caused_by_production_record_id').references(() => productionRecords.id),
  },
  (t) => [
    uniqueIndex('lot_status_events_lot_seq_idx').on(t.lotId, t.seq),
    index('lot_status_events_record_idx').on(t.causedByRecordId),
    check('lot_status_events_seq_positive', sql`${t.seq} > 0`),
  ],
);
export type LotStatusEventRow = typeof lotStatusEvents.$inferSelect;
