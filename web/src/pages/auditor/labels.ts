import { useTranslation } from 'react-i18next';
import { useProcessText } from '../../i18n/process-text';

/** A process type in words ("Change control"), or the type itself for a process without a translation yet. */
export function useTypeLabel() {
  const { t } = useTranslation();
  return (type: string) => t(`recordTypes.${type}`, { defaultValue: t('recordTypes.other', { type }) });
}

/** A record status in words ("Impact assessment"): its step's label, in the wording of the record's process where given. */
export function useStatusLabel() {
  const names = useProcessText();
  return (status: string, type?: string) => names.step(status, type);
}
