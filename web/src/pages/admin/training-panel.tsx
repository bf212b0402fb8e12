import { Button, Group, Loader, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../format';
import {
  useAddTrainingRecord,
  useAddTrainingRequirement,
  useAllUsers,
  useTrainingRecords,
  useTrainingRequirements,
  type TrainingRequirement,
} from './admin-queries';
import { ReasonField, Refusal } from './reason-field';

const EMPTY_REQUIREMENT: TrainingRequirement = { process: '', step: '', documentNumber: '', title: '' };

/** A text field's value read when it changes (React clears currentTarget before a state updater runs). */
const valueOf = (event: ChangeEvent<HTMLInputElement>) => event.currentTarget.value;

/** Which controlled document a person must be trained on to sign a step (11.10(i)); added with a reason. */
function Requirements() {
  const { t } = useTranslation();
  const requirements = useTrainingRequirements();
  const add = useAddTrainingRequirement();
  const [adding, setAdding] = useState(false);
  const [requirement, setRequirement] = useState(EMPTY_REQUIREMENT);
  const [reason, setReason] = useState('');
  const field = (key: keyof TrainingRequirement) => (event: ChangeEvent<HTMLInputElement>) => {
    const value = valueOf(event);
    setRequirement((r) => ({ ...r, [key]: value }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      { ...requirement, reason },
      {
        onSuccess: () => {
          setAdding(false);
          setRequirement(EMPTY_REQUIREMENT);
          setReason('');
        },
      },
    );
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('admin.training.requirements')}
      </Title>
      <Text c="dimmed">{t('admin.training.requirementsIntro')}</Text>
      {requirements.isPending && <Loader aria-label={t('app.loading')} />}
      {requirements.isSuccess && requirements.data.length === 0 && <Text>{t('admin.training.noRequirements')}</Text>}
      {requirements.isSuccess && requirements.data.length > 0 && (
        <Table striped aria-label={t('admin.training.requirements')} data-testid="requirements-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.training.process')}</Table.Th>
              <Table.Th scope="col">{t('admin.training.step')}</Table.Th>
              <Table.Th scope="col">{t('admin.training.documentNumber')}</Table.Th>
              <Table.Th scope="col">{t('admin.training.documentTitle')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {requirements.data.map((r) => (
              <Table.Tr key={`${r.process}/${r.step}/${r.documentNumber}`}>
                <Table.Td>{t(`recordTypes.${r.process}`, { defaultValue: r.process })}</Table.Td>
                <Table.Td>{r.step}</Table.Td>
                <Table.Td>{r.documentNumber}</Table.Td>
                <Table.Td>{r.title}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adding ? (
        <form onSubmit={submit} aria-label={t('admin.training.addRequirement')}>
          <Stack maw={640}>
            <Refusal error={add.error} title={t('admin.refused')} />
            <TextInput
              label={t('admin.training.process')}
              description={t('admin.training.processHelp')}
              required
              value={requirement.process}
              onChange={field('process')}
            />
            <TextInput label={t('admin.training.step')} description={t('admin.training.stepHelp')} required value={requirement.step} onChange={field('step')} />
            <TextInput label={t('admin.training.documentNumber')} required value={requirement.documentNumber} onChange={field('documentNumber')} />
            <TextInput label={t('admin.training.documentTitle')} required value={requirement.title} onChange={field('title')} />
            <ReasonField value={reason} onChange={setReason} />
            <Group>
              <Button variant="default" onClick={() => setAdding(false)}>
                {t('admin.cancel')}
              </Button>
              <Button type="submit" loading={add.isPending}>
                {t('admin.training.saveRequirement')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Group>
          <Button onClick={() => setAdding(true)}>{t('admin.training.addRequirement')}</Button>
        </Group>
      )}
    </Stack>
  );
}

/** A person's training records, and a new one recorded with a reason (append-only: a retraining is a new record). */
function Records() {
  const { t, i18n } = useTranslation();
  const people = useAllUsers(true);
  const [userId, setUserId] = useState<string | null>(null);
  const records = useTrainingRecords(userId);
  const add = useAddTrainingRecord();
  const [documentNumber, setDocumentNumber] = useState('');
  const [revision, setRevision] = useState<number | string>(1);
  const [trainedOn, setTrainedOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!userId) return;
    add.mutate(
      {
        userId,
        documentNumber,
        revision: Number(revision),
        trainedAt: new Date(`${trainedOn}T00:00:00`).toISOString(),
        ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T00:00:00`).toISOString() } : {}),
        reason,
      },
      { onSuccess: () => setReason('') },
    );
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('admin.training.records')}
      </Title>
      <Select
        label={t('admin.training.person')}
        placeholder={t('admin.training.choosePerson')}
        searchable
        data={(people.data ?? []).map((u) => ({ value: u.id, label: `${u.printedName} (${u.username})` }))}
        value={userId}
        onChange={setUserId}
        maw={400}
      />
      {userId && records.isPending && <Loader aria-label={t('app.loading')} />}
      {records.isSuccess && records.data.length === 0 && <Text>{t('admin.training.noRecords')}</Text>}
      {records.isSuccess && records.data.length > 0 && (
        <Table striped aria-label={t('admin.training.records')} data-testid="training-records-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.training.documentNumber')}</Table.Th>
              <Table.Th scope="col">{t('admin.training.revision')}</Table.Th>
              <Table.Th scope="col">{t('admin.training.trainedAt')}</Table.Th>
              <Table.Th scope="col">{t('admin.training.expiresAt')}</Table.Th>
              <Table.Th scope="col">{t('admin.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.data.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.documentNumber}</Table.Td>
                <Table.Td>{r.revision}</Table.Td>
                <Table.Td>{formatInstant(r.trainedAt, i18n.language)}</Table.Td>
                <Table.Td>{r.expiresAt ? formatInstant(r.expiresAt, i18n.language) : t('admin.training.noExpiry')}</Table.Td>
                <Table.Td>{r.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {userId && (
        <form onSubmit={submit} aria-label={t('admin.training.addRecord')}>
          <Stack maw={640}>
            <Refusal error={add.error} title={t('admin.refused')} />
            <TextInput label={t('admin.training.documentNumber')} required value={documentNumber} onChange={(e) => setDocumentNumber(valueOf(e))} />
            <NumberInput label={t('admin.training.revision')} required min={1} value={revision} onChange={setRevision} />
            <TextInput type="date" label={t('admin.training.trainedOn')} required value={trainedOn} onChange={(e) => setTrainedOn(valueOf(e))} />
            <TextInput
              type="date"
              label={t('admin.training.expiresOn')}
              description={t('admin.training.expiresOnHelp')}
              value={expiresOn}
              onChange={(e) => setExpiresOn(valueOf(e))}
            />
            <ReasonField value={reason} onChange={setReason} />
            <Group>
              <Button type="submit" loading={add.isPending}>
                {t('admin.training.addRecord')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** Training requirements and records. */
export function TrainingPanel() {
  return (
    <Stack gap="xl">
      <Requirements />
      <Records />
    </Stack>
  );
}
