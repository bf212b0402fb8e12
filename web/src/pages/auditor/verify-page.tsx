import { Alert, Badge, Button, Code, FileInput, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../format';
import { useVerifyPdf, type PdfVerification } from './auditor-queries';
import { BADGE_TONES, READABLE_ALERT_STYLES } from './tones';
import { verdictOf, type VerdictKind } from './verification-verdict';

const VERDICT_COLOURS: Record<VerdictKind, string> = {
  valid: 'teal',
  altered: 'red',
  unknown_signer: 'red',
  revoked: 'red',
  not_sealed: 'orange',
  invalid: 'red',
};

function Verdict({ fileName, result }: { fileName: string; result: PdfVerification }) {
  const { t, i18n } = useTranslation();
  const kind = verdictOf(result);
  return (
    <Stack gap="sm" component="section" aria-label={t('auditor.verify.result')}>
      <Alert
        color={VERDICT_COLOURS[kind]}
        variant="light"
        title={t(`auditor.verify.verdict.${kind}.title`)}
        styles={{ title: { ...READABLE_ALERT_STYLES.title, fontSize: 'var(--mantine-font-size-lg)' } }}
        data-testid="verdict"
        data-verdict={kind}
      >
        <Text size="sm">{t(`auditor.verify.verdict.${kind}.body`, { file: fileName })}</Text>
      </Alert>
      {result.auditCheckpoint && (
        <Text size="sm">
          {t('auditor.verify.checkpoint', {
            seq: result.auditCheckpoint.seq,
            at: formatInstant(result.auditCheckpoint.checkpointedAt, i18n.language),
          })}{' '}
          <Code>{result.auditCheckpoint.hash}</Code>
        </Text>
      )}
      <Table striped aria-label={t('auditor.verify.checks')} data-testid="verification-checks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('auditor.verify.outcome')}</Table.Th>
            <Table.Th scope="col">{t('auditor.verify.check')}</Table.Th>
            <Table.Th scope="col">{t('auditor.verify.detail')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.checks.map((check, index) => (
            <Table.Tr key={index}>
              <Table.Td>
                <Badge color={check.ok ? BADGE_TONES.success : BADGE_TONES.failure} variant="filled" autoContrast>
                  {check.ok ? t('auditor.verify.passed') : t('auditor.verify.failed')}
                </Badge>
              </Table.Td>
              <Table.Td>{check.check}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{check.detail}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('auditor.verify.checksInEnglish')}
      </Text>
    </Stack>
  );
}

/** Upload a PDF (a controlled record or a dossier) and read whether it is intact: the server runs `attestflow verify`'s checks on it. */
export function VerifyPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const verify = useVerifyPdf();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) verify.mutate(file);
  };
  return (
    <Stack maw={1000}>
      <Title order={2}>{t('auditor.verify.title')}</Title>
      <Text c="dimmed">{t('auditor.verify.intro')}</Text>
      <form onSubmit={submit} aria-label={t('auditor.verify.title')}>
        <Group align="end">
          <FileInput
            label={t('auditor.verify.file')}
            description={t('auditor.verify.fileHint')}
            accept="application/pdf,.pdf"
            value={file}
            onChange={(chosen) => {
              setFile(chosen);
              verify.reset();
            }}
            clearable
            clearButtonProps={{ 'aria-label': t('auditor.verify.clear') }}
            w={360}
          />
          <Button type="submit" disabled={!file} loading={verify.isPending}>
            {t('auditor.verify.submit')}
          </Button>
        </Group>
      </form>
      {verify.error && (
        <Alert color="red" title={t('auditor.verify.unreadable')} role="alert" styles={READABLE_ALERT_STYLES}>
          {verify.error.message}
        </Alert>
      )}
      <div aria-live="polite">{verify.data && file && <Verdict fileName={file.name} result={verify.data} />}</div>
    </Stack>
  );
}
