import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatInstant } from '../../format';
import { RECORD_STATUSES, RECORD_TYPES, useRecordSearch, type RecordListFilters, type RecordStatus, type RecordType } from './auditor-queries';
import { useStatusLabel, useTypeLabel } from './labels';
import { READABLE_ALERT_STYLES } from './tones';

const FILTER_KEYS = ['number', 'type', 'status', 'createdFrom', 'createdTo', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type FilterForm = Record<FilterKey, string>;

/** The filters as the address holds them, so Back from a record returns to the same search. */
function filtersFrom(params: URLSearchParams): RecordListFilters {
  const filters: RecordListFilters = {};
  const text = (key: FilterKey) => params.get(key)?.trim() || undefined;
  filters.number = text('number');
  filters.q = text('q');
  filters.createdFrom = text('createdFrom');
  filters.createdTo = text('createdTo');
  const type = text('type');
  if (type && (RECORD_TYPES as string[]).includes(type)) filters.type = type as RecordType;
  const status = text('status');
  if (status && (RECORD_STATUSES as string[]).includes(status)) filters.status = status as RecordStatus;
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as RecordListFilters;
}

function formFrom(params: URLSearchParams): FilterForm {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as FilterForm;
}

/** Records of every process, by number, type, status, creation date and text, newest first, a page at a time; each opens its read-only record page. */
export function RecordSearchPage() {
  const { t, i18n } = useTranslation();
  const typeLabel = useTypeLabel();
  const statusLabel = useStatusLabel();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<FilterForm>(() => formFrom(params));
  // The cursors of the pages before this one (the first page has none), so "Previous" goes back;
  // kept per search, so another search (or Back to an earlier one) starts from its first page.
  const searchKey = params.toString();
  const [paging, setPaging] = useState<{ searchKey: string; cursors: string[] }>({ searchKey, cursors: [] });
  const cursors = paging.searchKey === searchKey ? paging.cursors : [];
  const setCursors = (next: (previous: string[]) => string[]) => setPaging({ searchKey, cursors: next(cursors) });
  const filters = filtersFrom(params);
  const search = useRecordSearch(filters, cursors.at(-1));
  const field = (key: FilterKey) => ({
    value: form[key],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setForm((f) => ({ ...f, [key]: value }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCursors(() => []);
    setParams(Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== '')));
  };
  const clear = () => {
    setForm(formFrom(new URLSearchParams()));
    setCursors(() => []);
    setParams({});
  };
  const page = search.data;

  return (
    <Stack>
      <Title order={2}>{t('auditor.search.title')}</Title>
      <Text c="dimmed">{t('auditor.search.intro')}</Text>
      <form onSubmit={submit} role="search" aria-label={t('auditor.search.title')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('auditor.search.number')} description={t('auditor.search.numberHint')} {...field('number')} />
            <NativeSelect
              label={t('auditor.search.type')}
              data={[{ value: '', label: t('auditor.search.anyType') }, ...RECORD_TYPES.map((type) => ({ value: type, label: typeLabel(type) }))]}
              {...field('type')}
            />
            <NativeSelect
              label={t('auditor.search.status')}
              data={[{ value: '', label: t('auditor.search.anyStatus') }, ...RECORD_STATUSES.map((status) => ({ value: status, label: statusLabel(status) }))]}
              {...field('status')}
            />
            <TextInput type="date" label={t('auditor.search.createdFrom')} description={t('auditor.search.utcDay')} {...field('createdFrom')} />
            <TextInput type="date" label={t('auditor.search.createdTo')} description={t('auditor.search.utcDay')} {...field('createdTo')} />
            <TextInput label={t('auditor.search.text')} description={t('auditor.search.textHint')} {...field('q')} />
          </SimpleGrid>
          <Group>
            <Button type="submit">{t('auditor.search.submit')}</Button>
            <Button variant="default" onClick={clear}>
              {t('auditor.search.clear')}
            </Button>
          </Group>
        </Stack>
      </form>
      {search.isPending && <Loader aria-label={t('app.loading')} />}
      {search.error && (
        <Alert color="red" title={t('auditor.search.refused')} role="alert" styles={READABLE_ALERT_STYLES}>
          {search.error.message}
        </Alert>
      )}
      {page && (
        <Stack gap="xs" aria-live="polite">
          <Text fw={500} data-testid="search-total">
            {t('auditor.search.total', { count: page.total })}
          </Text>
          {page.items.length > 0 && (
            <Table striped highlightOnHover aria-label={t('auditor.search.results')} data-testid="search-results">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('auditor.search.record')}</Table.Th>
                  <Table.Th scope="col">{t('auditor.search.type')}</Table.Th>
                  <Table.Th scope="col">{t('auditor.search.titleColumn')}</Table.Th>
                  <Table.Th scope="col">{t('auditor.search.status')}</Table.Th>
                  <Table.Th scope="col">{t('auditor.search.author')}</Table.Th>
                  <Table.Th scope="col">{t('auditor.search.created')}</Table.Th>
                  <Table.Th scope="col">{t('auditor.search.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((record) => (
                  <Table.Tr key={record.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/records/${record.type}/${record.id}`}>
                        {record.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{typeLabel(record.type)}</Table.Td>
                    <Table.Td>{record.title ?? '—'}</Table.Td>
                    <Table.Td>
                      <Badge variant="light">{statusLabel(record.status, record.type)}</Badge>
                    </Table.Td>
                    <Table.Td>{record.author.printedName}</Table.Td>
                    <Table.Td>{formatInstant(record.createdAt, i18n.language)}</Table.Td>
                    <Table.Td>{formatInstant(record.updatedAt, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group>
            <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
              {t('auditor.search.previous')}
            </Button>
            <Text>{t('auditor.search.page', { page: cursors.length + 1 })}</Text>
            <Button variant="default" disabled={!page.nextCursor} onClick={() => page.nextCursor && setCursors((c) => [...c, page.nextCursor!])}>
              {t('auditor.search.next')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
