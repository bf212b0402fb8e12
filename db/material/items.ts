import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../client';
import { appendAuditEvent } from '../repositories/audit.repository';
import { bomLines, items, type BomLineRow, type ItemClass, type ItemRow } from '../schema';
import type { MaterialActor, MaterialClient } from './actor';
import { MaterialRefusal } from './material-refusal';
import { isUniqueViolation } from './sql-errors';

export interface NewItem {
  partNumber: string;
  revision: string;
  description: string;
  unitOfMeasure: string;
  itemClass: ItemClass;
  serialised: boolean;
  /** The bill of materials: how much of each component goes into one unit of this item. */
  billOfMaterials: { componentItemId: string; quantityPer: string }[];
}

export interface BomLine {
  component: ItemRow;
  quantityPer: string;
}

export interface ItemWithBom extends ItemRow {
  billOfMaterials: BomLine[];
}

export async function findItem(db: Executor, id: string): Promise<ItemRow | undefined> {
  const [row] = await db.select().from(items).where(eq(items.id, id));
  return row;
}

export async function findItemWithBom(db: Executor, id: string): Promise<ItemWithBom | undefined> {
  const item = await findItem(db, id);
  if (!item) return undefined;
  return { ...item, billOfMaterials: await billOfMaterials(db, id) };
}

export async function billOfMaterials(db: Executor, itemId: string): Promise<BomLine[]> {
  const rows = await db
    .select({ component: items, quantityPer: bomLines.quantityPer })
    .from(bomLines)
    .innerJoin(items, eq(items.id, bomLines.componentItemId))
    .where(eq(bomLines.itemId, itemId))
    .orderBy(asc(items.partNumber), asc(items.revision));
  return rows;
}

export function listItems(db: Executor): Promise<ItemRow[]> {
  return db.select().from(items).orderBy(asc(items.partNumber), asc(items.revision));
}

/**
 * Creates one revision of an item with its bill of materials, audited. An item is never changed:
 * a new description or bill of materials is a new revision.
 */
export async function createItem(tx: Executor, input: NewItem, actor: MaterialActor, client: MaterialClient = {}): Promise<ItemWithBom> {
  const [existing] = await tx
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.partNumber, input.partNumber), eq(items.revision, input.revision)));
  if (existing) throw itemExists(input);
  const componentIds = input.billOfMaterials.map((l) => l.componentItemId);
  const components: BomLineRow[] = [];
  const found = componentIds.length ? await tx.select().from(items).where(inArray(items.id, componentIds)) : [];
  const byId = new Map(found.map((c) => [c.id, c]));
  for (const id of componentIds) {
    if (!byId.has(id)) throw new MaterialRefusal('unknown_item', `No item with id ${id} (named in the bill of materials).`, { itemId: id });
  }
  const item: ItemRow = {
    id: randomUUID(),
    partNumber: input.partNumber,
    revision: input.revision,
    description: input.description,
    unitOfMeasure: input.unitOfMeasure,
    itemClass: input.itemClass,
    serialised: input.serialised,
    createdBy: actor.id!,
    createdAt: new Date(),
  };
  try {
    await tx.insert(items).values(item);
  } catch (error) {
    if (isUniqueViolation(error)) throw itemExists(input);
    throw error;
  }
  for (const line of input.billOfMaterials) components.push({ itemId: item.id, componentItemId: line.componentItemId, quantityPer: line.quantityPer });
  if (components.length) await tx.insert(bomLines).values(components);
  await appendAuditEvent(tx, {
    occurredAt: item.createdAt,
    actorId: actor.id,
    actorName: actor.name,
    action: 'item.created',
    entityType: 'item',
    entityId: item.id,
    newValue: {
      partNumber: item.partNumber,
      revision: item.revision,
      description: item.description,
      unitOfMeasure: item.unitOfMeasure,
      itemClass: item.itemClass,
      serialised: item.serialised,
      billOfMaterials: input.billOfMaterials.map((l) => ({
        partNumber: byId.get(l.componentItemId)!.partNumber,
        revision: byId.get(l.componentItemId)!.revision,
        quantityPer: l.quantityPer,
      })),
    },
    ...client,
  });
  return { ...item, billOfMaterials: input.billOfMaterials.map((l) => ({ component: byId.get(l.componentItemId)!, quantityPer: l.quantityPer })) };
}

export function itemExists(input: { partNumber: string; revision: string }): MaterialRefusal {
  return new MaterialRefusal('item_exists', `Item ${input.partNumber} revision ${input.revision} already exists: a change is a new revision.`, {
    partNumber: input.partNumber,
    revision: input.revision,
  });
}
