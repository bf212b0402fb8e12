import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { JsonValue } from '../../signatures';
import type { Executor } from '../client';
import { appendAuditEvent } from '../repositories/audit.repository';
import { lotGenealogy, productionRecords, type ItemRow, type LotRow, type ProcessParameter, type ProductionKind, type ProductionRecordRow } from '../schema';
import type { MaterialActor, MaterialClient } from './actor';
import { billOfMaterials, findItem } from './items';
import { latestLotStatusEvent, lockLots, recordInitialLotStatus, recordLotStatusEvent } from './lot-status-ledger';
import { createLot, type NewLot } from './lots';
import { MaterialRefusal } from './material-refusal';

export interface ProductionInput {
  kind: ProductionKind;
  workOrder: string;
  workstation: string;
  parameters: ProcessParameter[];
  operator: MaterialActor & { id: string };
  performedAt: Date;
  output: NewLot;
  /** Distinct lots, each with the quantity consumed from it (in the lot's unit). */
  inputs: { lotId: string; quantity: string }[];
}

export interface ProductionResult {
  record: ProductionRecordRow;
  output: { lot: LotRow; item: ItemRow };
  /** The input lots this production used up (their status became consumed). */
  consumedLotIds: string[];
}

type InputCheck = {
  expired: boolean;
  remaining: string;
  enough: boolean;
};

/**
 * Records a production (or a rework) in the caller's transaction: consumes quantities of input
 * lots, creates the output lot in quarantine and one genealogy edge per input, all audited.
 * The input lots are locked first (lockLots), so two productions drawing on one lot run one after
 * the other and the second sees what the first consumed. Refused, with nothing written, when an
 * input lot is unknown, not released (`lot_not_released`, naming its status), past its expiry date
 * (`lot_expired`), has less left than asked (`insufficient_quantity`), or is of an item that is not
 * on the output item's bill of materials (`not_on_bill_of_materials`; a rework may also consume
 * lots of the item it reworks).
 */
