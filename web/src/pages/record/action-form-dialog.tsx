import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { actionPath, postProcessAction, type AllowedAction, type ProcessRecord } from '../../api/process-api';
import { bodyOf, fieldsOf, type Field } from '../../forms/form-fields';
import { requestSchemaOf, type OpenApiDocument } from '../../forms/json-schema';
import { SchemaFieldList, useSchemaForm, type CustomFields } from '../../forms/schema-form';
import { DocumentFileField } from '../documents/document-file-field';
import { LotPickerField } from '../material/lot-picker-field';
import { ActionError } from './action-error';
import { useActionText } from './action-labels';
import { useActionDone, useOpenApiDocument } from './record-queries';

/** Request properties the page fills itself: the version being amended is the one on screen. */
const FILLED_BY_PAGE = ['baseVersion'];
/** A document revision's file (its draft step, an amendment) is uploaded from the form, as on the creation page. */
const CUSTOM: CustomFields = { file: DocumentFileField, 'reference:lot': LotPickerField };

function ActionForm({ record, action, fields, onClose }: { record: ProcessRecord; action: AllowedAction; fields: Field[]; onClose: () => void }) {
  const { t } = useTranslation();
  const text = useActionText(record.type);
  const form = useSchemaForm(fields);
  const done = useActionDone();
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => postProcessAction(record.type, action, record.id, body),
    onSuccess: async () => {
      onClose();
      await done();
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        const body = bodyOf(fields, values);
        mutation.mutate(action.action === 'amend' ? { ...body, baseVersion: record.version } : body);
      })}
    >
      <Stack gap="sm">
        <Text size="sm">{t(`actionIntro.${action.action}`, { defaultValue: '' })}</Text>
        {fields.length === 0 && <Text size="sm">{t('actionIntro.nothingToFill')}</Text>}
        <SchemaFieldList fields={fields} form={form} custom={CUSTOM} />
        {mutation.error && <ActionError error={mutation.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('dialog.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {text.button(action)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function fieldsFor(document: OpenApiDocument, type: string, action: AllowedAction): Field[] {
  const schema = requestSchemaOf(document, actionPath(type, action.action));
  return schema ? fieldsOf(schema, { omit: FILLED_BY_PAGE }) : [];
}

/**
 * Any action that is not a signature (submit, amend, cancel, complete a task, make obsolete): its
 * form is built from the action's request schema in the served OpenAPI document, so a process added
 * later gets its forms with no new code.
 */
export function ActionFormDialog({ record, action, onClose }: { record: ProcessRecord; action: AllowedAction; onClose: () => void }) {
  const { t } = useTranslation();
  const text = useActionText(record.type);
  const document = useOpenApiDocument();
  const fields = useMemo(() => (document.data ? fieldsFor(document.data, record.type, action) : null), [document.data, record.type, action]);
  return (
    <Modal opened onClose={onClose} size="xl" title={`${text.button(action)} · ${record.number}`} closeButtonProps={{ 'aria-label': t('dialog.close') }}>
      {document.error ? (
        <Alert color="red" role="alert">
          {document.error.message}
        </Alert>
      ) : fields === null ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <ActionForm record={record} action={action} fields={fields} onClose={onClose} />
      )}
    </Modal>
  );
}
