import { useTranslation } from 'react-i18next';

/** A process type in words ("Change control"), or the type itself for a process without a translation yet. */
export function useTypeLabel() {
  const { t } = useTranslation();
  return (type: string) => t(`recordTypes.${type}`, { defaultValue: t('recordTypes.other', { type }) });
}

/** A record status in words ("Impact assessment"), or the status with its underscores as spaces. */
export function useStatusLabel() {
  const { t } = useTranslation();
  return (status: string) => t(`auditor.status.${status}`, { defaultValue: status.replace(/_/g, ' ') });
}
