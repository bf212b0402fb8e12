import { Alert, Anchor, Badge, Button, Group, Loader, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatInstant } from '../../format';
import { DOSSIER_LIST_PAGE_SIZE, useDossierList } from './auditor-queries';
import { DOSSIER_STATUS_TONES, READABLE_ALERT_STYLES } from './tones';

/**
 * The dossiers this person may read, newest first (every dossier for auditors, QA and
 * administrators, else their own): each opens its page with its progress and download.
 */
export function DossierList() {
  const { t, i18n } = useTranslation();
  const [offset, setOffset] = useState(0);
  const list = useDossierList(offset);
  const heading = t('auditor.dossierList.title');
  return (
    <section aria-labelledby="dossier-list-title">
      <Title order={3} id="dossier-list-title" mb="xs">
        {heading}
      </Title>
      {list.isPending && <Loader aria-label={t('app.loading')} />}
      {list.error && (
        <Alert color="red" title={t('errors.generic')} role="alert" styles={READABLE_ALERT_STYLES}>
          {list.error.message}
        </Alert>
      )}
      {list.data && list.data.length === 0 && offset === 0 && <Text c="dimmed">{t('auditor.dossierList.empty')}</Text>}
      {list.data && list.data.length > 0 && (
        <Table striped aria-labelledby="dossier-list-title" data-testid="dossier-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('auditor.dossierList.titleColumn')}</Table.Th>
              <Table.Th scope="col">{t('auditor.dossierList.requested')}</Table.Th>
              <Table.Th scope="col">{t('auditor.dossierList.by')}</Table.Th>
              <Table.Th scope="col">{t('auditor.dossierList.records')}</Table.Th>
              <Table.Th scope="col">{t('auditor.dossierList.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/auditor/dossiers/${d.id}`}>
                    {d.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatInstant(d.requestedAt, i18n.language)}</Table.Td>
                <Table.Td>{d.requestedBy}</Table.Td>
                <Table.Td>{d.records}</Table.Td>
                <Table.Td>
                  <Badge color={DOSSIER_STATUS_TONES[d.status]} variant="filled" autoContrast>
                    {t(`auditor.dossier.status.${d.status}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {(offset > 0 || (list.data?.length ?? 0) === DOSSIER_LIST_PAGE_SIZE) && (
        <Group mt="xs">
          <Button variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - DOSSIER_LIST_PAGE_SIZE))}>
            {t('auditor.dossierList.newer')}
          </Button>
          <Button variant="default" disabled={(list.data?.length ?? 0) < DOSSIER_LIST_PAGE_SIZE} onClick={() => setOffset(offset + DOSSIER_LIST_PAGE_SIZE)}>
            {t('auditor.dossierList.older')}
          </Button>
        </Group>
      )}
    </section>
  );
}
