import { Alert, Anchor, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCreatableProcesses } from './create-queries';

/** The process's name in the interface language, else as the API names it. */
export function useNewRecordLabel() {
  const { t } = useTranslation();
  return (route: string, label: string) => t(`create.processes.${route}`, { defaultValue: t('create.newOf', { label: label.toLowerCase() }) });
}

/** "New record": one link per process the API offers, read from its OpenAPI document (a process added later appears here). */
export function CreateIndexPage() {
  const { t } = useTranslation();
  const { processes, isPending, error } = useCreatableProcesses();
  const labelOf = useNewRecordLabel();
  return (
    <Stack>
      <Title order={1}>{t('create.title')}</Title>
      <Text c="dimmed">{t('create.intro')}</Text>
      {isPending && <Loader aria-label={t('app.loading')} />}
      {error && (
        <Alert color="red" title={t('errors.generic')} role="alert">
          {error.message}
        </Alert>
      )}
      <nav aria-label={t('create.title')}>
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0 }}>
          {processes?.map((process) => (
            <li key={process.route}>
              <Anchor component={Link} to={`/create/${process.route}`}>
                {labelOf(process.route, process.label)}
              </Anchor>
            </li>
          ))}
        </Stack>
      </nav>
    </Stack>
  );
}
