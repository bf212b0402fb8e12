import { Alert, Anchor, Badge, Button, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatInstant } from '../../format';
import { hasAnyRole, useMe } from '../../session/session';
import { documentFileHref, useDocument, type DocumentRevision } from './documents-queries';

/** "dot" badges: the state in its colour beside text in the text colour (light and filled green fall short of WCAG AA contrast). */
const STATUS_COLOUR: Record<DocumentRevision['status'], string> = { effective: 'green', superseded: 'gray', obsolete: 'red', in_process: 'blue' };

/** One controlled document: what it is, its effective revision to download, and every revision with its state. */
export function DocumentPage() {
  const { t, i18n } = useTranslation();
  const { number = '' } = useParams();
  const me = useMe();
  const document = useDocument(number);
  const mayRevise = me.data ? hasAnyRole(me.data, ['document_controller']) : false;

  if (document.isPending) return <Loader aria-label={t('app.loading')} />;
  if (document.error)
    return (
      <Alert color="red" title={t('errors.generic')} role="alert">
        {document.error.message}
      </Alert>
    );
  const doc = document.data;
  const revisions = [...doc.revisions].sort((a, b) => b.revision - a.revision);
  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={1}>
          {doc.number} · {doc.title}
        </Title>
        {mayRevise && (
          <Button component={Link} to={`/create/document-revisions?documentNumber=${encodeURIComponent(doc.number)}`}>
            {t('documents.newRevisionOf', { number: doc.number })}
          </Button>
        )}
      </Group>
      <Table variant="vertical" withTableBorder maw={640} aria-label={t('documents.about')}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('documents.type')}</Table.Th>
            <Table.Td>{t(`docTypes.${doc.docType}`, { defaultValue: doc.docType })}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('documents.owner')}</Table.Th>
            <Table.Td>{doc.owner.printedName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('documents.effectiveRevision')}</Table.Th>
            <Table.Td>
              {doc.effectiveRevision === null ? (
                t('documents.noneEffective')
              ) : (
                <Group gap="sm">
                  <span data-testid="effective-revision">{t('documents.revisionN', { revision: doc.effectiveRevision })}</span>
                  <Anchor href={documentFileHref(doc.number)} download>
                    {t('documents.downloadEffective')}
                  </Anchor>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('periodicReview.detail')}</Table.Th>
            <Table.Td data-testid="next-periodic-review">
              {doc.nextPeriodicReview === null ? t('periodicReview.none') : formatInstant(doc.nextPeriodicReview, i18n.language)}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>

      <Title order={2} size="h3" id="revisions-heading">
        {t('documents.revisions')}
      </Title>
      {revisions.length === 0 && <Text>{t('documents.noRevisions')}</Text>}
      {revisions.length > 0 && (
        <Table striped aria-labelledby="revisions-heading" data-testid="document-revisions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('documents.revision')}</Table.Th>
              <Table.Th scope="col">{t('documents.record')}</Table.Th>
              <Table.Th scope="col">{t('documents.state')}</Table.Th>
              <Table.Th scope="col">{t('documents.since')}</Table.Th>
              <Table.Th scope="col">{t('documents.effectiveDate')}</Table.Th>
              <Table.Th scope="col">{t('documents.file')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {revisions.map((revision) => (
              <Table.Tr key={revision.recordId} data-revision={revision.revision}>
                <Table.Td>{revision.revision}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/records/document_revision/${revision.recordId}`}>
                    {revision.recordNumber}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOUR[revision.status]} variant="dot">
                    {t(`documents.status.${revision.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{revision.statusAt ? formatInstant(revision.statusAt, i18n.language) : t('record.empty')}</Table.Td>
                <Table.Td>{revision.effectiveDate ? formatInstant(revision.effectiveDate, i18n.language) : t('record.empty')}</Table.Td>
                <Table.Td>
                  {revision.file ? (
                    <Stack gap={2}>
                      <Anchor href={documentFileHref(doc.number, revision.revision)} download>
                        {t('documents.downloadRevision', { revision: revision.revision, fileName: revision.file.fileName })}
                      </Anchor>
                      <Text size="xs">
                        SHA-256 <Code>{revision.file.sha256}</Code>
                      </Text>
                    </Stack>
                  ) : (
                    t('documents.noFile')
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
