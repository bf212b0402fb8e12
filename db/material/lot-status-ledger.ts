import { randomUUID } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { appendAuditEvent } from '../repositories/audit.repository';
import { lots, lotStatusEvents, records, type LotRow, type LotStatus, type LotStatusEventRow } from '../schema';
import type { MaterialActor, MaterialClient } from './actor';
import { INITIAL_LOT_STATUS, lotTransitionRefusal } from './lot-status-rules';
import { MaterialRefusal } from './material-refusal';
import { openHoldsOnLots } from './open-lot-holds';

/** What caused a status event: a regulated record (an NCMR, a batch release), a production record, or neither (a person's decision). */
export interface LotStatusCause {
  recordId?: string | null;
  productionRecordId?: string | null;
}

export interface LotStatusEventInput {
  lotId: string;
  status: LotStatus;
  reason: string;
  actor: MaterialActor;
  causedBy?: LotStatusCause;
  client?: MaterialClient;
  at?: Date;
}

/**
 * Locks the lots' rows until the transaction ends (in id order, so two transactions locking the
 * same lots cannot deadlock). Every status event and every consumption of a lot takes this lock
 * first: they happen one transaction at a time per lot. Lots not found are missing from the map.
 */
export async function lockLots(tx: Executor, lotIds: string[]): Promise<Map<string, LotRow>> {
  const locked = new Map<string, LotRow>();
  for (const id of [...new Set(lotIds)].sort()) {
    const [row] = await tx.select().from(lots).where(eq(lots.id, id)).for('no key update');
    if (row) locked.set(id, row);
  }
  return locked;
}

/** The lot's latest status event (its current status), or undefined for a lot that has none yet. */
export async function latestLotStatusEvent(db: Executor, lotId: string): Promise<LotStatusEventRow | undefined> {
  const [row] = await db.select().from(lotStatusEvents).where(eq(lotStatusEvents.lotId, lotId)).orderBy(desc(lotStatusEvents.seq)).limit(1);
  return row;
}

export function listLotStatusEvents(db: Executor, lotId: string): Promise<LotStatusEventRow[]> {
  return db.select().from(lotStatusEvents).where(eq(lotStatusEvents.lotId, lotId)).orderBy(lotStatusEvents.seq);
}

/** How much of the lot is left: its quantity minus everything production consumed from it. */
export async function remainingQuantity(db: Executor, lotId: string): Promise<string> {
  const result = await db.execute<{ remaining: string }>(
    sql`SELECT (l.quantity - COALESCE((SELECT sum(g.quantity) FROM lot_genealogy g WHERE g.input_lot_id = l.id), 0))::text AS remaining FROM lots l WHERE l.id = ${lotId}`,
  );
  return result.rows[0]?.remaining ?? '0';
}

async function insertStatusEvent(tx: Executor, lot: LotRow, seq: number, previous: LotStatus | null, input: LotStatusEventInput): Promise<LotStatusEventRow> {
  const row: LotStatusEventRow = {
    id: randomUUID(),
    lotId: lot.id,
    seq,
    status: input.status,
    reason: input.reason,
    actorId: input.actor.id,
    actorName: input.actor.name,
    occurredAt: input.at ?? new Date(),
    causedByRecordId: input.causedBy?.recordId ?? null,
    causedByProductionRecordId: input.causedBy?.productionRecordId ?? null,
  };
  await tx.insert(lotStatusEvents).values(row);
  await appendAuditEvent(tx, {
    occurredAt: row.occurredAt,
    actorId: row.actorId,
    actorName: row.actorName,
    action: 'lot.status_changed',
    entityType: 'lot',
    entityId: lot.id,
    recordId: row.causedByRecordId,
    oldValue: previous === null ? null : { status: previous },
    newValue: { lotNumber: lot.lotNumber, status: row.status, seq, productionRecordId: row.causedByProductionRecordId },
    reason: row.reason,
    ...input.client,
  });
  return row;
}

/** The first event of a new lot (quarantine), written in the transaction that creates the lot. */
export function recordInitialLotStatus(tx: Executor, lot: LotRow, input: Omit<LotStatusEventInput, 'lotId' | 'status'>): Promise<LotStatusEventRow> {
  return insertStatusEvent(tx, lot, 1, null, { ...input, lotId: lot.id, status: INITIAL_LOT_STATUS });
}

/**
 * Appends a status event to a lot's ledger, audited, inside the caller's transaction — the one
 * function through which a lot's status changes after it came into being (a person's decision
 * through the API, or a process effect such as an NCMR putting its lots on hold and lifting the
 * hold). Refused, with nothing written, when:
 * - the lot does not exist (`unknown_lot`), or the causing record does not (`unknown_record`);
 * - the rule table does not allow the move (`transition_not_allowed`, e.g. scrapped → released);
 * - the lot is on hold by a record and this event is not caused by that same record
 *   (`lot_held_by_record`): only the NCMR that placed a hold lifts it;
 * - an NCMR holds the lot (an open row of ncmr_lot_holds, `lot_held_by_record` naming it): nothing
 *   changes the lot's status until that NCMR ends and releases its hold (db/material/ncmr-holds.ts
 *   writes its own events around its hold rows, so this check never stands in its way).
 */
export async function recordLotStatusEvent(tx: Executor, input: LotStatusEventInput): Promise<LotStatusEventRow> {
  const lot = (await lockLots(tx, [input.lotId])).get(input.lotId);
  if (!lot) throw new MaterialRefusal('unknown_lot', `No lot with id ${input.lotId}.`, { lotId: input.lotId });
  const [hold] = await openHoldsOnLots(tx, [lot.id]);
  if (hold) {
    throw new MaterialRefusal(
      'lot_held_by_record',
      `Lot ${lot.lotNumber} is held by ${hold.recordNumber} (nonconforming material): its status changes only with that NCMR's disposition or end.`,
      { lotId: lot.id, lotNumber: lot.lotNumber, heldByRecordId: hold.recordId, heldByRecordNumber: hold.recordNumber },
    );
  }
  const recordId = input.causedBy?.recordId ?? null;
  if (recordId) {
    const [record] = await tx.select({ id: records.id }).from(records).where(eq(records.id, recordId));
    if (!record) throw new MaterialRefusal('unknown_record', `No record with id ${recordId}.`, { recordId });
  }
  const latest = await latestLotStatusEvent(tx, lot.id);
  const from = latest?.status ?? null;
  if (from === null) {
    // Cannot happen through this module (a lot is created with its first event); refuse rather than guess.
    throw new MaterialRefusal('transition_not_allowed', `Lot ${lot.lotNumber} has no status yet.`, { lotId: lot.id });
  }
  const refusal = lotTransitionRefusal(lot.lotNumber, from, input.status);
  if (refusal) throw new MaterialRefusal('transition_not_allowed', refusal, { lotId: lot.id, lotNumber: lot.lotNumber, status: from, requested: input.status });
  if (from === 'on_hold' && latest!.causedByRecordId && latest!.causedByRecordId !== recordId) {
    const [holder] = await tx.select({ number: records.number }).from(records).where(eq(records.id, latest!.causedByRecordId));
    throw new MaterialRefusal(
      'lot_held_by_record',
      `Lot ${lot.lotNumber} is on hold by ${holder?.number ?? latest!.causedByRecordId}: only that record lifts the hold.`,
      { lotId: lot.id, lotNumber: lot.lotNumber, status: from, heldByRecordId: latest!.causedByRecordId, heldByRecordNumber: holder?.number ?? null },
    );
  }
  return insertStatusEvent(tx, lot, latest!.seq + 1, from, input);
}
