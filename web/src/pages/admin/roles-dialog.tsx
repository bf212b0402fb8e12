import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSetRoles, type AdminUser, type RoleName } from './admin-queries';
import { ReasonField, Refusal } from './reason-field';
import { RoleCheckboxes } from './role-checkboxes';

/** Changes a person's roles; a duty conflict or the last administrator is refused by the API, in its words. */
export function RolesDialog({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<RoleName[]>(user.roles as RoleName[]);
  const [reason, setReason] = useState('');
  const save = useSetRoles();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: user.id, roles, reason }, { onSuccess: onClose });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('admin.rolesTitle', { name: user.printedName, username: user.username })}
      closeButtonProps={{ 'aria-label': t('admin.close') }}
      size="lg"
    >
      <form onSubmit={submit}>
        <Stack>
          <Refusal error={save.error} title={t('admin.refused')} />
          <RoleCheckboxes value={roles} onChange={setRoles} />
          <ReasonField value={reason} onChange={setReason} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('admin.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('admin.saveRoles')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
