import { Alert, Anchor, Badge, Code, Group, List, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatInstant } from '../../format';
import { useProcessText } from '../../i18n/process-text';
import { RecordActions } from './record-actions';
import { RecordContent } from './record-content';
import { useAuditTrail, useContentChoices, useProcessRecord, useRecordPdf, useSignatureVerifications, type ProcessRecord } from './record-queries';
import { SignatureVerificationState, SignatureVerificationUnavailable } from './signature-verification';

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={2} size="h3">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

function Signatures({ record }: { record: ProcessRecord }) {
  const { t, i18n } = useTranslation();
  const names = useProcessText();
  const verifications = useSignatureVerifications(record.id, record.signatures.length);
  if (record.signatures.length === 0) return <Text c="dimmed">{t('record.noSignatures')}</Text>;
  return (
    <>
      {verifications.error && <SignatureVerificationUnavailable message={verifications.error.message} />}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('record.signer')}</Table.Th>
            <Table.Th scope="col">{t('record.signedAt')}</Table.Th>
            <Table.Th scope="col">{t('record.meaning')}</Table.Th>
            <Table.Th scope="col">{t('record.step')}</Table.Th>
            <Table.Th scope="col">{t('record.comment')}</Table.Th>
            <Table.Th scope="col">{t('record.version')}</Table.Th>
            <Table.Th scope="col">{t('signatureCheck.column')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {record.signatures.map((s) => (
            <Table.Tr key={s.id} data-signature-id={s.id}>
              <Table.Td>{s.printedName}</Table.Td>
              <Table.Td>{formatInstant(s.signedAt, i18n.language)}</Table.Td>
              <Table.Td>
                <Group gap={6}>
                  {names.meaning(s.meaning)}
                  {s.invalidated && (
                    <Badge color="gray" variant="outline">
                      {t('record.invalidated')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{names.step(s.step, record.type)}</Table.Td>
              <Table.Td>{s.comment ?? '—'}</Table.Td>
              <Table.Td>{s.recordVersion}</Table.Td>
              <Table.Td>
                {!verifications.error && <SignatureVerificationState verification={verifications.data?.get(s.id)} version={s.recordVersion} />}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

function AuditTrail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const names = useProcessText();
  const trail = useAuditTrail(id);
  if (trail.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  if (trail.error) return <Alert color="red">{trail.error.message}</Alert>;
  return (
    <Table striped data-testid="audit-trail">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">#</Table.Th>
          <Table.Th scope="col">{t('record.when')}</Table.Th>
          <Table.Th scope="col">{t('record.who')}</Table.Th>
          <Table.Th scope="col">{t('record.what')}</Table.Th>
          <Table.Th scope="col">{t('record.reason')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {trail.data.map((e) => (
          <Table.Tr key={e.seq}>
            <Table.Td>{e.seq}</Table.Td>
            <Table.Td>{formatInstant(e.occurredAt, i18n.language)}</Table.Td>
            <Table.Td>{e.actorName}</Table.Td>
            <Table.Td>{names.auditAction(e.action)}</Table.Td>
            <Table.Td>{e.reason ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Any process's record, laid out for reading, with the actions the workflow offers this reader: a
 * process added later appears here, with its forms, with no new page.
 */
export function RecordPage() {
  const { t, i18n } = useTranslation();
  const names = useProcessText();
  const { type = '', id = '' } = useParams();
  const record = useProcessRecord(type, id);
  const pdf = useRecordPdf(id, record.data?.status);
  const choices = useContentChoices(type);
  if (record.isPending) return <Loader aria-label={t('app.loading')} />;
  if (record.error)
    return (
      <Alert color="red" title={t('errors.generic')} role="alert">
        {record.error.message}
      </Alert>
    );
  const r = record.data;
  const typeLabel = t(`recordTypes.${r.type}`, { defaultValue: t('recordTypes.other', { type: r.type }) });
  const title = typeof r.content.title === 'string' ? r.content.title : '';
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Text c="dimmed">{typeLabel}</Text>
        <Title order={1}>
          {r.number} {title && `· ${title}`}
        </Title>
        <Group gap="sm">
          <Badge size="lg" variant="light" data-testid="record-status">
            {names.step(r.status, r.type)}
          </Badge>
          <Text size="sm">{t('record.versionOf', { version: r.version })}</Text>
          <Text size="sm">
            {t('record.contentHash')} <Code>{r.contentHash}</Code>
          </Text>
        </Group>
        {pdf.data && (
          <Anchor href={`/api/records/${r.id}/pdf`} download>
            {t('record.pdf')}
          </Anchor>
        )}
      </Stack>
      <RecordActions record={r} />
      <Section title={t('record.content')}>
        <RecordContent content={r.content} type={r.type} fieldLabels={r.fieldLabels} choices={choices} />
      </Section>
      <Section title={t('record.signatures')}>
        <Signatures record={r} />
      </Section>
      <Section title={t('record.openTasks')}>
        {r.openTasks.length === 0 ? (
          <Text c="dimmed">{t('record.none')}</Text>
        ) : (
          <List>
            {r.openTasks.map((task) => (
              <List.Item key={task.id}>
                {names.step(task.step, r.type)} · {task.title} {task.dueAt && `· ${t('inbox.due')} ${formatInstant(task.dueAt, i18n.language)}`}
              </List.Item>
            ))}
          </List>
        )}
      </Section>
      {r.links.length > 0 && (
        <Section title={t('record.links')}>
          <List>
            {r.links.map((link) => (
              <List.Item key={`${link.relation}-${link.recordId}`}>
                {link.direction === 'to' ? t('record.linkTo') : t('record.linkFrom')} ·{' '}
                {t(`recordTypes.${link.type}`, { defaultValue: t('recordTypes.other', { type: link.type }) })}{' '}
                <Anchor component={Link} to={`/records/${link.type}/${link.recordId}`}>
                  {link.number}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Section>
      )}
      <Section title={t('record.history')}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('record.when')}</Table.Th>
              <Table.Th scope="col">{t('record.from')}</Table.Th>
              <Table.Th scope="col">{t('record.to')}</Table.Th>
              <Table.Th scope="col">{t('record.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.history.map((h, i) => (
              <Table.Tr key={i}>
                <Table.Td>{formatInstant(h.at, i18n.language)}</Table.Td>
                <Table.Td>{h.from ? names.step(h.from, r.type) : '—'}</Table.Td>
                <Table.Td>{names.step(h.to, r.type)}</Table.Td>
                <Table.Td>{h.reason ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section title={t('record.auditTrail')}>
        <AuditTrail id={r.id} />
      </Section>
    </Stack>
  );
}
