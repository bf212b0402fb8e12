import { Alert, List, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { formatInstant } from '../../format';
import { useFieldText } from '../../forms/field-label';
import { ContentValue } from './record-content';

type ContentChange = components['schemas']['ContentChangeView'];
type VersionSummary = components['schemas']['RecordVersionSummaryView'];

/** What changed in the record's content from version `from` to version `to` (GET /api/records/{id}/versions/{from}/changes). */
function useVersionChanges(id: string, from: number, to: number) {
  return useQuery({
    queryKey: ['versionChanges', id, from, to],
    enabled: from !== to,
    // Versions never change once made: the answer for two version numbers stays true.
    staleTime: Infinity,
    queryFn: () => unwrap(api.GET('/api/records/{id}/versions/{from}/changes', { params: { path: { id, from }, query: { to } } })),
  });
}

/** "Impact assessment › Risk level", "Implementation tasks › entry 2 › Owner": keys by their labels, list positions from 1. */
function useFieldPath() {
  const { t } = useTranslation();
  const text = useFieldText();
  return (path: string[]) =>
    path.length === 0
      ? t('signingChanges.wholeContent')
      : path.map((segment) => (/^\d+$/.test(segment) ? t('signingChanges.entry', { n: Number(segment) + 1 }) : text.label(segment))).join(' › ');
}

function Amendment({ version }: { version: VersionSummary }) {
  const { t, i18n } = useTranslation();
  const values = { version: version.version, name: version.createdByName, at: formatInstant(version.createdAt, i18n.language), reason: version.reason };
  return <List.Item>{version.reason ? t('signingChanges.amendment', values) : t('signingChanges.amendmentNoReason', values)}</List.Item>;
}

function ChangeValue({ change, side }: { change: ContentChange; side: 'before' | 'after' }) {
  const { t } = useTranslation();
  const absent = side === 'before' ? change.kind === 'added' : change.kind === 'removed';
  return absent ? <Text c="dimmed">{t('signingChanges.absent')}</Text> : <ContentValue value={change[side]} />;
}

/**
 * What changed since the version the signer read (21 CFR 11.50: they see what they sign): when the
 * record was amended after they opened it, it says so plainly and lists each changed field with its
 * value before and after, and the amendments with their reasons; otherwise it says nothing changed.
 */
export function ChangesSinceRead({ recordId, versionRead, version }: { recordId: string; versionRead: number; version: number }) {
  const { t } = useTranslation();
  const label = useFieldPath();
  const changes = useVersionChanges(recordId, versionRead, version);
  if (versionRead === version)
    return (
      <Text size="sm" data-testid="changes-since-read">
        {t('signingChanges.none', { version })}
      </Text>
    );
  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-yellow-0)" component="section" aria-label={t('signingChanges.title')} data-testid="changes-since-read">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('signingChanges.amendedTitle')}
        </Title>
        <Text size="sm">{t('signingChanges.amended', { read: versionRead, current: version })}</Text>
        {changes.isPending ? (
          <Loader size="sm" aria-label={t('app.loading')} />
        ) : changes.error ? (
          <Alert color="red">{t('signingChanges.failed', { version: versionRead, message: changes.error.message })}</Alert>
        ) : (
          <>
            <List size="sm">
              {changes.data.amendments.map((a) => (
                <Amendment key={a.version} version={a} />
              ))}
            </List>
            {changes.data.changes.length === 0 ? (
              <Text size="sm">{t('signingChanges.sameContent')}</Text>
            ) : (
              <Table withTableBorder layout="fixed" aria-label={t('signingChanges.title')} bg="var(--mantine-color-body)">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col" w="30%">
                      {t('signingChanges.field')}
                    </Table.Th>
                    <Table.Th scope="col">{t('signingChanges.before', { version: changes.data.from.version })}</Table.Th>
                    <Table.Th scope="col">{t('signingChanges.after', { version: changes.data.to.version })}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {changes.data.changes.map((change) => (
                    <Table.Tr key={change.path.join('\u0000')} data-change={change.kind}>
                      <Table.Th scope="row" fw={600}>
                        {label(change.path)}
                      </Table.Th>
                      <Table.Td>
                        <ChangeValue change={change} side="before" />
                      </Table.Td>
                      <Table.Td>
                        <ChangeValue change={change} side="after" />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
