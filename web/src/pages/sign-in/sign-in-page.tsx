import { Alert, Anchor, Button, Container, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { useSessionChanged } from '../../session/session';

/** Password first; the authenticator step appears when the API answers `totp_required`. */
export function SignInPage({ notice }: { notice?: string }) {
  const { t } = useTranslation();
  const sessionChanged = useSessionChanged();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [secondFactor, setSecondFactor] = useState<'none' | 'totp' | 'recovery'>('none');
  const [code, setCode] = useState('');
  const signIn = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/auth/login', {
          body: {
            username,
            password,
            ...(secondFactor === 'totp' && code ? { totpCode: code.trim() } : {}),
            ...(secondFactor === 'recovery' && code ? { recoveryCode: code.trim() } : {}),
          },
        }),
      ),
    onSuccess: (me) => sessionChanged(me),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'totp_required') setSecondFactor((f) => (f === 'none' ? 'totp' : f));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  const error = signIn.error instanceof ApiError && !(signIn.error.code === 'totp_required' && !code) ? signIn.error : undefined;
  return (
    <Container size={420} py={64} component="main" id="main">
      <Title order={1} ta="center">
        {t('app.name')}
      </Title>
      <Text c="dimmed" ta="center" mb="lg">
        {t('app.tagline')}
      </Text>
      <Paper withBorder shadow="sm" p="lg" radius="md">
        <form onSubmit={submit} aria-labelledby="sign-in-title">
          <Stack>
            <Title order={2} size="h3" id="sign-in-title">
              {t('signIn.title')}
            </Title>
            {notice && <Alert color="blue">{notice}</Alert>}
            {error && (
              <Alert color="red" title={t('signIn.failed')} role="alert">
                {error.message}
              </Alert>
            )}
            <TextInput
              label={t('signIn.username')}
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('signIn.password')}
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {secondFactor !== 'none' && (
              <>
                <TextInput
                  label={secondFactor === 'totp' ? t('signIn.totp') : t('signIn.recoveryCode')}
                  description={t('signIn.totpHint')}
                  name="code"
                  autoComplete="one-time-code"
                  inputMode={secondFactor === 'totp' ? 'numeric' : 'text'}
                  required
                  autoFocus
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                />
                {secondFactor === 'totp' && (
                  <Anchor component="button" type="button" size="sm" onClick={() => setSecondFactor('recovery')}>
                    {t('signIn.recoveryCode')}
                  </Anchor>
                )}
              </>
            )}
            <Button type="submit" loading={signIn.isPending}>
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
