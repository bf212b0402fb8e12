import { Combobox, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue, useId } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomField } from '../../forms/schema-form';
import { useLotById, useLotSearch, useRememberLot, type LotEntry } from './lots-queries';

/** "H-0001 · CMP-HOUSING rev. A": how a chosen lot reads in the input. */
const lotName = (lot: LotEntry) => `${lot.lotNumber} · ${lot.item.partNumber} rev. ${lot.item.revision}`;

/**
 * A field that holds a lot's id (the schema marks it `x-attestflow-reference: lot`): the person types
 * part of a lot number or part number and chooses among the matching lots, each shown with its item,
 * status and what is left of it; the chosen lot's id is the value. An ARIA combobox: the arrow keys
 * move through the lots, Enter chooses, Escape closes the list.
 */
export const LotPickerField: CustomField = ({ field, label, help, value, error, onChange }) => (
  <LotPicker label={label} help={help} required={field.required} value={value} error={error} onChange={onChange} />
);

function LotPicker({
  label,
  help,
  required,
  value,
  error,
  onChange,
}: {
  label: string;
  help?: string;
  required: boolean;
  value: string;
  error?: string;
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  // What the person types; null while they are not typing, and the input names the chosen lot.
  const [typed, setTyped] = useState<string | null>(null);
  const [q] = useDebouncedValue((typed ?? '').trim(), 250);
  const search = useLotSearch(q, combobox.dropdownOpened);
  const chosen = useLotById(value);
  const remember = useRememberLot();

  const choose = (lotId: string) => {
    const lot = search.data?.lots.find((l) => l.id === lotId);
    if (lot) remember(lot);
    onChange(lotId);
    setTyped(null);
    combobox.closeDropdown();
  };
  const shown = typed ?? (chosen.data ? lotName(chosen.data) : value);
  const lots = search.data?.lots ?? [];

  return (
    <Combobox store={combobox} onOptionSubmit={choose}>
      <Combobox.Target withExpandedAttribute>
        <TextInput
          id={id}
          label={label}
          description={help}
          placeholder={t('lotPicker.placeholder')}
          withAsterisk={required}
          error={error}
          value={shown}
          autoComplete="off"
          rightSection={search.isFetching ? <Loader size={16} aria-hidden /> : undefined}
          onChange={(event) => {
            const text = event.currentTarget.value;
            setTyped(text);
            if (text.trim() === '') onChange('');
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => {
            combobox.closeDropdown();
            setTyped(null);
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options labelledBy={`${id}-label`} mah={320} style={{ overflowY: 'auto' }}>
          {lots.map((lot) => (
            <Combobox.Option value={lot.id} key={lot.id} active={lot.id === value} aria-selected={lot.id === value}>
              <Text size="sm" fw={600} span>
                {lot.lotNumber}
              </Text>{' '}
              <Text size="sm" span>
                · {lot.item.partNumber} rev. {lot.item.revision}
              </Text>{' '}
              <Text size="xs" c="dimmed">
                {t(`lotPicker.status.${lot.status}`, { defaultValue: lot.status })} ·{' '}
                {t('lotPicker.quantity', { remaining: lot.remaining, quantity: lot.quantity, unit: lot.unit })}
              </Text>
            </Combobox.Option>
          ))}
        </Combobox.Options>
        {/* Outside the listbox, which may hold only options; said as the list changes. */}
        <div aria-live="polite">
          {search.isSuccess && lots.length === 0 && <Combobox.Empty>{t('lotPicker.none')}</Combobox.Empty>}
          {search.isError && <Combobox.Empty>{t('lotPicker.failed')}</Combobox.Empty>}
          {search.data?.more && (
            <Combobox.Footer>
              <Text size="xs" c="dimmed">
                {t('lotPicker.more', { count: lots.length })}
              </Text>
            </Combobox.Footer>
          )}
        </div>
      </Combobox.Dropdown>
    </Combobox>
  );
}
