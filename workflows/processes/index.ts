// Each regulated process: its declaration, and the workflow type that runs it.
import type { ProcessInput, ProcessResult } from '../process-contracts';
import { runProcess } from '../steps/run-process';
import { capaProcess } from './capa.process';
import { changeControlProcess as changeControlDefinition } from './change-control.process';
import { documentRevisionProcess } from './document-revision.process';
import { ncmrProcess } from '../../processes/ncmr/ncmr.process';

export async function changeControlProcess(input: ProcessInput): Promise<ProcessResult> {
  return runProcess(changeControlDefinition, input);
}

export async function documentRevision(input: ProcessInput): Promise<ProcessResult> {
  return runProcess(documentRevisionProcess, input);
}

export async function capa(input: ProcessInput): Promise<ProcessResult> {
  return runProcess(capaProcess, input);
}

export async function ncmr(input: ProcessInput): Promise<ProcessResult> {
  return runProcess(ncmrProcess, input);
}
