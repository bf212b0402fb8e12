import { useTranslation } from 'react-i18next';

/** "riskLevel" → "Risk level", "quality_control" → "Quality control", where the translations have no label. */
export const humanise = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ ([A-Z])/g, (_, c: string) => ` ${c.toLowerCase()}`);

/**
 * Labels for fields and their choices: `fields.<name>` and `options.<value>` from the translations,
 * else the name made readable. Help text: `fieldHelp.<name>` where translated (Chinese), else the
 * schema's own description (the API's English).
 */
export function useFieldText() {
  const { t } = useTranslation();
  return {
    label: (name: string) => t(`fields.${name}`, { defaultValue: humanise(name) }),
    option: (value: string) => t(`options.${value}`, { defaultValue: humanise(value) }),
    help: (name: string, description: string | undefined) => (description ? t(`fieldHelp.${name}`, { defaultValue: description }) : undefined),
  };
}
