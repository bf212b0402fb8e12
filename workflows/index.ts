// The workflow bundle's entry: every workflow type the worker runs, one per process declaration
// (processes/declarations.ts), each named as PROCESS_WORKFLOWS names it. A type removed from here is
// listed in api/temporal/retired-workflow-types.ts, so that a worker refuses to start while runs of
// it are still open (docs/workflow-versioning.md).
import { PROCESS_DECLARATIONS } from '../processes/declarations';
import type { PROCESS_WORKFLOWS, ProcessInput, ProcessResult, ProcessType } from './contracts/process-contracts';
import { runProcess } from './steps/run-process';

type ProcessWorkflow = (input: ProcessInput) => Promise<ProcessResult>;
const processWorkflow =
  (type: ProcessType): ProcessWorkflow =>
  (input) =>
    runProcess(PROCESS_DECLARATIONS[type], input);

export const changeControlProcess = processWorkflow('change_control');
export const documentRevision = processWorkflow('document_revision');
export const capa = processWorkflow('capa');
export const ncmr = processWorkflow('ncmr');

// Every workflow type PROCESS_WORKFLOWS names is exported above (a missing one fails typecheck).
const _everyProcessExported: Record<(typeof PROCESS_WORKFLOWS)[ProcessType], ProcessWorkflow> = { changeControlProcess, documentRevision, capa, ncmr };
