import { Alert, List, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SignatureVerification } from './record-queries';

/**
 * Whether one signature verifies, in words (11.70): by the signer's own certificate from the
 * organisation CA, not revoked when it signed, and bound to the content hash of the version it
 * signs; when it does not, which check failed and the server's reason. `verification` is undefined
 * while it is read.
 */
export function SignatureVerificationState({ verification, version }: { verification: SignatureVerification | undefined; version: number }) {
  const { t } = useTranslation();
  if (!verification) return <Loader size="xs" aria-label={t('signatureCheck.checking')} />;
  if (verification.valid)
    return (
      <Stack gap={2} data-verification="valid">
        <Text fw={700} c="teal.9">
          {t('signatureCheck.valid')}
        </Text>
        <Text size="xs">{t('signatureCheck.validDetail', { version })}</Text>
      </Stack>
    );
  const failed = verification.checks.filter((c) => !c.ok);
  return (
    <Stack gap={2} data-verification="invalid">
      <Text fw={700} c="red.9">
        {t('signatureCheck.invalid')}
      </Text>
      <List size="xs" spacing={2}>
        {failed.map((c) => (
          <List.Item key={c.code}>
            {t(`signatureCheck.failed.${c.code}`)}{' '}
            <Text span size="xs" c="dimmed" lang="en">
              ({c.detail})
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** Said once above the table when the verifications cannot be read (the signatures are still listed). */
export function SignatureVerificationUnavailable({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('signatureCheck.unavailable')}>
      {message}
    </Alert>
  );
}
