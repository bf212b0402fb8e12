import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatInstant } from '../../format';
import { hasAnyRole, useMe } from '../../session/session';
import { DOCUMENTS_PAGE_SIZE, useDocumentRegister } from './documents-queries';

/** The document register: every controlled document by number, searched by number or title, a page at a time. */
export function DocumentsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(0);
  const register = useDocumentRegister(q, page);
  const entries = register.data?.entries ?? [];
  const mayRevise = me.data ? hasAnyRole(me.data, ['document_controller']) : false;

  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={1}>{t('documents.title')}</Title>
        {mayRevise && (
          <Button component={Link} to="/create/document-revisions">
            {t('documents.newRevision')}
          </Button>
        )}
      </Group>
      <Text c="dimmed">{t('documents.intro')}</Text>
      <TextInput
        label={t('documents.search')}
        description={t('documents.searchHelp')}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(0);
        }}
        maw={420}
      />
      {register.isPending && <Loader aria-label={t('app.loading')} />}
      {register.error && (
        <Alert color="red" title={t('errors.generic')} role="alert">
          {register.error.message}
        </Alert>
      )}
      {register.isSuccess && entries.length === 0 && <Text>{t('documents.empty')}</Text>}
      {entries.length > 0 && (
        <Table striped highlightOnHover aria-label={t('documents.title')} data-testid="document-register">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('documents.number')}</Table.Th>
              <Table.Th scope="col">{t('documents.titleColumn')}</Table.Th>
              <Table.Th scope="col">{t('documents.type')}</Table.Th>
              <Table.Th scope="col">{t('documents.owner')}</Table.Th>
              <Table.Th scope="col">{t('documents.effectiveRevision')}</Table.Th>
              <Table.Th scope="col">{t('periodicReview.column')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.id} data-document={entry.number}>
                <Table.Td>
                  <Anchor component={Link} to={`/documents/${encodeURIComponent(entry.number)}`}>
                    {entry.number}
                  </Anchor>
                </Table.Td>
                <Table.Td>{entry.title}</Table.Td>
                <Table.Td>{t(`docTypes.${entry.docType}`, { defaultValue: entry.docType })}</Table.Td>
                <Table.Td>{entry.owner.printedName}</Table.Td>
                <Table.Td>
                  {entry.effectiveRevision === null ? t('documents.noneEffective') : t('documents.revisionN', { revision: entry.effectiveRevision })}
                </Table.Td>
                <Table.Td data-testid="next-periodic-review">
                  {entry.nextPeriodicReview === null ? t('periodicReview.none') : formatInstant(entry.nextPeriodicReview, i18n.language)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {(page > 0 || register.data?.more) && (
        <Group>
          <Button variant="default" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
            {t('inbox.previous')}
          </Button>
          <Text size="sm">{t('inbox.page', { page: page + 1 })}</Text>
          <Button variant="default" disabled={!register.data?.more} onClick={() => setPage((p) => p + 1)}>
            {t('inbox.next')}
          </Button>
        </Group>
      )}
      <Text size="xs" c="dimmed">
        {t('documents.pageSize', { count: DOCUMENTS_PAGE_SIZE })}
      </Text>
    </Stack>
  );
}
