import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { appendAuditEvent } from '../repositories/audit.repository';
import { ncmrLotHoldReleases, ncmrLotHolds, records, type LotRow, type LotStatus } from '../schema';
import type { MaterialActor } from './actor';
import { latestLotStatusEvent, lockLots, recordLotStatusEvent } from './lot-status-ledger';
import { mayMoveLot } from './lot-status-rules';
import { MaterialRefusal } from './material-refusal';
import { openHoldsOfRecord, openHoldsOnLots, type OpenLotHold } from './open-lot-holds';

// A nonconforming-material report (NCMR) puts its lots on hold when it is reported and gives each
// one a status when it ends (its disposition's, or the status the lot had before). One NCMR at a
// time holds a lot: a second hold is refused under the lot's lock (lockLots), so two NCMRs created
// at the same moment cannot both hold it. While a hold is open the lot status ledger refuses every
// other change of the lot's status (a release by a person included), and production refuses to
// consume it because it is not released.

export { openHoldsOfRecord, openHoldsOnLots, type OpenLotHold } from './open-lot-holds';

/** Why a lot cannot be held by a new NCMR, as a refusal; null when it can. */
async function holdRefusal(tx: Executor, lot: LotRow, open: OpenLotHold | undefined, recordId: string | null): Promise<MaterialRefusal | null> {
  if (open && open.recordId !== recordId) {
    return new MaterialRefusal('lot_held', `Lot ${lot.lotNumber} is held by ${open.recordNumber}: one NCMR at a time holds a lot.`, {
      lotId: lot.id,
      lotNumber: lot.lotNumber,
      heldByRecordId: open.recordId,
      heldByRecordNumber: open.recordNumber,
    });
  }
  const latest = await latestLotStatusEvent(tx, lot.id);
  const status = latest?.status ?? null;
  if (status === 'on_hold' && latest!.causedByRecordId && latest!.causedByRecordId !== recordId) {
    // On hold by another record (a change control, say): only that record lifts its hold.
    const [holder] = await tx.select({ number: records.number }).from(records).where(eq(records.id, latest!.causedByRecordId));
    const number = holder?.number ?? latest!.causedByRecordId;
    return new MaterialRefusal('lot_held', `Lot ${lot.lotNumber} is on hold by ${number}: only that record lifts its hold.`, {
      lotId: lot.id,
      lotNumber: lot.lotNumber,
      heldByRecordId: latest!.causedByRecordId,
      heldByRecordNumber: holder?.number ?? null,
    });
  }
  if (status === null || (status !== 'on_hold' && !mayMoveLot(status, 'on_hold'))) {
    return new MaterialRefusal('transition_not_allowed', `Lot ${lot.lotNumber} is ${status ?? 'without a status'}: it cannot be put on hold.`, {
      lotId: lot.id,
      lotNumber: lot.lotNumber,
      status,
      requested: 'on_hold',
    });
  }
  return null;
}

/**
 * Refuses, writing nothing, when a new NCMR could not hold every one of these lots: a lot unknown
 * (`unknown_lot`), held by another NCMR or on hold by another record (`lot_held`, naming it), or
 * scrapped or consumed (`transition_not_allowed`). The API asks this before it starts an NCMR, so
 * the refusal is an answer (409) before any workflow runs; the hold itself checks again under the lots' lock.
 */
export async function assertLotsMayBeHeld(db: Executor, lotIds: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    const locked = await lockLots(tx, lotIds);
    const open = await openHoldsOnLots(tx, lotIds);
    for (const lotId of [...new Set(lotIds)]) {
      const lot = locked.get(lotId);
      if (!lot) throw new MaterialRefusal('unknown_lot', `No lot with id ${lotId}.`, { lotId });
      const refusal = await holdRefusal(
        tx,
        lot,
        open.find((h) => h.lotId === lotId),
        null,
      );
      if (refusal) throw refusal;
    }
  });
}

export interface HoldInput {
  recordId: string;
  lotIds: string[];
  reason: string;
  actor: MaterialActor;
  at?: Date;
}

/**
 * Puts the lots on hold by the NCMR `recordId`, in the caller's transaction: for each lot a status
 * event (on hold, caused by the NCMR; none when the lot is on hold already without a record) and a
 * hold row keeping the status it had. Lots this NCMR holds already are skipped, so a retry writes
 * nothing twice. Refused, with nothing written, as assertLotsMayBeHeld refuses.
 */
