import { Badge, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOpenAlertCount } from './admin-queries';

/** The unacknowledged alerts, beside "Administration" in the navigation. */
export function OpenAlertsBadge() {
  const { t } = useTranslation();
  const count = useOpenAlertCount();
  if (!count) return null;
  return (
    <Badge size="sm" color="red" variant="filled" circle={count < 10}>
      {count}
      <VisuallyHidden>{t('admin.openAlertsHidden')}</VisuallyHidden>
    </Badge>
  );
}
