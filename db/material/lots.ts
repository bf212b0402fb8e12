import { randomUUID } from 'node:crypto';
import { and, asc, eq, ilike, inArray, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';
import { appendAuditEvent } from '../repositories/audit.repository';
import { containing } from '../repositories/list-page';
import { items, lots, lotSerials, type ItemRow, type LotOrigin, type LotRow, type LotStatus } from '../schema';
import type { MaterialActor, MaterialClient } from './actor';
import { findItem } from './items';
import { recordInitialLotStatus } from './lot-status-ledger';
import { MaterialRefusal } from './material-refusal';
import { isUniqueViolation } from './sql-errors';

export interface NewLot {
  itemId: string;
  lotNumber: string;
  quantity: string;
  /** The item's unit of measure; another unit is refused (no conversions). */
  unit?: string;
  expiryDate: string | null;
  serialNumbers: string[];
}

export interface ReceivedLot extends NewLot {
  supplierName: string;
  supplierLotNumber: string | null;
}

/** A lot as read: with its item, its current status and what remains of it. */
export interface LotEntry {
  lot: LotRow;
  item: ItemRow;
  status: LotStatus;
  remaining: string;
}

/** The current status of each lot: the status of its event with the highest seq. */
const currentStatus = sql<LotStatus>`(SELECT e.status FROM lot_status_events e WHERE e.lot_id = ${lots.id} ORDER BY e.seq DESC LIMIT 1)`;
const remaining = sql<string>`(${lots.quantity} - COALESCE((SELECT sum(g.quantity) FROM lot_genealogy g WHERE g.input_lot_id = ${lots.id}), 0))::text`;

async function selectLots(db: Executor, where: SQL | undefined, limit = 500, offset = 0): Promise<LotEntry[]> {
  return (
    db
      .select({ lot: lots, item: items, status: currentStatus, remaining })
      .from(lots)
      .innerJoin(items, eq(items.id, lots.itemId))
      .where(where)
      // The id last: two revisions of a part may hold the same lot number, and a page must not depend on chance.
      .orderBy(asc(items.partNumber), asc(lots.lotNumber), asc(lots.id))
      .limit(limit)
      .offset(offset)
  );
}

export async function findLotEntry(db: Executor, lotId: string): Promise<LotEntry | undefined> {
  const [entry] = await selectLots(db, eq(lots.id, lotId), 1);
  return entry;
}

/** Every lot with this lot number (unique per item), or only the one of the item with this part number. */
export function findLotsByNumber(db: Executor, lotNumber: string, partNumber?: string): Promise<LotEntry[]> {
  return selectLots(db, and(eq(lots.lotNumber, lotNumber), partNumber === undefined ? undefined : eq(items.partNumber, partNumber)), 50);
}

/** Lots by part number and lot number; `text` (case-insensitive, literal) in either the lot number or the part number. */
export function listLots(db: Executor, filter: { text?: string; itemId?: string; status?: LotStatus; limit?: number; offset?: number }): Promise<LotEntry[]> {
  const conditions = [
    filter.text === undefined ? undefined : or(ilike(lots.lotNumber, containing(filter.text)), ilike(items.partNumber, containing(filter.text))),
    filter.itemId ? eq(lots.itemId, filter.itemId) : undefined,
    filter.status ? sql`${currentStatus} = ${filter.status}` : undefined,
  ];
  return selectLots(db, and(...conditions.filter((c) => c !== undefined)), filter.limit, filter.offset);
}

export async function lotSerialNumbers(db: Executor, lotId: string): Promise<string[]> {
  const rows = await db
    .select({ serialNumber: lotSerials.serialNumber })
    .from(lotSerials)
    .where(eq(lotSerials.lotId, lotId))
    .orderBy(asc(lotSerials.serialNumber));
  return rows.map((r) => r.serialNumber);
}

/**
 * Creates a lot with its serial numbers: the shared part of receiving and of production, each of
 * which then writes the lot's first status event (quarantine). Refuses a lot number the item already has, serial numbers the
 * item already has or that do not match the quantity, and a unit other than the item's.
 */
export async function createLot(
  tx: Executor,
  input: NewLot & { origin: LotOrigin; supplierName: string | null; supplierLotNumber: string | null },
  actor: MaterialActor,
  context: { productionRecordId?: string; serialsFromLotIds?: string[]; client?: MaterialClient; at: Date },
): Promise<{ lot: LotRow; item: ItemRow }> {
  const item = await findItem(tx, input.itemId);
  if (!item) throw new MaterialRefusal('unknown_item', `No item with id ${input.itemId}.`, { itemId: input.itemId });
  if (input.unit !== undefined && input.unit !== item.unitOfMeasure) {
    throw new MaterialRefusal('unit_mismatch', `Item ${item.partNumber} is counted in ${item.unitOfMeasure}, not ${input.unit}.`, {
      unit: input.unit,
      unitOfMeasure: item.unitOfMeasure,
    });
  }
  checkSerials(item, input.quantity, input.serialNumbers);
  const [existing] = await tx
    .select({ id: lots.id })
    .from(lots)
    .where(and(eq(lots.itemId, item.id), eq(lots.lotNumber, input.lotNumber)));
  if (existing) throw lotExists(item, input.lotNumber);
  if (input.serialNumbers.length) {
    // A serial number the item already has is refused, unless it is carried by a lot this one
    // is made from (a rework: the reworked unit keeps its serial number).
    const reused = context.serialsFromLotIds ?? [];
    const taken = await tx
      .select({ serialNumber: lotSerials.serialNumber })
      .from(lotSerials)
      .where(
        and(
          eq(lotSerials.itemId, item.id),
          inArray(lotSerials.serialNumber, input.serialNumbers),
          reused.length ? notInArray(lotSerials.lotId, reused) : undefined,
        ),
      );
    if (taken.length) throw serialsExist(item, [...new Set(taken.map((t) => t.serialNumber))]);
  }
  const lot: LotRow = {
    id: randomUUID(),
    itemId: item.id,
    lotNumber: input.lotNumber,
    quantity: input.quantity,
    unit: item.unitOfMeasure,
    origin: input.origin,
    expiryDate: input.expiryDate,
    supplierName: input.supplierName,
    supplierLotNumber: input.supplierLotNumber,
    createdBy: actor.id!,
    createdAt: context.at,
  };
  try {
    await tx.insert(lots).values(lot);
    if (input.serialNumbers.length)
      await tx.insert(lotSerials).values(input.serialNumbers.map((serialNumber) => ({ lotId: lot.id, itemId: item.id, serialNumber })));
  } catch (error) {
    // Another transaction took the lot number or a serial number between the check and the insert.
    if (isUniqueViolation(error)) throw lotExists(item, input.lotNumber);
    throw error;
  }
  await appendAuditEvent(tx, {
    occurredAt: context.at,
    actorId: actor.id,
    actorName: actor.name,
    action: input.origin === 'received' ? 'lot.received' : 'lot.produced',
    entityType: 'lot',
    entityId: lot.id,
    newValue: {
      partNumber: item.partNumber,
      revision: item.revision,
      lotNumber: lot.lotNumber,
      quantity: lot.quantity,
      unit: lot.unit,
      origin: lot.origin,
      expiryDate: lot.expiryDate,
      supplierName: lot.supplierName,
      supplierLotNumber: lot.supplierLotNumber,
      serialNumbers: input.serialNumbers,
      productionRecordId: context.productionRecordId ?? null,
    },
    ...context.client,
  });
  return { lot, item };
}

/** Receives a lot from a supplier: it starts in quarantine until incoming inspection releases it. */
export async function receiveLot(tx: Executor, input: ReceivedLot, actor: MaterialActor, client: MaterialClient = {}): Promise<{ lot: LotRow; item: ItemRow }> {
  const at = new Date();
  const created = await createLot(tx, { ...input, origin: 'received' }, actor, { client, at });
  await recordInitialLotStatus(tx, created.lot, { reason: `Received from ${input.supplierName}`, actor, client, at });
  return created;
}

function checkSerials(item: ItemRow, quantity: string, serialNumbers: string[]): void {
  if (!item.serialised) {
    if (serialNumbers.length) {
      throw new MaterialRefusal('serials_mismatch', `Item ${item.partNumber} is not serialised: a lot of it carries no serial numbers.`);
    }
    return;
  }
  if (!/^\d+(\.0+)?$/.test(quantity) || Number(quantity) !== serialNumbers.length) {
    throw new MaterialRefusal(
      'serials_mismatch',
      `Item ${item.partNumber} is serialised: a lot of ${quantity} needs ${quantity} serial numbers, one per unit (got ${serialNumbers.length}).`,
      {
        quantity,
        serialNumbers: serialNumbers.length,
      },
    );
  }
  if (new Set(serialNumbers).size !== serialNumbers.length) throw new MaterialRefusal('serials_mismatch', 'A serial number is listed twice.');
}

function lotExists(item: ItemRow, lotNumber: string): MaterialRefusal {
  return new MaterialRefusal('lot_exists', `Item ${item.partNumber} already has a lot numbered ${lotNumber}.`, { itemId: item.id, lotNumber });
}

function serialsExist(item: ItemRow, serialNumbers: string[]): MaterialRefusal {
  return new MaterialRefusal('serial_exists', `Item ${item.partNumber} already has units with serial numbers ${serialNumbers.join(', ')}.`, {
    itemId: item.id,
    serialNumbers,
  });
}
