import { Button, Checkbox, Fieldset, Group, NativeSelect, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldText } from './field-label';
import { emptyValue, initialValues, problemsOf, type Field, type FormValues, type RowsField } from './form-fields';

export type SchemaFormApi = UseFormReturnType<FormValues>;

/** A Mantine form over schema fields: starting values from the schema, and its checks (translated) run on submit. */
export function useSchemaForm(fields: readonly Field[]): SchemaFormApi {
  const { t } = useTranslation();
  const start = useMemo(() => initialValues(fields), [fields]);
  return useForm<FormValues>({
    mode: 'controlled',
    initialValues: start,
    validate: (values) =>
      Object.fromEntries(Object.entries(problemsOf(fields, values)).map(([path, problem]) => [path, t(`forms.${problem.key}`, problem.values ?? {})])),
  });
}

const at = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

function Rows({ field, path, form }: { field: RowsField; path: string; form: SchemaFormApi }) {
  const { t } = useTranslation();
  const text = useFieldText();
  const rows = (getAt(form.getValues(), path) as unknown[] | undefined) ?? [];
  const label = text.label(field.name);
  const full = field.maxItems !== undefined && rows.length >= field.maxItems;
  return (
    <Fieldset legend={label}>
      <Stack gap="sm">
        {rows.map((_, index) => (
          <Fieldset key={index} legend={t('forms.row', { label, number: index + 1 })} variant="filled">
            <Stack gap="xs">
              <SchemaFieldList fields={field.fields} prefix={`${path}.${index}`} form={form} />
              <Group justify="flex-end">
                <Button variant="subtle" color="red" size="xs" onClick={() => form.removeListItem(path, index)}>
                  {t('forms.removeRow', { label, number: index + 1 })}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        ))}
        <Group>
          <Button variant="light" size="xs" disabled={full} onClick={() => form.insertListItem(path, emptyRow(field))}>
            {t('forms.addRow', { label })}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

const emptyRow = (field: RowsField) => Object.fromEntries(field.fields.map((f) => [f.name, emptyValue(f)]));

function getAt(values: FormValues, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], values);
}

/** One field, drawn as its kind says; labels and choices from the translations, help from the schema. */
function SchemaField({ field, prefix, form }: { field: Field; prefix: string; form: SchemaFormApi }) {
  const { t } = useTranslation();
  const text = useFieldText();
  const path = at(prefix, field.name);
  const label = text.label(field.name);
  const description = text.help(field.name, field.description);
  const common = { label, description, withAsterisk: field.required, 'data-path': path };
  switch (field.kind) {
    case 'text':
      return <TextInput {...common} placeholder={field.example} {...form.getInputProps(path)} />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={2} maxRows={10} {...form.getInputProps(path)} />;
    case 'number':
      return <NumberInput {...common} min={field.minimum} max={field.maximum} allowDecimal={!field.integer} {...form.getInputProps(path)} />;
    case 'boolean':
      return <Checkbox label={label} description={description} data-path={path} {...form.getInputProps(path, { type: 'checkbox' })} />;
    case 'select': {
      const input = form.getInputProps(path);
      return (
        <NativeSelect
          {...common}
          data={[{ value: '', label: t('forms.choose') }, ...field.options.map((value) => ({ value, label: text.option(value) }))]}
          {...input}
          value={(input.value as string | null) ?? ''}
          onChange={(event) => form.setFieldValue(path, event.currentTarget.value === '' ? null : event.currentTarget.value)}
        />
      );
    }
    case 'choices':
      return (
        <Checkbox.Group {...common} {...form.getInputProps(path)}>
          <Group gap="md" mt={4}>
            {field.options.map((value) => (
              <Checkbox key={value} value={value} label={text.option(value)} />
            ))}
          </Group>
        </Checkbox.Group>
      );
    case 'lines':
      return (
        <Textarea
          {...common}
          description={[description, t('forms.onePerLine')].filter(Boolean).join(' ')}
          autosize
          minRows={2}
          maxRows={8}
          {...form.getInputProps(path)}
        />
      );
    case 'group':
      return (
        <Fieldset legend={label}>
          <Stack gap="xs">
            {description && (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            )}
            <SchemaFieldList fields={field.fields} prefix={path} form={form} />
          </Stack>
        </Fieldset>
      );
    case 'rows':
      return <Rows field={field} path={path} form={form} />;
  }
}

/** The fields of a request schema as form inputs (fieldsOf decides which input each one is). */
export function SchemaFieldList({ fields, prefix = '', form }: { fields: readonly Field[]; prefix?: string; form: SchemaFormApi }) {
  return (
    <>
      {fields.map((field) => (
        <SchemaField key={field.name} field={field} prefix={prefix} form={form} />
      ))}
    </>
  );
}
