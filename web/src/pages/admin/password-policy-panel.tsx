import { Alert, Button, Group, Loader, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { usePasswordPolicy, useSetPasswordPolicy, type PasswordPolicy, type PolicyInput, type RoleName } from './admin-queries';
import { ReasonField, Refusal } from './reason-field';
import { RoleCheckboxes } from './role-checkboxes';

const asNumber = (value: string | number) => (typeof value === 'number' ? value : Number.parseInt(value, 10));

function PolicyForm({ current, onDone }: { current: PasswordPolicy; onDone: () => void }) {
  const { t } = useTranslation();
  const [policy, setPolicy] = useState<PolicyInput>({
    minLength: current.minLength,
    maxAgeDays: current.maxAgeDays,
    historyCount: current.historyCount,
    lockoutThreshold: current.lockoutThreshold,
    requireTotpForRoles: current.requireTotpForRoles as RoleName[],
  });
  const [reason, setReason] = useState('');
  const save = useSetPasswordPolicy();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ policy, reason }, { onSuccess: onDone });
  };
  const set = (field: 'minLength' | 'historyCount' | 'lockoutThreshold') => (value: string | number) => setPolicy((p) => ({ ...p, [field]: asNumber(value) }));
  return (
    <form onSubmit={submit} aria-label={t('admin.policyEdit')}>
      <Stack maw={640}>
        <Refusal error={save.error} title={t('admin.refused')} />
        <NumberInput label={t('admin.policy.minLength')} min={8} max={128} required value={policy.minLength} onChange={set('minLength')} />
        <NumberInput
          label={t('admin.policy.maxAgeDays')}
          description={t('admin.policy.maxAgeDaysHelp')}
          min={1}
          max={3650}
          value={policy.maxAgeDays ?? ''}
          onChange={(value) => setPolicy((p) => ({ ...p, maxAgeDays: value === '' ? null : asNumber(value) }))}
        />
        <NumberInput label={t('admin.policy.historyCount')} min={0} max={24} required value={policy.historyCount} onChange={set('historyCount')} />
        <NumberInput label={t('admin.policy.lockoutThreshold')} min={3} max={20} required value={policy.lockoutThreshold} onChange={set('lockoutThreshold')} />
        <RoleCheckboxes
          label={t('admin.policy.requireTotpForRoles')}
          description={t('admin.policy.requireTotpHelp')}
          value={policy.requireTotpForRoles}
          onChange={(roles) => setPolicy((p) => ({ ...p, requireTotpForRoles: roles }))}
        />
        <ReasonField value={reason} onChange={setReason} />
        <Group>
          <Button variant="default" onClick={onDone}>
            {t('admin.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('admin.policySave')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The password and lockout policy in force (11.300(a), (b), (d)); a change is a new version, with a reason. */
export function PasswordPolicyPanel() {
  const { t } = useTranslation();
  const policy = usePasswordPolicy();
  const [editing, setEditing] = useState(false);
  if (policy.isPending) return <Loader aria-label={t('app.loading')} />;
  if (policy.error)
    return (
      <Alert color="red" title={t('errors.generic')} role="alert">
        {policy.error.message}
      </Alert>
    );
  const current = policy.data;
  if (editing) return <PolicyForm current={current} onDone={() => setEditing(false)} />;
  const rows: [string, string][] = [
    [t('admin.policy.minLength'), String(current.minLength)],
    [t('admin.policy.maxAgeDays'), current.maxAgeDays === null ? t('admin.policy.noExpiry') : String(current.maxAgeDays)],
    [t('admin.policy.historyCount'), String(current.historyCount)],
    [t('admin.policy.lockoutThreshold'), String(current.lockoutThreshold)],
    [
      t('admin.policy.requireTotpForRoles'),
      current.requireTotpForRoles.length
        ? current.requireTotpForRoles.map((role) => t(`roles.${role}`, { defaultValue: role })).join(', ')
        : t('admin.policy.none'),
    ],
    [t('admin.policy.version'), current.version === 0 ? t('admin.policy.defaultVersion') : String(current.version)],
  ];
  return (
    <Stack maw={640}>
      <Text c="dimmed">{t('admin.policyIntro')}</Text>
      <Table aria-label={t('admin.policyTitle')} data-testid="policy-table">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row">{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Button onClick={() => setEditing(true)}>{t('admin.policyChange')}</Button>
      </Group>
    </Stack>
  );
}
