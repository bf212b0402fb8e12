import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm';
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

/** The holds matching `condition` that have no release row, each with its NCMR's number. */
function openHolds(db: Executor, condition: SQL) {
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
    .where(and(condition, isNull(ncmrLotHoldReleases.holdId)))
    .$dynamic();
}

/**
 * The open NCMR holds on these lots (at most one per lot: a second hold is refused under the lot's
 * lock). Read by the lot status ledger, which refuses every other status change while one is open.
 */
export async function openHoldsOnLots(db: Executor, lotIds: string[]): Promise<OpenLotHold[]> {
  if (!lotIds.length) return [];
  return openHolds(db, inArray(ncmrLotHolds.lotId, [...new Set(lotIds)]));
}

/** The open holds an NCMR placed. */
export async function openHoldsOfRecord(db: Executor, recordId: string): Promise<OpenLotHold[]> {
  return openHolds(db, eq(ncmrLotHolds.recordId, recordId)).orderBy(ncmrLotHolds.lotId);
}
