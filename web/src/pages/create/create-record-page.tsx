import { Alert, Anchor, Button, Fieldset, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { bodyOf, fieldsOf } from '../../forms/form-fields';
import type { CreatableProcess } from '../../forms/openapi-processes';
import { SchemaFieldList, useSchemaForm, type CustomFields } from '../../forms/schema-form';
import { DocumentFileField } from '../documents/document-file-field';
import { LotPickerField } from '../material/lot-picker-field';
import { useNewRecordLabel } from './create-index-page';
import { createRecord, submitRecord, useCreatableProcesses, type CreatedRecord } from './create-queries';

const CUSTOM: CustomFields = { file: DocumentFileField, 'reference:lot': LotPickerField };

/** An API refusal in words: its sentence, and each problem it lists. */
function refusalText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const problems = (error.details.details as { problems?: unknown } | undefined)?.problems ?? error.details.problems;
  return Array.isArray(problems) && problems.length ? `${error.message} ${problems.join(' ')}` : error.message;
}

const recordPath = (record: CreatedRecord) => `/records/${record.type}/${record.id}`;

/**
 * The creation form of one process, and its draft's own fields: everything the submission schema
 * asks that creation does not (plain fields, nested groups such as a CAPA's investigation, lists of
 * objects such as its actions), to create and submit in one go.
 */
function CreateRecordForm({ process }: { process: CreatableProcess }) {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const labelOf = useNewRecordLabel();
  const fields = useMemo(() => {
    const create = fieldsOf(process.create);
    const draft = process.submit ? fieldsOf(process.submit, { omit: create.map((f) => f.name) }) : [];
    return { create, draft };
  }, [process]);
  const createForm = useSchemaForm(fields.create, Object.fromEntries(search.entries()));
  const draftForm = useSchemaForm(fields.draft);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ text: string; created?: CreatedRecord }>();

  const title = labelOf(process.route, process.label);
  const hasProblems = Object.keys(createForm.errors).length + Object.keys(draftForm.errors).length > 0;

  const send = async (andSubmit: boolean) => {
    setRefusal(undefined);
    const createCheck = createForm.validate();
    if (andSubmit) {
      if (draftForm.validate().hasErrors || createCheck.hasErrors) return;
    } else {
      draftForm.clearErrors();
      if (createCheck.hasErrors) return;
    }
    setBusy(true);
    let created: CreatedRecord | undefined;
    try {
      created = await createRecord(process.route, bodyOf(fields.create, createForm.getValues()));
      if (andSubmit) await submitRecord(process.route, created.id, bodyOf(fields.draft, draftForm.getValues()));
      void navigate(recordPath(created));
    } catch (error) {
      setRefusal({ text: refusalText(error), created });
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void send(submitter?.getAttribute('value') === 'submit');
  };

  return (
    <Stack maw={760}>
      <Title order={1}>{title}</Title>
      <Text c="dimmed">{t('create.formIntro')}</Text>
      <form onSubmit={onSubmit} noValidate aria-label={title}>
        <Stack>
          <SchemaFieldList fields={fields.create} form={createForm} custom={CUSTOM} />
          {fields.draft.length > 0 && (
            <Fieldset legend={t('create.draftLegend')}>
              <Text size="sm" mb="sm">
                {t('create.draftIntro')}
              </Text>
              <Stack gap="sm">
                <SchemaFieldList fields={fields.draft} form={draftForm} custom={CUSTOM} />
              </Stack>
            </Fieldset>
          )}
          {hasProblems && (
            <Alert color="red" role="alert" title={t('create.checkFields')}>
              {t('create.checkFieldsHelp')}
            </Alert>
          )}
          {refusal && (
            <Alert color="red" role="alert" title={refusal.created ? t('create.createdNotSubmitted', { number: refusal.created.number }) : t('create.refused')}>
              <Text size="sm">{refusal.text}</Text>
              {refusal.created && (
                <Anchor component={Link} to={recordPath(refusal.created)}>
                  {t('create.openCreated', { number: refusal.created.number })}
                </Anchor>
              )}
            </Alert>
          )}
          <Group>
            <Button type="submit" name="then" value="create" loading={busy} variant={fields.draft.length ? 'default' : 'filled'}>
              {t('create.create')}
            </Button>
            {fields.draft.length > 0 && (
              <Button type="submit" name="then" value="submit" loading={busy}>
                {t('create.createAndSubmit')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

/** A new record of any process, its form built from the process's creation request schema; then the new record's page opens. */
export function CreateRecordPage() {
  const { t } = useTranslation();
  const { route = '' } = useParams();
  const { processes, isPending, error } = useCreatableProcesses();
  const process = processes?.find((p) => p.route === route);
  if (isPending) return <Loader aria-label={t('app.loading')} />;
  if (error || !process)
    return (
      <Alert color="red" title={t('errors.generic')} role="alert">
        {error?.message ?? t('create.unknownProcess', { route })}
      </Alert>
    );
  return <CreateRecordForm key={route} process={process} />;
}
