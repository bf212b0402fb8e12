// The Mantine rendering of fields built by schema-fields.ts: labels and help text from the
// translations (`fields.<name>`, `fieldHelp.<name>`), else from the field name and the API's
// description; every input labelled, required ones marked, errors tied to their input.
import { Checkbox, Fieldset, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError, FieldSpec, FieldValue, FormErrors, FormValues } from './schema-fields';

/** `riskLevel` → `Risk level`, for fields the translations do not name. */
export const humanise = (name: string) => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return (
    words.charAt(0).toUpperCase() +
    words
      .slice(1)
      .toLowerCase()
      .replace(/\bsha(\d+)/, 'SHA-$1')
  );
};

/** Draws a field the builder itself does not know how to fill (such as a file upload). */
export type CustomField = (props: {
  field: FieldSpec;
  label: string;
  help?: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) => ReactNode;

export interface SchemaFieldsProps {
  fields: readonly FieldSpec[];
  values: FormValues;
  errors: FormErrors;
  onChange: (values: FormValues) => void;
  /** Custom inputs by field kind (e.g. `file`). */
  custom?: Partial<Record<FieldSpec['kind'], CustomField>>;
  /** Prefix of error paths for nested groups. */
  path?: string;
}

export function SchemaFields({ fields, values, errors, onChange, custom, path = '' }: SchemaFieldsProps) {
  const { t } = useTranslation();
  const errorText = (error: FieldError | undefined) => (error ? t(`forms.errors.${error.code}`, { limit: error.limit }) : undefined);
  const set = (name: string, value: FieldValue) => onChange({ ...values, [name]: value });

  return (
    <Stack gap="sm">
      {fields.map((field) => {
        if (field.kind === 'unsupported') return null;
        const label = t(`fields.${field.name}`, { defaultValue: humanise(field.name) });
        const translatedHelp = t(`fieldHelp.${field.name}`, { defaultValue: '' });
        const help = translatedHelp || field.description;
        const key = `${path}${field.name}`;
        const error = errorText(errors[key]);
        const value = values[field.name];
        const text = typeof value === 'string' ? value : '';
        const common = { label, description: help, error, required: field.required, name: key };
        switch (field.kind) {
          case 'object':
            return (
              <Fieldset key={key} legend={label}>
                <SchemaFields
                  fields={field.fields ?? []}
                  values={(value as FormValues | undefined) ?? {}}
                  errors={errors}
                  custom={custom}
                  path={`${key}.`}
                  onChange={(nested) => set(field.name, nested)}
                />
              </Fieldset>
            );
          case 'boolean':
            return (
              <Checkbox
                key={key}
                label={label}
                description={help}
                error={error}
                name={key}
                checked={value === true}
                onChange={(e) => set(field.name, e.currentTarget.checked)}
              />
            );
          case 'select':
            return (
              <NativeSelect
                key={key}
                {...common}
                value={text}
                data={[
                  { value: '', label: t('forms.choose') },
                  ...(field.options ?? []).map((option) => ({ value: option, label: t(`fieldOptions.${option}`, { defaultValue: humanise(option) }) })),
                ]}
                onChange={(e) => set(field.name, e.currentTarget.value)}
              />
            );
          case 'multiselect':
            return (
              <Checkbox.Group key={key} {...common} value={Array.isArray(value) ? value : []} onChange={(chosen) => set(field.name, chosen)}>
                <Stack gap={4} mt={4}>
                  {(field.options ?? []).map((option) => (
                    <Checkbox key={option} value={option} label={t(`fieldOptions.${option}`, { defaultValue: humanise(option) })} />
                  ))}
                </Stack>
              </Checkbox.Group>
            );
          case 'list':
            return (
              <Textarea
                key={key}
                {...common}
                description={[help, t('forms.onePerLine')].filter(Boolean).join(' ')}
                autosize
                minRows={2}
                value={text}
                onChange={(e) => set(field.name, e.currentTarget.value)}
              />
            );
          case 'textarea':
            return <Textarea key={key} {...common} autosize minRows={3} value={text} onChange={(e) => set(field.name, e.currentTarget.value)} />;
          case 'datetime':
            return <TextInput key={key} {...common} type="datetime-local" value={text} onChange={(e) => set(field.name, e.currentTarget.value)} />;
          case 'number':
            return <TextInput key={key} {...common} inputMode="decimal" value={text} onChange={(e) => set(field.name, e.currentTarget.value)} />;
          default: {
            const Custom = custom?.[field.kind];
            if (Custom) return <Custom key={key} field={field} label={label} help={help} value={text} error={error} onChange={(v) => set(field.name, v)} />;
            return <TextInput key={key} {...common} value={text} onChange={(e) => set(field.name, e.currentTarget.value)} />;
          }
        }
      })}
    </Stack>
  );
}
