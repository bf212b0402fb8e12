import { Alert, Badge, Button, Checkbox, Group, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../format';
import { useAcknowledgeAlert, useAlerts, useAllUsers, type AdminAlert, type AdminUser } from './admin-queries';
import { ReasonField, Refusal } from './reason-field';
import { UserActionDialog } from './user-action-dialog';

type Dialog = { kind: 'acknowledge'; alert: AdminAlert } | { kind: 'unlock'; user: AdminUser };

export const alertKindLabel = (t: (key: string, options?: Record<string, unknown>) => string, kind: string) =>
  t(`admin.alertKinds.${kind.replace(/\./g, '_')}`, { defaultValue: kind });

function AcknowledgeDialog({ alert, onClose }: { alert: AdminAlert; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const acknowledge = useAcknowledgeAlert();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    acknowledge.mutate({ id: alert.id, reason }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={t('admin.acknowledgeTitle')} closeButtonProps={{ 'aria-label': t('admin.close') }} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Text>{alert.message}</Text>
          <Refusal error={acknowledge.error} title={t('admin.refused')} />
          <ReasonField value={reason} onChange={setReason} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('admin.cancel')}
            </Button>
            <Button type="submit" loading={acknowledge.isPending}>
              {t('admin.acknowledge')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Alerts for administrators (a locked account, 11.300(d)), newest first; each acknowledged with a reason. */
export function AlertsPanel() {
  const { t, i18n } = useTranslation();
  const [openOnly, setOpenOnly] = useState(true);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const alerts = useAlerts(openOnly);
  const rows = alerts.data ?? [];
  const people = useAllUsers(rows.length > 0);
  const byId = new Map((people.data ?? []).map((user) => [user.id, user]));
  const close = () => setDialog(null);
  return (
    <Stack>
      <Checkbox label={t('admin.openOnly')} checked={openOnly} onChange={(event) => setOpenOnly(event.currentTarget.checked)} />
      {alerts.isPending && <Loader aria-label={t('app.loading')} />}
      {alerts.error && (
        <Alert color="red" title={t('errors.generic')} role="alert">
          {alerts.error.message}
        </Alert>
      )}
      {alerts.isSuccess && rows.length === 0 && <Text>{openOnly ? t('admin.noOpenAlerts') : t('admin.noAlerts')}</Text>}
      {rows.length > 0 && (
        <Table striped aria-label={t('admin.alertsTitle')} data-testid="alerts-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.alertKind')}</Table.Th>
              <Table.Th scope="col">{t('admin.alertMessage')}</Table.Th>
              <Table.Th scope="col">{t('admin.raisedAt')}</Table.Th>
              <Table.Th scope="col">{t('admin.acknowledged')}</Table.Th>
              <Table.Th scope="col">{t('admin.actionsColumn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((alert) => {
              const user = alert.userId ? byId.get(alert.userId) : undefined;
              const by = alert.acknowledgedBy ? byId.get(alert.acknowledgedBy) : undefined;
              return (
                <Table.Tr key={alert.id} data-alert-id={alert.id}>
                  <Table.Td>
                    <Badge color={alert.acknowledgedAt ? 'gray.7' : 'red'} variant="filled">
                      {alertKindLabel(t, alert.kind)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{alert.message}</Table.Td>
                  <Table.Td>{formatInstant(alert.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    {alert.acknowledgedAt
                      ? t('admin.acknowledgedBy', { at: formatInstant(alert.acknowledgedAt, i18n.language), name: by?.printedName ?? alert.acknowledgedBy })
                      : t('admin.notAcknowledged')}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {!alert.acknowledgedAt && (
                        <Button size="xs" onClick={() => setDialog({ kind: 'acknowledge', alert })}>
                          {t('admin.acknowledge')}
                        </Button>
                      )}
                      {user?.locked && (
                        <Button size="xs" variant="default" onClick={() => setDialog({ kind: 'unlock', user })}>
                          {t('admin.unlockUser', { username: user.username })}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {dialog?.kind === 'acknowledge' && <AcknowledgeDialog alert={dialog.alert} onClose={close} />}
      {dialog?.kind === 'unlock' && <UserActionDialog user={dialog.user} action="unlock" onClose={close} />}
    </Stack>
  );
}
