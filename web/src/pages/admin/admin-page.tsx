import { Badge, Stack, Tabs, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useOpenAlertCount } from './admin-queries';
import { AlertsPanel } from './alerts-panel';
import { PasswordPolicyPanel } from './password-policy-panel';
import { SignatureMeaningsPanel } from './signature-meanings-panel';
import { TrainingPanel } from './training-panel';
import { UsersPanel } from './users-panel';

const TABS = ['users', 'alerts', 'password-policy', 'signature-meanings', 'training'] as const;
type Tab = (typeof TABS)[number];

/** Administration: accounts, alerts, the password policy, signature meanings and training, one tab each, each with its own address (/admin/<tab>). */
export function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab } = useParams();
  const current: Tab = TABS.includes(tab as Tab) ? (tab as Tab) : 'users';
  const openAlerts = useOpenAlertCount();
  return (
    <Stack>
      <Title order={1}>{t('admin.title')}</Title>
      <Tabs value={current} onChange={(value) => navigate(`/admin/${value ?? 'users'}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users">{t('admin.usersTitle')}</Tabs.Tab>
          <Tabs.Tab
            value="alerts"
            rightSection={
              openAlerts ? (
                <Badge size="sm" color="red" variant="filled">
                  {openAlerts}
                  <VisuallyHidden>{t('admin.openAlertsHidden')}</VisuallyHidden>
                </Badge>
              ) : undefined
            }
          >
            {t('admin.alertsTitle')}
          </Tabs.Tab>
          <Tabs.Tab value="password-policy">{t('admin.policyTitle')}</Tabs.Tab>
          <Tabs.Tab value="signature-meanings">{t('admin.meanings.title')}</Tabs.Tab>
          <Tabs.Tab value="training">{t('admin.training.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UsersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="alerts" pt="md">
          <AlertsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="password-policy" pt="md">
          <PasswordPolicyPanel />
        </Tabs.Panel>
        <Tabs.Panel value="signature-meanings" pt="md">
          <SignatureMeaningsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="training" pt="md">
          <TrainingPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
