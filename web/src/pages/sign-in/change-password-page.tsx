import { Alert, Button, Container, List, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { useSessionChanged } from '../../session/session';

interface PolicyProblem {
  message: string;
}

/** The first sign-in (and an expired password) asks for a new password before anything else. */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const sessionChanged = useSessionChanged();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/password', { body: { currentPassword, newPassword } })),
    onSuccess: () => sessionChanged(),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(newPassword !== confirm);
    if (newPassword === confirm) change.mutate();
  };
  const error = change.error instanceof ApiError ? change.error : undefined;
  const problems = Array.isArray(error?.details.problems) ? (error.details.problems as PolicyProblem[]) : [];
  return (
    <Container size={480} py={64} component="main" id="main">
      <Paper withBorder shadow="sm" p="lg" radius="md">
        <form onSubmit={submit} aria-labelledby="password-title">
          <Stack>
            <Title order={1} size="h3" id="password-title">
              {t('password.title')}
            </Title>
            <Text>{t('password.intro')}</Text>
            <Text size="sm" c="dimmed" id="password-policy">
              {t('password.policy')}
            </Text>
            {(error || mismatch) && (
              <Alert color="red" title={t('password.rejected')} role="alert">
                {mismatch ? (
                  t('password.mismatch')
                ) : problems.length ? (
                  <List>
                    {problems.map((p) => (
                      <List.Item key={p.message}>{p.message}</List.Item>
                    ))}
                  </List>
                ) : (
                  error?.message
                )}
              </Alert>
            )}
            <PasswordInput
              label={t('password.current')}
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrent(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('password.new')}
              autoComplete="new-password"
              aria-describedby="password-policy"
              required
              value={newPassword}
              onChange={(e) => setNew(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('password.confirm')}
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
            />
            <Button type="submit" loading={change.isPending}>
              {t('password.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}
