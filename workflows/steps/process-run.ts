// What every part of the interpreter works with for one run of a process: its declaration and
// input, its live state, the activities it calls and the lock its actions take. run-process.ts
// builds it once; the handlers, step runners and effects receive it.
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { EffectActivities } from '../contracts/effect-activities';
import type { ProcessActivities } from '../contracts/process-activities';
import type { ProcessInput, ProcessTiming } from '../contracts/process-contracts';
import type { Exclusive } from './action-lock';
import type { ProcessDefinition } from './definition';
import type { TaskWatching } from './escalation';
import type { ProcessRunState } from './process-state';

export interface ProcessRun {
  readonly definition: ProcessDefinition;
  readonly input: ProcessInput;
  readonly timing: ProcessTiming;
  readonly state: ProcessRunState;
  /** One database transaction each. */
  readonly activities: ActivityInterfaceFor<ProcessActivities>;
  /** The one generic activity that runs a named effect. */
  readonly effects: ActivityInterfaceFor<EffectActivities>;
  readonly exclusive: Exclusive;
  /** What a task's reminder and escalation watcher needs from the process. */
  readonly watching: TaskWatching;
  /** Children tell this process when their records exist, and a tasks step waits for them (patched). */
  readonly childrenTellCreation: boolean;
  /** A tasks step entered again does not start a child whose key it has started already (patched). */
  readonly childOncePerKey: boolean;
  /** A sign or reject Update answers with the signer's view (patched). */
  readonly signOffAnswersView: boolean;
}
