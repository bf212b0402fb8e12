import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components, operations } from '../../api/schema';

export type InboxEntry = components['schemas']['InboxEntryView'];
export type InboxQuery = NonNullable<operations['InboxController_inbox']['parameters']['query']>;
export type InboxSort = NonNullable<InboxQuery['sort']>;
export type InboxDirection = NonNullable<InboxQuery['direction']>;
export type InboxRecordType = NonNullable<InboxQuery['type']>;
export const INBOX_PAGE_SIZE = 100;

/** What the person asks of the inbox; the API filters, orders and counts (GET /api/inbox). */
export interface InboxView {
  page: number;
  type: InboxRecordType | null;
  overdueOnly: boolean;
  sort: InboxSort;
  direction: InboxDirection;
}

export function useInboxPage(view: InboxView) {
  const query: InboxQuery = {
    limit: INBOX_PAGE_SIZE,
    offset: view.page * INBOX_PAGE_SIZE,
    sort: view.sort,
    direction: view.direction,
    ...(view.type ? { type: view.type } : {}),
    ...(view.overdueOnly ? { overdue: 'true' as const } : {}),
  };
  return useQuery({
    queryKey: ['inbox', query],
    queryFn: () => unwrap(api.GET('/api/inbox', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** The number of open tasks, counted by the API (one entry fetched). */
export function useInboxCount() {
  return useQuery({
    queryKey: ['inbox', 'count'],
    queryFn: async () => (await unwrap(api.GET('/api/inbox', { params: { query: { limit: 1 } } }))).total,
    refetchInterval: 60_000,
  });
}

export const isOverdue = (entry: InboxEntry, now: number) => entry.dueAt !== null && Date.parse(entry.dueAt) < now;