export async function recordProduction(
  tx: Executor,
  input: ProductionInput,
  recordedBy: MaterialActor & { id: string },
  client: MaterialClient = {},
): Promise<ProductionResult> {
  const outputItem = await findItem(tx, input.output.itemId);
  if (!outputItem) throw new MaterialRefusal('unknown_item', `No item with id ${input.output.itemId}.`, { itemId: input.output.itemId });
  const bom = await billOfMaterials(tx, outputItem.id);
  const locked = await lockLots(
    tx,
    input.inputs.map((i) => i.lotId),
  );
  const byItem = new Map<string, ItemRow>();
  for (const line of input.inputs) {
    const lot = locked.get(line.lotId);
    if (!lot) throw new MaterialRefusal('unknown_lot', `No lot with id ${line.lotId}.`, { lotId: line.lotId });
    const item = byItem.get(lot.itemId) ?? (await findItem(tx, lot.itemId))!;
    byItem.set(item.id, item);
    const onBom = bom.some((b) => b.component.id === item.id) || (input.kind === 'rework' && item.id === outputItem.id);
    if (bom.length > 0 && !onBom) {
      throw new MaterialRefusal(
        'not_on_bill_of_materials',
        `Lot ${lot.lotNumber} is of item ${item.partNumber} rev ${item.revision}, which is not on the bill of materials of ${outputItem.partNumber} rev ${outputItem.revision}.`,
        { lotId: lot.id, lotNumber: lot.lotNumber, partNumber: item.partNumber, revision: item.revision },
      );
    }
    const status = (await latestLotStatusEvent(tx, lot.id))?.status ?? null;
    const check = (
      await tx.execute<InputCheck>(sql`
        SELECT l.expiry_date IS NOT NULL AND l.expiry_date < current_date AS expired,
               r.remaining::text AS remaining,
               r.remaining >= ${line.quantity}::numeric AS enough
        FROM lots l,
             LATERAL (SELECT l.quantity - COALESCE((SELECT sum(g.quantity) FROM lot_genealogy g WHERE g.input_lot_id = l.id), 0) AS remaining) r
        WHERE l.id = ${lot.id}`)
    ).rows[0]!;
    const named = { lotId: lot.id, lotNumber: lot.lotNumber, status };
    if (status !== 'released') throw new MaterialRefusal('lot_not_released', `Lot ${lot.lotNumber} is ${status}, not released: it cannot be consumed.`, named);
    if (check.expired)
      throw new MaterialRefusal('lot_expired', `Lot ${lot.lotNumber} expired on ${lot.expiryDate}: it cannot be consumed.`, {
        ...named,
        expiryDate: lot.expiryDate,
      });
    if (!check.enough) {
      throw new MaterialRefusal(
        'insufficient_quantity',
        `Lot ${lot.lotNumber} has ${Number(check.remaining)} ${lot.unit} left, less than the ${Number(line.quantity)} ${lot.unit} asked for.`,
        { ...named, remaining: check.remaining, requested: line.quantity },
      );
    }
  }

  const at = new Date();
  const recordId = randomUUID();
  // The lot first (the record's output_lot_id references it), then the record, then the lot's
  // first status event (which names the record).
  const output = await createLot(tx, { ...input.output, origin: 'produced', supplierName: null, supplierLotNumber: null }, recordedBy, {
    productionRecordId: recordId,
    serialsFromLotIds: input.kind === 'rework' ? [...locked.values()].filter((l) => l.itemId === outputItem.id).map((l) => l.id) : [],
    client,
    at,
  });
  const record: ProductionRecordRow = {
    id: recordId,
    kind: input.kind,
    workOrder: input.workOrder,
    workstation: input.workstation,
    parameters: input.parameters,
    operatorId: input.operator.id,
    performedAt: input.performedAt,
    outputLotId: output.lot.id,
    recordedBy: recordedBy.id,
    recordedAt: at,
  };
  await tx.insert(productionRecords).values(record);
  await recordInitialLotStatus(tx, output.lot, {
    reason: `Produced by work order ${input.workOrder}`,
    actor: recordedBy,
    causedBy: { productionRecordId: recordId },
    client,
    at,
  });
  await tx
    .insert(lotGenealogy)
    .values(input.inputs.map((i) => ({ inputLotId: i.lotId, outputLotId: output.lot.id, quantity: i.quantity, productionRecordId: recordId })));
  await appendAuditEvent(tx, {
    occurredAt: at,
    actorId: recordedBy.id,
    actorName: recordedBy.name,
    action: input.kind === 'rework' ? 'production.rework_recorded' : 'production.recorded',
    entityType: 'production_record',
    entityId: recordId,
    newValue: {
      kind: record.kind,
      workOrder: record.workOrder,
      workstation: record.workstation,
      parameters: record.parameters as unknown as JsonValue,
      operator: input.operator.name,
      performedAt: record.performedAt.toISOString(),
      output: { lotId: output.lot.id, lotNumber: output.lot.lotNumber, partNumber: output.item.partNumber, quantity: output.lot.quantity },
      inputs: input.inputs.map((i) => ({ lotId: i.lotId, lotNumber: locked.get(i.lotId)!.lotNumber, quantity: i.quantity })),
    },
    ...client,
  });
  const consumedLotIds: string[] = [];
  for (const line of input.inputs) {
    const [left] = (
      await tx.execute<{ empty: boolean }>(
        sql`SELECT l.quantity <= COALESCE((SELECT sum(g.quantity) FROM lot_genealogy g WHERE g.input_lot_id = l.id), 0) AS empty FROM lots l WHERE l.id = ${line.lotId}`,
      )
    ).rows;
    if (left?.empty) {
      await recordLotStatusEvent(tx, {
        lotId: line.lotId,
        status: 'consumed',
        reason: `Used up by work order ${input.workOrder}`,
        actor: recordedBy,
        causedBy: { productionRecordId: recordId },
        client,
        at,
      });
      consumedLotIds.push(line.lotId);
    }
  }
  return { record, output, consumedLotIds };
}

export async function findProductionRecord(db: Executor, id: string): Promise<ProductionRecordRow | undefined> {
  const [row] = await db.select().from(productionRecords).where(eq(productionRecords.id, id));
  return row;
}

export async function productionInputs(db: Executor, recordId: string): Promise<{ inputLotId: string; quantity: string }[]> {
  return db
    .select({ inputLotId: lotGenealogy.inputLotId, quantity: lotGenealogy.quantity })
    .from(lotGenealogy)
    .where(eq(lotGenealogy.productionRecordId, recordId));
}
