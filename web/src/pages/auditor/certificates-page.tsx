import { Alert, Button, Code, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCaCertificate } from './auditor-queries';
import { READABLE_ALERT_STYLES } from './tones';

/** The shell commands of docs/verifying-records.md, with this server's address. */
function commands(origin: string) {
  return {
    download: [
      `curl -o attestflow-ca.pem ${origin}/api/pki/ca.pem`,
      `curl -o attestflow-crl.pem ${origin}/api/pki/crl.pem`,
      'openssl x509 -in attestflow-ca.pem -noout -subject -fingerprint -sha256',
      'openssl crl -in attestflow-crl.pem -noout -text',
    ].join('\n'),
    pdfsig: [
      'mkdir -p ~/.pki/nssdb && certutil -d sql:$HOME/.pki/nssdb -N --empty-password',
      'certutil -d sql:$HOME/.pki/nssdb -A -t "C,C,C" -n "Attestflow organisation CA" -i attestflow-ca.pem',
      'pdfsig -nssdir sql:$HOME/.pki/nssdb dossier.pdf',
    ].join('\n'),
    cli: 'attestflow verify dossier.pdf --ca attestflow-ca.pem',
  };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={3}>{title}</Title>
      {children}
    </Stack>
  );
}

/** The organisation CA and its revocation list, and how to check a PDF with them without trusting this server. */
export function CertificatesPage() {
  const { t } = useTranslation();
  const ca = useCaCertificate();
  const shell = commands(window.location.origin);
  return (
    <Stack maw={900}>
      <Title order={2}>{t('auditor.pki.title')}</Title>
      <Text c="dimmed">{t('auditor.pki.intro')}</Text>
      <Group>
        <Button component="a" href="/api/pki/ca.pem" download="attestflow-ca.pem">
          {t('auditor.pki.downloadCa')}
        </Button>
        <Button component="a" href="/api/pki/crl.pem" download="attestflow-crl.pem" variant="default">
          {t('auditor.pki.downloadCrl')}
        </Button>
      </Group>
      <Section title={t('auditor.pki.fingerprintTitle')}>
        <Text size="sm">{t('auditor.pki.fingerprintIntro')}</Text>
        {ca.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
        {ca.error && (
          <Alert color="red" role="alert" styles={READABLE_ALERT_STYLES}>
            {ca.error.message}
          </Alert>
        )}
        {ca.data &&
          (ca.data.fingerprint ? (
            <Code block data-testid="ca-fingerprint">
              SHA256 Fingerprint={ca.data.fingerprint}
            </Code>
          ) : (
            <Text size="sm">{t('auditor.pki.noFingerprint')}</Text>
          ))}
        <Code block>{shell.download}</Code>
        <Text size="sm">{t('auditor.pki.crl')}</Text>
      </Section>
      <Section title={t('auditor.pki.pdfsigTitle')}>
        <Text size="sm">{t('auditor.pki.pdfsigIntro')}</Text>
        <Code block>{shell.pdfsig}</Code>
        <Text size="sm">{t('auditor.pki.pdfsigExpect')}</Text>
      </Section>
      <Section title={t('auditor.pki.adobeTitle')}>
        <List type="ordered" size="sm">
          <List.Item>{t('auditor.pki.adobe1')}</List.Item>
          <List.Item>{t('auditor.pki.adobe2')}</List.Item>
          <List.Item>{t('auditor.pki.adobe3')}</List.Item>
        </List>
        <Text size="sm">{t('auditor.pki.attachments')}</Text>
      </Section>
      <Section title={t('auditor.pki.cliTitle')}>
        <Code block>{shell.cli}</Code>
        <Text size="sm">{t('auditor.pki.cliIntro')}</Text>
      </Section>
    </Stack>
  );
}