export async function holdLotsForNcmr(tx: Executor, input: HoldInput): Promise<{ held: OpenLotHold[]; placed: number }> {
  const at = input.at ?? new Date();
  const locked = await lockLots(tx, input.lotIds);
  const open = await openHoldsOnLots(tx, input.lotIds);
  const [record] = await tx.select({ number: records.number }).from(records).where(eq(records.id, input.recordId));
  if (!record) throw new MaterialRefusal('unknown_record', `No record with id ${input.recordId}.`, { recordId: input.recordId });
  const already = await tx.select({ lotId: ncmrLotHolds.lotId }).from(ncmrLotHolds).where(eq(ncmrLotHolds.recordId, input.recordId));
  let placed = 0;
  for (const lotId of [...new Set(input.lotIds)].sort()) {
    const lot = locked.get(lotId);
    if (!lot) throw new MaterialRefusal('unknown_lot', `No lot with id ${lotId}.`, { lotId });
    if (already.some((h) => h.lotId === lotId)) continue;
    const refusal = await holdRefusal(
      tx,
      lot,
      open.find((h) => h.lotId === lotId),
      input.recordId,
    );
    if (refusal) throw refusal;
    const previous = (await latestLotStatusEvent(tx, lot.id))!.status;
    // The event first: once the hold row exists, the ledger refuses every change but the NCMR's release.
    if (previous !== 'on_hold') {
      await recordLotStatusEvent(tx, { lotId, status: 'on_hold', reason: input.reason, actor: input.actor, causedBy: { recordId: input.recordId }, at });
    }
    await tx.insert(ncmrLotHolds).values({ id: randomUUID(), lotId, recordId: input.recordId, previousStatus: previous, heldAt: at });
    await appendAuditEvent(tx, {
      occurredAt: at,
      actorId: input.actor.id,
      actorName: input.actor.name,
      action: 'lot.held',
      entityType: 'lot',
      entityId: lot.id,
      recordId: input.recordId,
      newValue: { lotNumber: lot.lotNumber, heldBy: record.number, previousStatus: previous },
      reason: input.reason,
    });
    placed += 1;
  }
  return { held: await openHoldsOfRecord(tx, input.recordId), placed };
}

export interface HoldSettlement {
  status: LotStatus;
  reason: string;
}

/**
 * Ends the NCMR's open holds, in the caller's transaction: each lot gets the status `settle`
 * chooses for its hold (the disposition's, or the status it had before), as a release row and,
 * when the status changes, a status event caused by the NCMR. Holds released already are not
 * open any more, so a retry writes nothing twice. Returns what each lot was given.
 */
export async function releaseNcmrHolds(
  tx: Executor,
  input: { recordId: string; actor: MaterialActor; settle: (hold: OpenLotHold) => HoldSettlement; at?: Date },
): Promise<{ lotId: string; status: LotStatus }[]> {
  const at = input.at ?? new Date();
  const holds = await openHoldsOfRecord(tx, input.recordId);
  const locked = await lockLots(
    tx,
    holds.map((h) => h.lotId),
  );
  const given: { lotId: string; status: LotStatus }[] = [];
  for (const hold of holds) {
    const lot = locked.get(hold.lotId)!;
    const { status, reason } = input.settle(hold);
    // The release first: the ledger refuses a status change while the hold is open.
    await tx.insert(ncmrLotHoldReleases).values({ holdId: hold.holdId, releasedAt: at, status, reason });
    const current = (await latestLotStatusEvent(tx, lot.id))!.status;
    if (current !== status) {
      await recordLotStatusEvent(tx, { lotId: lot.id, status, reason, actor: input.actor, causedBy: { recordId: input.recordId }, at });
    }
    await appendAuditEvent(tx, {
      occurredAt: at,
      actorId: input.actor.id,
      actorName: input.actor.name,
      action: 'lot.hold_released',
      entityType: 'lot',
      entityId: lot.id,
      recordId: input.recordId,
      oldValue: { status: current, heldBy: hold.recordNumber },
      newValue: { lotNumber: lot.lotNumber, status },
      reason,
    });
    given.push({ lotId: lot.id, status });
  }
  return given;
}

/** Every hold an NCMR placed, open or released, with the status each release gave. */
export function holdsOfRecord(db: Executor, recordId: string) {
  return db
    .select({
      holdId: ncmrLotHolds.id,
      lotId: ncmrLotHolds.lotId,
      previousStatus: ncmrLotHolds.previousStatus,
      heldAt: ncmrLotHolds.heldAt,
      releasedAt: ncmrLotHoldReleases.releasedAt,
      givenStatus: ncmrLotHoldReleases.status,
    })
    .from(ncmrLotHolds)
    .leftJoin(ncmrLotHoldReleases, eq(ncmrLotHoldReleases.holdId, ncmrLotHolds.id))
    .where(eq(ncmrLotHolds.recordId, recordId))
    .orderBy(ncmrLotHolds.lotId);
}
