import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatInstant } from '../../format';
import { PROCESS_ROUTES } from '../../api/process-api';
import { useProcessText } from '../../i18n/process-text';
import {
  INBOX_PAGE_SIZE,
  isOverdue,
  useInboxPage,
  type InboxDirection,
  type InboxEntry,
  type InboxRecordType,
  type InboxSort,
  type InboxView,
} from './inbox-queries';

const ORDERS = ['opened-asc', 'opened-desc', 'due-asc', 'due-desc'] as const;
type Order = (typeof ORDERS)[number];
const ORDER_LABEL: Record<Order, string> = {
  'opened-asc': 'inbox.sortOpened',
  'opened-desc': 'inbox.sortOpenedNewest',
  'due-asc': 'inbox.sortDue',
  'due-desc': 'inbox.sortDueLatest',
};
const RECORD_TYPES = Object.keys(PROCESS_ROUTES).sort() as InboxRecordType[];

/**
 * "My tasks": every open task addressed to the person or to a role they hold, a page at a time. The
 * API filters (type, overdue), orders (opened or due, either way) and counts; the page shows its answer.
 */
export function InboxPage() {
  const { t, i18n } = useTranslation();
  const names = useProcessText();
  const [view, setView] = useState<InboxView>({ page: 0, type: null, overdueOnly: false, sort: 'opened', direction: 'asc' });
  // A new filter or order starts again at the first page.
  const change = (next: Partial<Omit<InboxView, 'page'>>) => setView((current) => ({ ...current, ...next, page: 0 }));
  const inbox = useInboxPage(view);
  const now = Date.now();
  const entries = inbox.data?.items ?? [];
  const total = inbox.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE));
  const typeLabel = (recordType: string) => t(`recordTypes.${recordType}`, { defaultValue: t('recordTypes.other', { type: recordType }) });
  const askedLabel = (entry: InboxEntry) =>
    t(`asked.${entry.action}`, { step: names.step(entry.step, entry.recordType), defaultValue: t('asked.other', { action: entry.action }) });

  return (
    <Stack>
      <Title order={1}>{t('inbox.title')}</Title>
      <Text c="dimmed">{t('inbox.intro')}</Text>
      <Group align="end">
        <Select
          label={t('inbox.filterType')}
          placeholder={t('inbox.allTypes')}
          data={RECORD_TYPES.map((value) => ({ value, label: typeLabel(value) }))}
          value={view.type}
          onChange={(value) => change({ type: value as InboxRecordType | null })}
          clearable
        />
        <Select
          label={t('inbox.sortBy')}
          data={ORDERS.map((value) => ({ value, label: t(ORDER_LABEL[value]) }))}
          value={`${view.sort}-${view.direction}`}
          onChange={(value) => {
            const [sort, direction] = (value ?? 'opened-asc').split('-') as [InboxSort, InboxDirection];
            change({ sort, direction });
          }}
          allowDeselect={false}
        />
        <Checkbox label={t('inbox.overdueOnly')} checked={view.overdueOnly} onChange={(e) => change({ overdueOnly: e.currentTarget.checked })} mb={8} />
      </Group>
      {inbox.isPending && <Loader aria-label={t('app.loading')} />}
      {inbox.error && (
        <Alert color="red" title={t('errors.generic')} role="alert">
          {inbox.error.message}
        </Alert>
      )}
      {inbox.isSuccess && total === 0 && <Text>{t('inbox.empty')}</Text>}
      {inbox.isSuccess && total > 0 && <Text>{t('inbox.count', { count: total })}</Text>}
      {entries.length > 0 && (
        <Table striped highlightOnHover aria-label={t('inbox.title')} data-testid="inbox-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('inbox.record')}</Table.Th>
              <Table.Th scope="col">{t('inbox.type')}</Table.Th>
              <Table.Th scope="col">{t('inbox.titleColumn')}</Table.Th>
              <Table.Th scope="col">{t('inbox.step')}</Table.Th>
              <Table.Th scope="col">{t('inbox.asked')}</Table.Th>
              <Table.Th scope="col">{t('inbox.opened')}</Table.Th>
              <Table.Th scope="col">{t('inbox.due')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.taskId} data-task-id={entry.taskId}>
                <Table.Td>
                  <Anchor component={Link} to={`/records/${entry.recordType}/${entry.recordId}`}>
                    {entry.recordNumber}
                  </Anchor>
                </Table.Td>
                <Table.Td>{typeLabel(entry.recordType)}</Table.Td>
                <Table.Td>{entry.title}</Table.Td>
                <Table.Td>{names.step(entry.step, entry.recordType)}</Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {askedLabel(entry)}
                    {entry.escalated && (
                      <Badge color="orange" variant="light">
                        {t('inbox.escalated')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{formatInstant(entry.openedAt, i18n.language)}</Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {entry.dueAt ? formatInstant(entry.dueAt, i18n.language) : t('inbox.noDue')}
                    {isOverdue(entry, now) && (
                      <Badge color="red" variant="filled">
                        {t('inbox.overdue')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button variant="default" disabled={view.page === 0} onClick={() => setView((v) => ({ ...v, page: v.page - 1 }))}>
          {t('inbox.previous')}
        </Button>
        <Text>{t('inbox.pageOf', { page: view.page + 1, pages })}</Text>
        <Button variant="default" disabled={view.page + 1 >= pages} onClick={() => setView((v) => ({ ...v, page: v.page + 1 }))}>
          {t('inbox.next')}
        </Button>
      </Group>
    </Stack>
  );
}
