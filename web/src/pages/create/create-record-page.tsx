import { Alert, Anchor, Button, Fieldset, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { SchemaFields } from '../../forms/creation/schema-fields-view';
import { bodyOf, fieldsOf, initialValues, validateValues, type FormErrors, type FormValues } from '../../forms/creation/schema-fields';
import { DocumentFileField } from '../documents/document-file-field';
import { useNewRecordLabel } from './create-index-page';
import { createRecord, submitRecord, useCreatableProcesses, type CreatedRecord } from './create-queries';

const CUSTOM = { file: DocumentFileField };

/** An API refusal in words: its sentence, and each problem it lists. */
function refusalText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const problems = (error.details.details as { problems?: unknown } | undefined)?.problems ?? error.details.problems;
  return Array.isArray(problems) && problems.length ? `${error.message} ${problems.join(' ')}` : error.message;
}

/**
 * A new record of any process, its form built from the process's creation request schema; the
 * draft's own fields (the submission schema's plain fields, less what creation already asks) may be
 * filled at once, to create and submit in one go. Then the new record's page opens.
 */
export function CreateRecordPage() {
  const { t } = useTranslation();
  const { route = '' } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const labelOf = useNewRecordLabel();
  const { processes, data: document, isPending, error: loadError } = useCreatableProcesses();
  const process = processes?.find((p) => p.route === route);

  const forms = useMemo(() => {
    if (!document || !process) return undefined;
    const create = fieldsOf(document, process.create);
    const submitFields = process.submit
      ? fieldsOf(
          document,
          process.submit,
          create.map((f) => f.name),
        )
      : [];
    // Nested groups (a CC's impact assessment, a CAPA's investigation) belong to later steps, on the record's page.
    const draft = submitFields.filter((f) => f.kind !== 'unsupported' && f.kind !== 'object');
    return { create, draft };
  }, [document, process]);

  const [values, setValues] = useState<FormValues>();
  const [draftValues, setDraftValues] = useState<FormValues>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ text: string; created?: CreatedRecord }>();

  if (isPending) return <Loader aria-label={t('app.loading')} />;
  if (loadError || !process || !forms)
    return (
      <Alert color="red" title={t('errors.generic')} role="alert">
        {loadError?.message ?? t('create.unknownProcess', { route })}
      </Alert>
    );

  const createValues = values ?? initialValues(forms.create, Object.fromEntries(search.entries()));
  const draft = draftValues ?? initialValues(forms.draft);
  const title = labelOf(process.route, process.label);
  const recordPath = (record: CreatedRecord) => `/records/${record.type}/${record.id}`;

  const send = async (andSubmit: boolean) => {
    const found = { ...validateValues(forms.create, createValues), ...(andSubmit ? validateValues(forms.draft, draft) : {}) };
    setErrors(found);
    setRefusal(undefined);
    if (Object.keys(found).length) return;
    setBusy(true);
    let created: CreatedRecord | undefined;
    try {
      created = await createRecord(process.route, bodyOf(forms.create, createValues));
      if (andSubmit) await submitRecord(process.route, created.id, bodyOf(forms.draft, draft));
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
          <SchemaFields fields={forms.create} values={createValues} errors={errors} onChange={setValues} custom={CUSTOM} />
          {forms.draft.length > 0 && (
            <Fieldset legend={t('create.draftLegend')}>
              <Text size="sm" mb="sm">
                {t('create.draftIntro')}
              </Text>
              <SchemaFields fields={forms.draft} values={draft} errors={errors} onChange={setDraftValues} custom={CUSTOM} />
            </Fieldset>
          )}
          {Object.keys(errors).length > 0 && (
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
            <Button type="submit" name="then" value="create" loading={busy} variant={forms.draft.length ? 'default' : 'filled'}>
              {t('create.create')}
            </Button>
            {forms.draft.length > 0 && (
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
