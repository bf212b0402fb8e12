import { Alert, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acknowledgeEsignaturePolicy, type EsignaturePolicy } from '../../api/process-api';
import { ME_QUERY_KEY } from '../../session/session';
import { ActionError } from './action-error';
import { newSignatureId } from './signature-id';

export const POLICY_QUERY_KEY = ['esignature-policy'] as const;

/**
 * The one-time acknowledgement of the e-signature policy (21 CFR 11.10(j), 11.100(c)), itself a
 * signature: shown in the signing dialog before a person's first signature on a record.
 */
export function PolicyAcknowledgement({ policy, needsUsername, onCancel }: { policy: EsignaturePolicy; needsUsername: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [signatureId] = useState(newSignatureId);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => acknowledgeEsignaturePolicy({ signatureId, password, ...(needsUsername ? { username } : {}) }),
    // The acknowledgement was the session's first signature: read the person again (no username
    // asked now) before the policy, whose change shows the signing form.
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ME_QUERY_KEY });
      await client.invalidateQueries({ queryKey: POLICY_QUERY_KEY });
    },
    onError: () => setPassword(''),
  });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <Stack gap="sm">
        <Alert color="indigo" title={t('policy.first')}>
          {t('policy.intro')}
        </Alert>
        <Title order={3} size="h4">
          {policy.title} (v{policy.version})
        </Title>
        <Stack gap={4} component="blockquote" m={0} data-testid="esignature-policy">
          {policy.text.split('\n').map((line) => (
            <Text key={line} size="sm">
              {line}
            </Text>
          ))}
        </Stack>
        {needsUsername && (
          <TextInput label={t('signing.username')} autoComplete="username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
        )}
        <PasswordInput
          label={t('signing.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        {mutation.error && <ActionError error={mutation.error} nothingSigned />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('dialog.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {t('policy.acknowledge')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
