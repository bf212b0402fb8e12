import { Alert, Badge, Button, Group, Loader, Menu, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../format';
import { USERS_PAGE_SIZE, useUsers, type AdminUser, type UserAction } from './admin-queries';
import { CreateUserDialog } from './create-user-dialog';
import { RolesDialog } from './roles-dialog';
import { ACTION_KEYS, UserActionDialog } from './user-action-dialog';

type Dialog = { kind: 'create' } | { kind: 'roles'; user: AdminUser } | { kind: 'action'; user: AdminUser; action: UserAction };

/** The actions offered on a row: unlock only when locked, enable or disable by status. */
function actionsFor(user: AdminUser): UserAction[] {
  return [
    ...(user.locked ? (['unlock'] as const) : []),
    user.status === 'disabled' ? 'enable' : 'disable',
    'reset-password',
    'reset-password/approve',
    'revoke-sessions',
  ];
}

/** Accounts: who they are, their roles, whether they may sign in; and every change to them, with a reason. */
export function UsersPanel() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(0);
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim(), 300);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const users = useUsers(page, text);
  const rows = users.data ?? [];
  const close = () => setDialog(null);
  return (
    <Stack>
      <Group justify="space-between" align="end">
        <TextInput
          label={t('admin.search')}
          description={t('admin.searchHelp')}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(0);
          }}
          w={320}
        />
        <Button onClick={() => setDialog({ kind: 'create' })}>{t('admin.createUser')}</Button>
      </Group>
      {users.isPending && <Loader aria-label={t('app.loading')} />}
      {users.error && (
        <Alert color="red" title={t('errors.generic')} role="alert">
          {users.error.message}
        </Alert>
      )}
      {users.isSuccess && rows.length === 0 && <Text>{t('admin.noUsers')}</Text>}
      {rows.length > 0 && (
        <Table striped highlightOnHover aria-label={t('admin.usersTitle')} data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.username')}</Table.Th>
              <Table.Th scope="col">{t('admin.printedName')}</Table.Th>
              <Table.Th scope="col">{t('admin.roles')}</Table.Th>
              <Table.Th scope="col">{t('admin.status')}</Table.Th>
              <Table.Th scope="col">{t('admin.createdAt')}</Table.Th>
              <Table.Th scope="col">{t('admin.actionsColumn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((user) => (
              <Table.Tr key={user.id} data-user-id={user.id}>
                <Table.Th scope="row">{user.username}</Table.Th>
                <Table.Td>{user.printedName}</Table.Td>
                <Table.Td>{user.roles.map((role) => t(`roles.${role}`, { defaultValue: role })).join(', ')}</Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <Badge color={user.status === 'active' ? 'teal.9' : 'gray.7'} variant="filled">
                      {t(`admin.statuses.${user.status}`, { defaultValue: user.status })}
                    </Badge>
                    {user.locked && (
                      <Badge color="red" variant="filled">
                        {t('admin.locked')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{formatInstant(user.createdAt, i18n.language)}</Table.Td>
                <Table.Td>
                  {/* No focus placeholder: axe counts it as a child a menu may not have (aria-required-children). */}
                  <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
                    <Menu.Target>
                      <Button size="xs" variant="default" aria-label={t('admin.actionsFor', { username: user.username })}>
                        {t('admin.actionsColumn')}
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => setDialog({ kind: 'roles', user })}>{t('admin.changeRoles')}</Menu.Item>
                      {actionsFor(user).map((action) => (
                        <Menu.Item key={action} onClick={() => setDialog({ kind: 'action', user, action })}>
                          {t(`admin.actions.${ACTION_KEYS[action]}.menu`)}
                        </Menu.Item>
                      ))}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button variant="default" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          {t('inbox.previous')}
        </Button>
        <Text>{t('inbox.page', { page: page + 1 })}</Text>
        <Button variant="default" disabled={rows.length < USERS_PAGE_SIZE} onClick={() => setPage((p) => p + 1)}>
          {t('inbox.next')}
        </Button>
      </Group>
      {dialog?.kind === 'create' && <CreateUserDialog onClose={close} />}
      {dialog?.kind === 'roles' && <RolesDialog user={dialog.user} onClose={close} />}
      {dialog?.kind === 'action' && <UserActionDialog user={dialog.user} action={dialog.action} onClose={close} />}
    </Stack>
  );
}
