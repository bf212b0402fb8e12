import { LOT_STATUSES } from '../schema/material';
import { LOT_TRANSITIONS, lotTransitionRefusal, mayMoveLot } from './lot-status-rules';

describe('lot status transitions', () => {
  test('a scrapped or consumed lot never changes again', () => {
    for (const to of LOT_STATUSES) {
      expect(mayMoveLot('scrapped', to)).toBe(false);
      expect(mayMoveLot('consumed', to)).toBe(false);
    }
    expect(lotTransitionRefusal('L-1', 'scrapped', 'released')).toBe('Lot L-1 is scrapped, which is final: it cannot become released.');
  });

  test('only a released lot becomes consumed', () => {
    expect(LOT_STATUSES.filter((from) => mayMoveLot(from, 'consumed'))).toEqual(['released']);
  });

  test('a rejected lot is released only through a hold (an NCMR disposition), never directly', () => {
    expect(mayMoveLot('rejected', 'released')).toBe(false);
    expect(mayMoveLot('rejected', 'on_hold')).toBe(true);
    expect(mayMoveLot('on_hold', 'released')).toBe(true);
  });

  test('no status moves to itself, and the refusal says so', () => {
    for (const status of LOT_STATUSES) expect(LOT_TRANSITIONS[status]).not.toContain(status);
    expect(lotTransitionRefusal('L-1', 'released', 'released')).toBe('Lot L-1 is already released.');
  });

  test('an allowed move has no refusal; a refused one names where the lot may go', () => {
    expect(lotTransitionRefusal('L-1', 'quarantine', 'released')).toBeNull();
    expect(lotTransitionRefusal('L-1', 'rejected', 'released')).toBe(
      'Lot L-1 is rejected and cannot become released (from rejected it may become on_hold, scrapped).',
    );
  });
});
