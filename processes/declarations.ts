// Every process's declaration, one line each: read by the workflow bundle's entry (workflows/index.ts)
// and by the labels (processes/labels.ts). Pure, like the declarations themselves.
import type { ProcessType } from '../workflows/contracts/process-contracts';
import type { ProcessDefinition } from '../workflows/steps/definition';
import { capaProcess } from './capa/capa.process';
import { changeControlProcess } from './change-control/change-control.process';
import { documentRevisionProcess } from './document-revision/document-revision.process';
import { ncmrProcess } from './ncmr/ncmr.process';

export const PROCESS_DECLARATIONS: Readonly<Record<ProcessType, ProcessDefinition>> = {
  change_control: changeControlProcess,
  document_revision: documentRevisionProcess,
  capa: capaProcess,
  ncmr: ncmrProcess,
};

export function declarationOf(type: ProcessType): ProcessDefinition {
  return PROCESS_DECLARATIONS[type];
}
