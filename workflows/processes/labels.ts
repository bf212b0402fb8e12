// How a person reads a process's names: its label, each state's, and the content fields that need
// more than their humanised key. Read by the record PDFs (activities/controlled-record.ts).
import type { ProcessDefinition } from '../steps/definition';
import { capaProcess } from './capa.process';
import { changeControlProcess } from './change-control.process';
import { documentRevisionProcess } from './document-revision.process';
import { ncmrProcess } from '../../processes/ncmr/ncmr.process';

const DEFINITIONS: readonly ProcessDefinition[] = [changeControlProcess, documentRevisionProcess, capaProcess, ncmrProcess];

export interface ProcessLabels {
  /** "Change control". */
  type: string;
  /** Every state of the process by key: "effectiveness_verification" → "Effectiveness verification". */
  statuses: Record<string, string>;
  /** Content fields by dotted path without array indices ("impact.riskLevel"). */
  fields: Record<string, string>;
}

/** "effectiveness_verification" → "Effectiveness verification". */
export function humaniseName(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}

/** The labels of a process type; an unknown type gets its name humanised and no state labels. */
export function processLabels(type: string): ProcessLabels {
  const definition = DEFINITIONS.find((d) => d.type === type);
  if (!definition) return { type: humaniseName(type), statuses: {}, fields: {} };
  return {
    type: definition.label ?? humaniseName(type),
    statuses: Object.fromEntries(Object.entries(definition.steps).map(([key, step]) => [key, step.label ?? humaniseName(key)])),
    fields: { ...definition.fieldLabels },
  };
}
