import { useTranslation } from 'react-i18next';
import type { AllowedAction } from '../../api/process-api';
import { humanise } from '../../forms/field-label';
import { useProcessText } from '../../i18n/process-text';

/** How actions, steps and signature meanings of a record of `type` read in the interface (translated; else the API's name made readable). */
export function useActionText(type: string) {
  const { t } = useTranslation();
  const names = useProcessText();
  const step = (name: string) => names.step(name, type);
  const meaning = names.meaning;
  return {
    step,
    meaning,
    /** What the meaning says in words (the signature manifestation's meaning, 21 CFR 11.50). */
    statement: (name: string) => t(`meaningStatements.${name}`, { defaultValue: '' }),
    /** The button that starts the action: "Sign: Approved", "Submit: Impact assessment". */
    button: (action: AllowedAction) =>
      t(`actions.${action.action}`, { step: step(action.step), meaning: action.meaning ? meaning(action.meaning) : '', defaultValue: humanise(action.action) }),
  };
}
