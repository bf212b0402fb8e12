import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';

/**
 * A refused action, explained: a headline for the kind of refusal (translated, by the API's code)
 * and the API's own sentence, which names the record, step or rule. `nothingSigned` says so for
 * refused signatures (21 CFR 11.200: a failed attempt leaves no signature).
 */
export function ActionError({ error, nothingSigned = false }: { error: Error; nothingSigned?: boolean }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : 'network';
  const title = t(`refusals.${code}`, { defaultValue: t('refusals.other') });
  const problems =
    error instanceof ApiError && Array.isArray((error.details.details as { problems?: unknown } | undefined)?.problems)
      ? (error.details.details as { problems: unknown[] }).problems.map(String)
      : [];
  return (
    <Alert color="red" title={title} role="alert" data-code={code}>
      <Text size="sm">{error.message}</Text>
      {problems.length > 1 && (
        <List size="sm" mt={4}>
          {problems.map((p) => (
            <List.Item key={p}>{p}</List.Item>
          ))}
        </List>
      )}
      <Text size="sm" mt={4} fw={600}>
        {nothingSigned ? t('refusals.nothingSigned') : t('refusals.nothingChanged')}
      </Text>
    </Alert>
  );
}
