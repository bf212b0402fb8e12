import { useTranslation } from 'react-i18next';
import { humanise } from '../forms/field-label';

/**
 * How a process's names read: a step (which is also a record's status) in the process's own wording
 * where it has one (`steps.<type>.<step>`: a change control's draft is its "Change request"), else
 * the shared `steps.<step>`; a signature meaning by `meanings.<meaning>`; an audit event's action
 * (`record.approved`) by `auditActions.<action>`; else the name made readable.
 * web/src/i18n/process-labels.spec.ts checks that every registered process has its words.
 */
export function useProcessText() {
  const { t } = useTranslation();
  return {
    step: (name: string, type?: string) => t([...(type ? [`steps.${type}.${name}`] : []), `steps.${name}`], { defaultValue: humanise(name) }),
    meaning: (name: string) => t(`meanings.${name}`, { defaultValue: humanise(name) }),
    auditAction: (name: string) => t(`auditActions.${name}`, { defaultValue: humanise(name.replace('.', '_')) }),
  };
}
