import { Alert, Button, Code, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useUserAction, type AdminUser, type UserAction, type UserActionResult } from './admin-queries';
import { ReasonField, Refusal } from './reason-field';

/** i18n key of each action (admin.actions.<key>): its title, explanation and button. */
export const ACTION_KEYS: Record<UserAction, string> = {
  disable: 'disable',
  enable: 'enable',
  unlock: 'unlock',
  'reset-password': 'resetPassword',
  'reset-password/approve': 'approveReset',
  'revoke-sessions': 'revokeSessions',
};

const hasOutcome = (result: UserActionResult) => result.reset !== undefined || result.sessionsEnded !== undefined;

/** What the administrator must hand over or do next after an action that answers more than "done". */
function Outcome({ result }: { result: UserActionResult }) {
  const { t } = useTranslation();
  if (result.reset) {
    const { completion, oneTimePassword } = result.reset;
    return (
      <Stack>
        <Alert color="indigo" title={t('admin.resetDone')}>
          <Text>{t('admin.oneTimePasswordOnce')}</Text>
          <Code block data-testid="one-time-password" fz="lg" mt="xs">
            {oneTimePassword}
          </Code>
        </Alert>
        <Text>{t('admin.resetFactors')}</Text>
        <List>
          {completion.factors.map((factor) => (
            <List.Item key={factor}>{t(`admin.factors.${factor}`)}</List.Item>
          ))}
        </List>
        {completion.secondAdministratorNeeded && (
          <Alert color="gray" title={t('admin.secondAdministratorNeeded')}>
            {t('admin.secondAdministratorHow')}
          </Alert>
        )}
      </Stack>
    );
  }
  return <Text>{t('admin.sessionsEnded', { count: result.sessionsEnded ?? 0 })}</Text>;
}

/** An account action that needs only a reason: disable, enable, unlock, reset or approve a reset, end sessions. */
export function UserActionDialog({ user, action, onClose }: { user: AdminUser; action: UserAction; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const run = useUserAction();
  const key = ACTION_KEYS[action];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Done is done: the table shows the new state. A reset or an ended session count is shown first.
    run.mutate({ action, id: user.id, reason }, { onSuccess: (result) => void (hasOutcome(result) || onClose()) });
  };
  const finished = run.data && hasOutcome(run.data);
  const title = t(`admin.actions.${key}.title`, { name: user.printedName, username: user.username });
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('admin.close') }} size="lg">
      {finished ? (
        <Stack>
          <Outcome result={run.data!} />
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('admin.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Text>{t(`admin.actions.${key}.explain`, { name: user.printedName, username: user.username })}</Text>
            <Refusal error={run.error} title={t('admin.refused')} />
            <ReasonField value={reason} onChange={setReason} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('admin.cancel')}
              </Button>
              <Button type="submit" loading={run.isPending} color={action === 'disable' ? 'red' : undefined}>
                {t(`admin.actions.${key}.button`)}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
