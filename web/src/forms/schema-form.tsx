// The Mantine rendering of the fields form-fields.ts builds, for every form of the browser app (the
// record page's action and signing dialogs, the creation pages): labels and help from the
// translations (field-label.ts), every input labelled, required ones marked, each problem tied to
// its input; custom inputs a page registers (a document's file upload, a picker for a referenced
// register's entries) by field kind or by the register a reference names (widgetOf).
import { Button, Checkbox, Fieldset, Group, NativeSelect, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldText } from './field-label';
import { widgetOf, type Field, type RowsField, type WidgetRegistry } from './form-fields';
import { emptyRow, initialValues, problemsOf, type FieldProblem, type FormValues } from './form-values';

export type SchemaFormApi = UseFormReturnType<FormValues>;

/** Where each problem's sentence is in the translations, and the numbers it takes. */
const MESSAGES: Record<FieldProblem['key'], string> = {
  required: 'forms.required',
  tooShort: 'forms.tooShort',
  tooLong: 'forms.tooLong',
  pattern: 'forms.pattern',
  tooSmall: 'forms.tooSmall',
  tooLarge: 'forms.tooLarge',
  notANumber: 'forms.notANumber',
  tooMany: 'forms.tooMany',
  tooFew: 'formBuilder.tooFew',
  notAbove: 'formBuilder.notAbove',
  notAnOption: 'formBuilder.notAnOption',
  notADate: 'formBuilder.notADate',
};

/** A Mantine form over schema fields: starting values from the schema (and `preset`), its checks (translated) run on submit. */
export function useSchemaForm(fields: readonly Field[], preset?: Record<string, string>): SchemaFormApi {
  const { t } = useTranslation();
  // Taken once, when the form mounts: a preset from the address does not reset what the person typed.
  const [start] = useState(() => initialValues(fields, preset));
  return useForm<FormValues>({
    mode: 'controlled',
    initialValues: start,
    validate: (values) =>
      Object.fromEntries(Object.entries(problemsOf(fields, values)).map(([path, problem]) => [path, t(MESSAGES[problem.key], problem.values ?? {})])),
  });
}

/** Draws a field the builder itself does not know how to fill (a document's file upload, an entry of a register): it receives and sends the field's value. */
export type CustomField = (props: {
  field: Field;
  label: string;
  help?: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) => ReactNode;
/** A page's own inputs, by field kind (`file`) or referenced register (`reference:lot`). */
export type CustomFields = WidgetRegistry<CustomField>;

interface FieldProps {
  form: SchemaFormApi;
  custom?: CustomFields;
}

/** A group's legend, marked as required inputs are (the mark is not read out: the inputs inside say it). */
const legendOf = (label: string, required: boolean) => (
  <>
    {label}
    {required && (
      <span aria-hidden="true" style={{ color: 'var(--mantine-color-error)' }}>
        {' *'}
      </span>
    )}
  </>
);

const at = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

function getAt(values: FormValues, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], values);
}

/** A list of objects: a group per row, each removable, and a button to add one; a problem with the list itself (too few, too many) said under its legend. */
function Rows({ field, path, form, custom }: FieldProps & { field: RowsField; path: string }) {
  const { t } = useTranslation();
  const text = useFieldText();
  const rows = (getAt(form.getValues(), path) as unknown[] | undefined) ?? [];
  const label = text.label(field.name);
  const help = text.help(field.name, field.description);
  const error = form.errors[path];
  const errorId = `${path}-error`;
  const full = field.maxItems !== undefined && rows.length >= field.maxItems;
  return (
    <Fieldset legend={legendOf(label, field.required)} data-path={path}>
      <Stack gap="sm">
        {help && (
          <Text size="sm" c="dimmed">
            {help}
          </Text>
        )}
        {rows.map((_, index) => (
          <Fieldset key={index} legend={t('forms.row', { label, number: index + 1 })} variant="filled">
            <Stack gap="xs">
              <SchemaFieldList fields={field.fields} prefix={`${path}.${index}`} form={form} custom={custom} />
              <Group justify="flex-end">
                <Button variant="subtle" color="red" size="xs" onClick={() => form.removeListItem(path, index)}>
                  {t('forms.removeRow', { label, number: index + 1 })}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        ))}
        {error && (
          <Text size="sm" c="var(--mantine-color-error)" id={errorId}>
            {error}
          </Text>
        )}
        <Group>
          <Button
            variant="default"
            size="xs"
            disabled={full}
            aria-describedby={error ? errorId : undefined}
            onClick={() => {
              form.insertListItem(path, emptyRow(field));
              // "At least one" no longer stands once a row is added; the next submit checks the list again.
              form.clearFieldError(path);
            }}
          >
            {t('forms.addRow', { label })}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/** One field, drawn as its kind says; labels and choices from the translations, help from the schema. */
function SchemaField({ field, prefix, form, custom }: FieldProps & { field: Field; prefix: string }) {
  const { t } = useTranslation();
  const text = useFieldText();
  const path = at(prefix, field.name);
  const label = text.label(field.name);
  const description = text.help(field.name, field.description);
  const common = { label, description, withAsterisk: field.required, 'data-path': path };
  const Custom = widgetOf(field, custom);
  if (Custom) {
    const input = form.getInputProps(path);
    return (
      <Custom
        field={field}
        label={label}
        help={description}
        value={String(input.value ?? '')}
        error={input.error as string | undefined}
        onChange={(value) => form.setFieldValue(path, value)}
      />
    );
  }
  switch (field.kind) {
    case 'text':
    case 'file':
    case 'reference':
      return <TextInput {...common} placeholder={field.kind === 'text' ? field.example : undefined} {...form.getInputProps(path)} />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={2} maxRows={10} {...form.getInputProps(path)} />;
    case 'datetime':
      return <TextInput {...common} type="datetime-local" {...form.getInputProps(path)} />;
    case 'number':
      return (
        <NumberInput {...common} min={field.minimum} max={field.maximum} allowDecimal={!field.integer} clampBehavior="none" {...form.getInputProps(path)} />
      );
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
        <Fieldset legend={legendOf(label, field.required)} data-path={path}>
          <Stack gap="xs">
            {description && (
              <Text size="sm" c="dimmed">
                {description}
              </Text>
            )}
            <SchemaFieldList fields={field.fields} prefix={path} form={form} custom={custom} />
          </Stack>
        </Fieldset>
      );
    case 'rows':
      return <Rows field={field} path={path} form={form} custom={custom} />;
  }
}

/** The fields of a request schema as form inputs (fieldsOf decides which input each one is; `custom` draws the kinds a page fills itself). */
export function SchemaFieldList({ fields, prefix = '', form, custom }: FieldProps & { fields: readonly Field[]; prefix?: string }) {
  return (
    <>
      {fields.map((field) => (
        <SchemaField key={field.name} field={field} prefix={prefix} form={form} custom={custom} />
      ))}
    </>
  );
}
