import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatInstant } from '../../format';
import { INBOX_PAGE_SIZE, isOverdue, useInboxPage, type InboxEntry } from './inbox-queries';

type SortKey = 'opened' | 'due' | 'number';

const compare: Record<SortKey, (a: InboxEntry, b: InboxEntry) => number> = {
  opened: (a, b) => a.openedAt.localeCompare(b.openedAt),
  // Tasks without a due date last.
  due: (a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'),
  number: (a, b) => a.recordNumber.localeCompare(b.recordNumber, undefined, { numeric: true }),
};

/** "My tasks": every open task addressed to the person or to a role they hold, a page at a time (oldest first from the API). */
export function InboxPage() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(0);
  const [type, setType] = useState<string | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [sort, setSort] = useState<SortKey>('opened');
  const inbox = useInboxPage(page);
  const now = Date.now();
  const entries = inbox.data ?? [];
  const types = useMemo(() => [...new Set(entries.map((e) => e.recordType))].sort(), [entries]);
  const shown = entries.filter((e) => (!type || e.recordType === type) && (!overdueOnly || isOverdue(e, now))).sort(compare[sort]);
  const typeLabel = (recordType: string) => t(`recordTypes.${recordType}`, { defaultValue: t('recordTypes.other', { type: recordType }) });
  const askedLabel = (entry: InboxEntry) => t(`asked.${entry.action}`, { step: entry.step, defaultValue: t('asked.other', { action: entry.action }) });

  return (
    <Stack>
      <Title order={1}>{t('inbox.title')}</Title>
      <Text c="dimmed">{t('inbox.intro')}</Text>
      <Group align="end">
        <Select
          label={t('inbox.filterType')}
          placeholder={t('inbox.allTypes')}
          data={types.map((value) => ({ value, label: typeLabel(value) }))}
          value={type}
          onChange={setType}
          clearable
        />
        <Select
          label={t('inbox.sortBy')}
          data={[
            { value: 'opened', label: t('inbox.sortOpened') },
            { value: 'due', label: t('inbox.sortDue') },
            { value: 'number', label: t('inbox.sortNumber') },
          ]}
          value={sort}
          onChange={(value) => setSort((value as SortKey | null) ?? 'opened')}
          allowDeselect={false}
        />
        <Checkbox label={t('inbox.overdueOnly')} checked={overdueOnly} onChange={(e) => setOverdueOnly(e.currentTarget.checked)} mb={8} />
      </Group>
      {inbox.isPending && <Loader aria-label={t('app.loading')} />}
      {inbox.error && (
        <Alert color="red" title={t('errors.generic')} role="alert">
          {inbox.error.message}
        </Alert>
      )}
      {inbox.isSuccess && shown.length === 0 && <Text>{t('inbox.empty')}</Text>}
      {shown.length > 0 && (
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
            {shown.map((entry) => (
              <Table.Tr key={entry.taskId} data-task-id={entry.taskId}>
                <Table.Td>
                  <Anchor component={Link} to={`/records/${entry.recordType}/${entry.recordId}`}>
                    {entry.recordNumber}
                  </Anchor>
                </Table.Td>
                <Table.Td>{typeLabel(entry.recordType)}</Table.Td>
                <Table.Td>{entry.title}</Table.Td>
                <Table.Td>{entry.step}</Table.Td>
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
        <Button variant="default" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          {t('inbox.previous')}
        </Button>
        <Text>{t('inbox.page', { page: page + 1 })}</Text>
        <Button variant="default" disabled={entries.length < INBOX_PAGE_SIZE} onClick={() => setPage((p) => p + 1)}>
          {t('inbox.next')}
        </Button>
      </Group>
    </Stack>
  );
}
