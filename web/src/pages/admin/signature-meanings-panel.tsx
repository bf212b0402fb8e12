import { Alert, Badge, Button, Checkbox, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSetSignatureMeaning, useSignatureMeanings, type SignatureMeaning } from './admin-queries';
import { ReasonField, Refusal } from './reason-field';

const EMPTY: SignatureMeaning = { name: '', description: '', active: true };

/** Adds a meaning, or describes, retires or restores one (a retired meaning stays on the signatures that carry it). */
function MeaningForm({ initial, onDone }: { initial: SignatureMeaning; onDone: () => void }) {
  const { t } = useTranslation();
  const [meaning, setMeaning] = useState(initial);
  const [reason, setReason] = useState('');
  const save = useSetSignatureMeaning();
  const existing = initial.name !== '';
  // The value is read now: React clears currentTarget once the event is handled, before an updater runs.
  const field = (key: 'name' | 'description') => (event: ChangeEvent<HTMLInputElement>) => {
    const value = event.currentTarget.value;
    setMeaning((m) => ({ ...m, [key]: value }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ ...meaning, reason }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} aria-labelledby="meaning-form-title">
      <Stack maw={640}>
        <Title order={2} size="h4" id="meaning-form-title">
          {existing ? t('admin.meanings.changeTitle', { name: initial.name }) : t('admin.meanings.addTitle')}
        </Title>
        <Refusal error={save.error} title={t('admin.refused')} />
        <TextInput
          label={t('admin.meanings.name')}
          description={t('admin.meanings.nameHelp')}
          required
          readOnly={existing}
          value={meaning.name}
          onChange={field('name')}
        />
        <TextInput label={t('admin.meanings.description')} required maxLength={500} value={meaning.description} onChange={field('description')} />
        <Checkbox
          label={t('admin.meanings.offered')}
          checked={meaning.active}
          onChange={(event) => {
            const active = event.currentTarget.checked;
            setMeaning((m) => ({ ...m, active }));
          }}
        />
        <ReasonField value={reason} onChange={setReason} />
        <Group>
          <Button variant="default" onClick={onDone}>
            {t('admin.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('admin.meanings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The meanings a signature can carry (11.50): what each says, and whether signers are still offered it. */
export function SignatureMeaningsPanel() {
  const { t } = useTranslation();
  const meanings = useSignatureMeanings();
  const [editing, setEditing] = useState<SignatureMeaning | null>(null);
  if (meanings.isPending) return <Loader aria-label={t('app.loading')} />;
  if (meanings.error)
    return (
      <Alert color="red" title={t('errors.generic')} role="alert">
        {meanings.error.message}
      </Alert>
    );
  if (editing) return <MeaningForm initial={editing} onDone={() => setEditing(null)} />;
  return (
    <Stack>
      <Text c="dimmed">{t('admin.meanings.intro')}</Text>
      <Table striped aria-label={t('admin.meanings.title')} data-testid="meanings-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('admin.meanings.name')}</Table.Th>
            <Table.Th scope="col">{t('admin.meanings.description')}</Table.Th>
            <Table.Th scope="col">{t('admin.status')}</Table.Th>
            <Table.Th scope="col">{t('admin.actionsColumn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {meanings.data.map((meaning) => (
            <Table.Tr key={meaning.name}>
              <Table.Th scope="row">{meaning.name}</Table.Th>
              <Table.Td>{meaning.description}</Table.Td>
              <Table.Td>
                <Badge color={meaning.active ? 'teal.9' : 'gray.7'} variant="filled">
                  {meaning.active ? t('admin.meanings.active') : t('admin.meanings.retired')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="default" onClick={() => setEditing(meaning)} aria-label={t('admin.meanings.changeOne', { name: meaning.name })}>
                  {t('admin.meanings.change')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Button onClick={() => setEditing(EMPTY)}>{t('admin.meanings.add')}</Button>
      </Group>
    </Stack>
  );
}
