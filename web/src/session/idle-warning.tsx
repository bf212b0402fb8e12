import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { lastRequestAt } from './last-request';

/** Seconds before the server's idle timeout at which the warning opens. */
const WARN_BEFORE_SECONDS = 60;

/**
 * Warns before the session's idle timeout ends it (the server decides; this only counts from the
 * last answered request), with a way to stay signed in: one harmless authenticated request.
 */
export function IdleWarning({ idleSeconds, onSignOut, onExpired }: { idleSeconds: number; onSignOut: () => void; onExpired: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const left = Math.ceil(idleSeconds - (now - lastRequestAt()) / 1000);
  useEffect(() => {
    if (left <= 0) onExpired();
  }, [left, onExpired]);
  const open = left > 0 && left <= Math.min(WARN_BEFORE_SECONDS, idleSeconds / 2);
  return (
    <Modal opened={open} onClose={() => void api.GET('/api/auth/me')} title={t('idle.title')} centered trapFocus>
      <Text mb="md">{t('idle.body', { seconds: left })}</Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onSignOut}>
          {t('idle.signOut')}
        </Button>
        <Button onClick={() => void api.GET('/api/auth/me')} data-autofocus>
          {t('idle.stay')}
        </Button>
      </Group>
    </Modal>
  );
}
