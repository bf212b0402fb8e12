import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateUser, type RoleName } from './admin-queries';
import { ReasonField, Refusal } from './reason-field';
import { RoleCheckboxes } from './role-checkboxes';

/**
 * A new account. The one-time password is shown once, here, to hand over; it is kept nowhere in the
 * app (closing the dialog forgets it) and the person must replace it at first sign-in.
 */
export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [printedName, setPrintedName] = useState('');
  const [roles, setRoles] = useState<RoleName[]>([]);
  const [reason, setReason] = useState('');
  const create = useCreateUser();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ username, printedName, roles, reason });
  };
  return (
    <Modal opened onClose={onClose} title={t('admin.createTitle')} closeButtonProps={{ 'aria-label': t('admin.close') }} size="lg">
      {create.data ? (
        <Stack>
          <Alert color="indigo" title={t('admin.created', { username: create.data.username })}>
            <Text>{t('admin.oneTimePasswordOnce')}</Text>
            <Code block data-testid="one-time-password" fz="lg" mt="xs">
              {create.data.oneTimePassword}
            </Code>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('admin.handedOver')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Refusal error={create.error} title={t('admin.refused')} />
            <TextInput
              label={t('admin.username')}
              description={t('admin.usernameHelp')}
              required
              autoComplete="off"
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
            />
            <TextInput
              label={t('admin.printedName')}
              description={t('admin.printedNameHelp')}
              required
              autoComplete="off"
              value={printedName}
              onChange={(event) => setPrintedName(event.currentTarget.value)}
            />
            <RoleCheckboxes value={roles} onChange={setRoles} />
            <ReasonField value={reason} onChange={setReason} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('admin.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('admin.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
