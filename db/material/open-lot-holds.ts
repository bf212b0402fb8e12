import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../client';
import { ncmrLotHoldReleases, ncmrLotHolds, records, type LotStatus } from '../schema';

/** A hold of a lot by an NCMR that no release has ended yet. */
export interface OpenLotHold {
  holdId: string;
  lotId: string;
  recordId: string;
  /** The NCMR's number (NCMR-2026-0001). */
  recordNumber: string;
  previousStatus: LotStatus;
}

/**
 * The open NCMR holds on these lots (at most one per lot: a second hold is refused under the lot's
 * lock). Read by the lot status ledger, which refuses every other status change while one is open.
 */
export async function openHoldsOnLots(db: Executor, lotIds: string[]): Promise<OpenLotHold[]> {
  if (!lotIds.length) return [];
  return db
    .select({
      holdId: ncmrLotHolds.id,
      lotId: ncmrLotHolds.lotId,
      recordId: ncmrLotHolds.recordId,
      recordNumber: records.number,
      previousStatus: ncmrLotHolds.previousStatus,
    })
    .from(ncmrLotHolds)
    .innerJoin(records, eq(records.id, ncmrLotHolds.recordId))
    .leftJoin(ncmrLotHoldReleases, eq(ncmrLotHoldReleases.holdId, ncmrLotHolds.id))
    .where(and(inArray(ncmrLotHolds.lotId, [...new Set(lotIds)]), isNull(ncmrLotHoldReleases.holdId)));
}

/** The open holds an NCMR placed. */
export async function openHoldsOfRecord(db: Executor, recordId: string): Promise<OpenLotHold[]> {
  return db
    .select({
      holdId: ncmrLotHolds.id,
      lotId: ncmrLotHolds.lotId,
      recordId: ncmrLotHolds.recordId,
      recordNumber: records.number,
      previousStatus: ncmrLotHolds.previousStatus,
    })
    .from(ncmrLotHolds)
    .innerJoin(records, eq(records.id, ncmrLotHolds.recordId))
    .leftJoin(ncmrLotHoldReleases, eq(ncmrLotHoldReleases.holdId, ncmrLotHolds.id))
    .where(and(eq(ncmrLotHolds.recordId, recordId), isNull(ncmrLotHoldReleases.holdId)))
    .orderBy(ncmrLotHolds.lotId);
}
