import { Table, Text } from '@mantine/core';
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { humanise, useFieldText } from '../../forms/field-label';

/**
 * Whose content is laid out: the process type, its own field labels (ProcessRecordView.fieldLabels)
 * and the fields whose values are choices (dotted paths, from its request schemas: enumPathsOf).
 */
interface ContentProcess {
  type: string;
  fieldLabels: Record<string, string>;
  choices?: ReadonlySet<string>;
}
const NO_CHOICES: ReadonlySet<string> = new Set();
const ContentProcessContext = createContext<ContentProcess>({ type: '', fieldLabels: {} });

/**
 * A content field's label, by its dotted path without array indices ("impact.riskLevel"): the
 * translation of the process's own label where the app has one (`processFields.<type>.<path>`, the
 * path's dots written as slashes), else the process's label, else the field's generic label
 * (`fields.<name>`, or the name made readable).
 */
function FieldLabel({ path }: { path: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const generic = useFieldText();
  const { type, fieldLabels } = useContext(ContentProcessContext);
  const dotted = path.join('.');
  const key = `processFields.${type}.${path.join('/')}`;
  const own = fieldLabels[dotted];
  if (own !== undefined) return <>{i18n.exists(key) ? t(key) : own}</>;
  return <>{generic.label(path.at(-1)!)}</>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any JSON value laid out for reading: fields as label and value, lists, and lists of objects as tables. */
export function ContentValue({ value, path = [] }: { value: unknown; path?: readonly string[] }) {
  const { t } = useTranslation();
  const { choices = NO_CHOICES } = useContext(ContentProcessContext);
  // Choices are named where the app names them: options, the form builder's options, document types, roles.
  const option = (v: string) => t([`options.${v}`, `formBuilder.options.${v}`, `docTypes.${v}`, `roles.${v}`], { defaultValue: humanise(v) });
  // A choice reads as its label ("low" as "Low", 低); anything else as it was written.
  const choice = choices.has(path.join('.'));
  if (value === null || value === undefined || value === '') return <Text c="dimmed">{t('record.empty')}</Text>;
  if (choice && typeof value === 'string') return <>{option(value)}</>;
  if (choice && Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return <>{value.map(option).join(', ')}</>;
  if (typeof value === 'boolean') return <>{value ? t('record.yes') : t('record.no')}</>;
  if (typeof value !== 'object') return <Text style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</Text>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <Text c="dimmed">{t('record.none')}</Text>;
    if (value.every(isPlainObject)) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row)))];
      return (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c} scope="col">
                  <FieldLabel path={[...path, c]} />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {value.map((row, i) => (
              <Table.Tr key={i}>
                {columns.map((c) => (
                  <Table.Td key={c}>
                    <ContentValue value={row[c]} path={[...path, c]} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      );
    }
    return <>{value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}</>;
  }
  return <ContentFields content={value as Record<string, unknown>} path={path} />;
}

/** A process's record content, its fields named as the process names them. */
export function RecordContent({ content, type, fieldLabels, choices }: { content: Record<string, unknown> } & ContentProcess) {
  return (
    <ContentProcessContext.Provider value={{ type, fieldLabels, choices }}>
      <ContentFields content={content} />
    </ContentProcessContext.Provider>
  );
}

export function ContentFields({ content, path = [] }: { content: Record<string, unknown>; path?: readonly string[] }) {
  return (
    <Table variant="vertical" withTableBorder layout="fixed">
      <Table.Tbody>
        {Object.entries(content).map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Th w={220} scope="row">
              <FieldLabel path={[...path, key]} />
            </Table.Th>
            <Table.Td>
              <ContentValue value={value} path={[...path, key]} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
