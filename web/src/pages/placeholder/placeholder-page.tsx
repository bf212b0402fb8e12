import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A part of the app not built yet: says so and points at the API, which already covers it. */
export function PlaceholderPage({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1}>{t(titleKey)}</Title>
      <Text>
        {t('placeholder.text')} <Anchor href="/api/docs">{t('placeholder.apiDocs')}</Anchor>
      </Text>
    </Stack>
  );
}
