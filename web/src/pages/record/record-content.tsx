import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFieldText } from '../../forms/field-label';

function FieldLabel({ name }: { name: string }) {
  return <>{useFieldText().label(name)}</>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any JSON value laid out for reading: fields as label and value, lists, and lists of objects as tables. */
export function ContentValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') return <Text c="dimmed">{t('record.empty')}</Text>;
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
                  <FieldLabel name={c} />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {value.map((row, i) => (
              <Table.Tr key={i}>
                {columns.map((c) => (
                  <Table.Td key={c}>
                    <ContentValue value={row[c]} />
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
  return <ContentFields content={value as Record<string, unknown>} />;
}

export function ContentFields({ content }: { content: Record<string, unknown> }) {
  return (
    <Table variant="vertical" withTableBorder layout="fixed">
      <Table.Tbody>
        {Object.entries(content).map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Th w={220} scope="row">
              <FieldLabel name={key} />
            </Table.Th>
            <Table.Td>
              <ContentValue value={value} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
