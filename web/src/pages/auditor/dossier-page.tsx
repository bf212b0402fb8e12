import { Alert, Anchor, Badge, Button, Code, Group, List, Loader, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useDossier, type DossierStatus } from './auditor-queries';
import { DOSSIER_STATUS_TONES, READABLE_ALERT_STYLES } from './tones';

/** What the dossier is doing now, in words; the API says when no PDF generator runs (the dossier waits for one). */
function ProgressLine({ dossier }: { dossier: DossierStatus }) {
  const { t } = useTranslation();
  const { done, total, description } = dossier.progress;
  const waiting = description.startsWith('waiting for the PDF generator');
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  const words =
    dossier.status === 'rendering' ? t('auditor.dossier.rendering', { done, total }) : t(`auditor.dossier.statusText.${dossier.status}`, { count: total });
  return (
    <Stack gap={6}>
      <Text data-testid="dossier-progress">{words}</Text>
      {waiting && (
        <Alert color="orange" title={t('auditor.dossier.waitingTitle')} styles={READABLE_ALERT_STYLES}>
          {t('auditor.dossier.waiting')}
        </Alert>
      )}
      <Progress
        value={dossier.status === 'done' ? 100 : percent}
        aria-label={t('auditor.dossier.progressLabel')}
        animated={dossier.status === 'rendering' || dossier.status === 'queued'}
        color={DOSSIER_STATUS_TONES[dossier.status]}
        size="lg"
      />
    </Stack>
  );
}

/** One dossier: its progress, read live until it is done or failed, then its download with the hash the server recorded. */
export function DossierPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const dossier = useDossier(id);
  if (dossier.isPending) return <Loader aria-label={t('app.loading')} />;
  if (dossier.error)
    return (
      <Alert color="red" title={t('errors.generic')} role="alert" styles={READABLE_ALERT_STYLES}>
        {dossier.error.message}
      </Alert>
    );
  const d = dossier.data;
  return (
    <Stack maw={900}>
      <Stack gap={4}>
        <Text c="dimmed">{t('auditor.dossier.kind')}</Text>
        <Title order={2}>{d.title}</Title>
        <Group>
          <Badge size="lg" color={DOSSIER_STATUS_TONES[d.status]} variant="filled" autoContrast data-testid="dossier-status">
            {t(`auditor.dossier.status.${d.status}`)}
          </Badge>
        </Group>
      </Stack>
      <section aria-label={t('auditor.dossier.progress')} aria-live="polite">
        <ProgressLine dossier={d} />
      </section>
      {d.status === 'failed' && (
        <Alert color="red" title={t('auditor.dossier.failed')} role="alert" styles={READABLE_ALERT_STYLES}>
          {d.failureReason ?? d.progress.description}
        </Alert>
      )}
      {d.artifact && (
        <Stack gap="xs" component="section" aria-label={t('auditor.dossier.file')}>
          <Title order={3}>{t('auditor.dossier.file')}</Title>
          <Table variant="vertical" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">{t('auditor.dossier.sha256')}</Table.Th>
                <Table.Td>
                  <Code data-testid="dossier-sha256">{d.artifact.sha256}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">{t('auditor.dossier.size')}</Table.Th>
                <Table.Td>{t('auditor.dossier.bytes', { count: d.artifact.size })}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Group>
            <Button component="a" href={d.artifact.download} download>
              {t('auditor.dossier.download')}
            </Button>
            <Anchor component={Link} to="/auditor/verify">
              {t('auditor.dossier.verifyIt')}
            </Anchor>
          </Group>
          <Text size="sm" c="dimmed">
            {t('auditor.dossier.offline')}{' '}
            <Anchor component={Link} to="/auditor/certificates" underline="always">
              {t('auditor.nav.certificates')}
            </Anchor>
          </Text>
        </Stack>
      )}
      <Stack gap="xs" component="section" aria-label={t('auditor.dossier.records')}>
        <Title order={3}>{t('auditor.dossier.records')}</Title>
        <Text size="sm">{t('auditor.dossier.recordCount', { count: d.recordNumbers.length })}</Text>
        <List>
          {d.recordNumbers.map((number) => (
            <List.Item key={number}>
              <Anchor component={Link} to={`/auditor?number=${encodeURIComponent(number)}`}>
                {number}
              </Anchor>
            </List.Item>
          ))}
        </List>
      </Stack>
    </Stack>
  );
}
