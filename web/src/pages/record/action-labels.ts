import { useTranslation } from 'react-i18next';
import type { AllowedAction } from '../../api/process-api';
import { humanise } from '../../forms/field-label';

/** How actions, steps and signature meanings read in the interface (translated; else the API's name made readable). */
export function useActionText() {
  const { t } = useTranslation();
  const step = (name: string) => t(`steps.${name}`, { defaultValue: humanise(name) });
  const meaning = (name: string) => t(`meanings.${name}`, { defaultValue: humanise(name) });
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
