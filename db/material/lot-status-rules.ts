import type { LotStatus } from '../schema/material';

/**
 * Which status a lot may move to from which (pure; db/material/lot-status-ledger.ts applies it
 * inside the transaction that writes the event). A lot comes into being in quarantine (received
 * or produced); only a released lot may be consumed; scrapped and consumed are final.
 */
export const LOT_TRANSITIONS: Readonly<Record<LotStatus, readonly LotStatus[]>> = {
  quarantine: ['released', 'on_hold', 'rejected', 'scrapped'],
  released: ['on_hold', 'consumed', 'scrapped', 'quarantine'],
  on_hold: ['released', 'quarantine', 'rejected', 'scrapped'],
  rejected: ['on_hold', 'scrapped'],
  scrapped: [],
  consumed: [],
};

/** The status every lot starts with. */
export const INITIAL_LOT_STATUS: LotStatus = 'quarantine';

export function mayMoveLot(from: LotStatus, to: LotStatus): boolean {
  return LOT_TRANSITIONS[from].includes(to);
}

/** A sentence saying why `from → to` is refused, or null when it is allowed. */
export function lotTransitionRefusal(lotNumber: string, from: LotStatus, to: LotStatus): string | null {
  if (mayMoveLot(from, to)) return null;
  if (from === to) return `Lot ${lotNumber} is already ${from}.`;
  const allowed = LOT_TRANSITIONS[from];
  return allowed.length === 0
    ? `Lot ${lotNumber} is ${from}, which is final: it cannot become ${to}.`
    : `Lot ${lotNumber} is ${from} and cannot become ${to} (from ${from} it may become ${allowed.join(', ')}).`;
}
