import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';

export type InboxEntry = components['schemas']['InboxEntryView'];
export const INBOX_PAGE_SIZE = 100;
/** The most tasks the navigation counts exactly; beyond, it shows "500+". */
export const INBOX_COUNT_LIMIT = 500;

export function useInboxPage(page: number) {
  return useQuery({
    queryKey: ['inbox', page],
    queryFn: () => unwrap(api.GET('/api/inbox', { params: { query: { limit: INBOX_PAGE_SIZE, offset: page * INBOX_PAGE_SIZE } } })),
    refetchInterval: 60_000,
  });
}

export function useInboxCount() {
  return useQuery({
    queryKey: ['inbox', 'count'],
    queryFn: async () => (await unwrap(api.GET('/api/inbox', { params: { query: { limit: INBOX_COUNT_LIMIT } } }))).length,
    refetchInterval: 60_000,
  });
}

export const isOverdue = (entry: InboxEntry, now: number) => entry.dueAt !== null && Date.parse(entry.dueAt) < now;
