import { useTranslation } from 'react-i18next';

/** "riskLevel" → "Risk level", "quality_control" → "Quality control", "fileSha256" → "File SHA-256", where the translations have no label. */
export const humanise = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ ([A-Z])/g, (_, c: string) => ` ${c.toLowerCase()}`)
    .replace(/\bsha ?(\d+)/i, 'SHA-$1');

/**
 * Labels for fields and their choices: `fields.<name>` (else `formBuilder.fields.<name>`) and
 * `options.<value>` (else `formBuilder.options.<value>`) from the translations, else the name made
 * readable. Help text: `formBuilder.help.<name>`, the app's own help, wherever it is translated;
 * else, where the schema describes the field, `fieldHelp.<name>` (its translation) or the schema's
 * own description (the API's English).
 */
export function useFieldText() {
  const { t } = useTranslation();
  return {
    label: (name: string) => t([`fields.${name}`, `formBuilder.fields.${name}`], { defaultValue: humanise(name) }),
    option: (value: string) => t([`options.${value}`, `formBuilder.options.${value}`], { defaultValue: humanise(value) }),
    help: (name: string, description: string | undefined) =>
      t([`formBuilder.help.${name}`, ...(description ? [`fieldHelp.${name}`] : [])], { defaultValue: description ?? '' }) || undefined,
  };
}
