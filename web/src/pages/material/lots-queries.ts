import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';

export type LotEntry = components['schemas']['LotView'];

/** How many lots a picker offers at once; typing more of the lot or part number narrows them. */
export const LOT_PICKER_PAGE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The first lots whose lot number or part number contains `q` (GET /api/lots?q=), ordered by part
 * number and lot number, while `enabled` (the picker's list is open). One more than shown tells
 * whether there are others.
 */
export function useLotSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['lots', 'search', q],
    queryFn: async () => {
      const lots = await unwrap(api.GET('/api/lots', { params: { query: { q: q || undefined, limit: LOT_PICKER_PAGE + 1 } } }));
      return { lots: lots.slice(0, LOT_PICKER_PAGE), more: lots.length > LOT_PICKER_PAGE };
    },
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** One lot by id (what a picker shows for the id it holds); no request for a value that is not an id. */
export function useLotById(id: string) {
  return useQuery<LotEntry>({
    queryKey: ['lots', 'one', id],
    queryFn: () => unwrap(api.GET('/api/lots/{id}', { params: { path: { id } } })),
    enabled: UUID.test(id),
    staleTime: 60_000,
  });
}

/** Remembers a lot chosen from a search, so the picker names it at once without asking again. */
export function useRememberLot() {
  const client = useQueryClient();
  return (lot: LotEntry) => client.setQueryData(['lots', 'one', lot.id], lot);
}
