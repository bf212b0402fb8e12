import { Alert, Button, Group, NativeSelect, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { DossierList } from './dossier-list';
import { RECORD_TYPES, useRequestDossier, type DossierSelection } from './auditor-queries';
import { useTypeLabel } from './labels';
import { READABLE_ALERT_STYLES } from './tones';

type Way = 'numbers' | 'recordAndLinked' | 'type' | 'lot';

/** Record numbers as people paste them: separated by spaces, commas, semicolons or lines; any case. */
export const parseNumbers = (text: string) => [...new Set(text.split(/[\s,;]+/).filter(Boolean))].map((n) => n.toUpperCase());

/**
 * Asks for a sealed dossier in one of the ways the API offers: named records, one record and
 * everything linked to it, a type with a creation date range (whole UTC days), or a lot (the records
 * on it and on every lot in its genealogy; the part number only when two items share the lot number).
 */
export function DossierRequestPage() {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [way, setWay] = useState<Way>(params.get('recordAndLinked') ? 'recordAndLinked' : params.get('lot') ? 'lot' : 'numbers');
  const [title, setTitle] = useState('');
  const [numbers, setNumbers] = useState(params.get('numbers') ?? '');
  const [root, setRoot] = useState(params.get('recordAndLinked') ?? '');
  const [type, setType] = useState<string>(RECORD_TYPES[0]!);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [lot, setLot] = useState(params.get('lot') ?? '');
  const [lotItem, setLotItem] = useState('');
  const request = useRequestDossier();

  const selection = (): DossierSelection => {
    if (way === 'numbers') return { numbers: parseNumbers(numbers) };
    if (way === 'recordAndLinked') return { recordAndLinked: root.trim().toUpperCase() };
    if (way === 'lot') return { lot: lot.trim(), ...(lotItem.trim() ? { item: lotItem.trim() } : {}) };
    // Whole UTC days, both included, as the record search reads its dates.
    return { type, from: from && `${from}T00:00:00.000Z`, to: to && `${to}T23:59:59.999Z` };
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate({ title: title.trim(), selection: selection() }, { onSuccess: (dossier) => void navigate(`/auditor/dossiers/${dossier.id}`) });
  };

  return (
    <Stack maw={640}>
      <Title order={2}>{t('auditor.dossier.requestTitle')}</Title>
      <Text c="dimmed">{t('auditor.dossier.requestIntro')}</Text>
      <form onSubmit={submit} aria-label={t('auditor.dossier.requestTitle')}>
        <Stack gap="sm">
          <TextInput
            label={t('auditor.dossier.title')}
            description={t('auditor.dossier.titleHint')}
            required
            minLength={3}
            maxLength={300}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <Radio.Group label={t('auditor.dossier.way')} value={way} onChange={(value) => setWay(value as Way)}>
            <Stack gap={6} mt={6}>
              <Radio value="numbers" label={t('auditor.dossier.byNumbers')} />
              <Radio value="recordAndLinked" label={t('auditor.dossier.byRecordAndLinked')} />
              <Radio value="type" label={t('auditor.dossier.byType')} />
              <Radio value="lot" label={t('auditor.dossier.byLot')} />
            </Stack>
          </Radio.Group>
          {way === 'numbers' && (
            <Textarea
              label={t('auditor.dossier.numbers')}
              description={t('auditor.dossier.numbersHint')}
              required
              autosize
              minRows={2}
              value={numbers}
              onChange={(e) => setNumbers(e.currentTarget.value)}
            />
          )}
          {way === 'recordAndLinked' && (
            <TextInput
              label={t('auditor.dossier.root')}
              description={t('auditor.dossier.rootHint')}
              required
              value={root}
              onChange={(e) => setRoot(e.currentTarget.value)}
            />
          )}
          {way === 'type' && (
            <>
              <NativeSelect
                label={t('auditor.search.type')}
                data={RECORD_TYPES.map((value) => ({ value, label: typeLabel(value) }))}
                value={type}
                onChange={(e) => setType(e.currentTarget.value)}
              />
              <Group grow>
                <TextInput
                  type="date"
                  required
                  label={t('auditor.search.createdFrom')}
                  description={t('auditor.search.utcDay')}
                  value={from}
                  onChange={(e) => setFrom(e.currentTarget.value)}
                />
                <TextInput
                  type="date"
                  required
                  label={t('auditor.search.createdTo')}
                  description={t('auditor.search.utcDay')}
                  value={to}
                  onChange={(e) => setTo(e.currentTarget.value)}
                />
              </Group>
            </>
          )}
          {way === 'lot' && (
            <Group grow align="flex-start">
              <TextInput
                label={t('auditor.dossier.lot')}
                description={t('auditor.dossier.lotHint')}
                required
                maxLength={100}
                value={lot}
                onChange={(e) => setLot(e.currentTarget.value)}
              />
              <TextInput
                label={t('auditor.dossier.lotItem')}
                description={t('auditor.dossier.lotItemHint')}
                maxLength={100}
                value={lotItem}
                onChange={(e) => setLotItem(e.currentTarget.value)}
              />
            </Group>
          )}
          {request.error && (
            <Alert color="red" title={t('auditor.dossier.refused')} role="alert" styles={READABLE_ALERT_STYLES}>
              {request.error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={request.isPending}>
              {t('auditor.dossier.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      <DossierList />
    </Stack>
  );
}
