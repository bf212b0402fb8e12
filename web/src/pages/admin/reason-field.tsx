import { Alert, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Every administrative change states why (Annex 11 §12): at least 3 characters, kept in the audit trail. */
export function ReasonField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  return (
    <Textarea
      label={t('admin.reason')}
      description={t('admin.reasonHelp')}
      required
      minLength={3}
      maxLength={4000}
      autosize
      minRows={2}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}

/** The API's refusal, in its own words (a duty conflict, the last administrator, a reset approved by its requester…). */
export function Refusal({ error, title }: { error: Error | null; title: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} role="alert">
      {error.message}
    </Alert>
  );
}
