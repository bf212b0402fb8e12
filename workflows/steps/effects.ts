// Running the named effects of a transition through the one generic activity. The interpreter
// knows only their names; each domain registers what they do (activities/effects/).
import { getExternalWorkflowHandle, uuid4 } from '@temporalio/workflow';
import type { EffectContext } from '../contracts/effect-activities';
import { processEventSignal, processWorkflowId } from '../contracts/process-contracts';
import { stepOf } from './definition';
import type { ProcessRun } from './process-run';

export type EffectTransition = Pick<EffectContext, 'from' | 'to' | 'reason' | 'context'>;

/**
 * The named effects of a transition, after it is recorded: the step left's `onExit`, then, when
 * the process ends, the process's `onExit`, then the step entered's `onEnter`. Whatever an effect
 * raises waits for a step that names it; what it notifies goes to the other process as an event.
 */
export async function runEffects(run: ProcessRun, transition: EffectTransition): Promise<void> {
  const { definition, state } = run;
  const entered = stepOf(definition, transition.to);
  const left = transition.from === null ? undefined : stepOf(definition, transition.from);
  const names: [EffectContext['on'], string][] = [
    ...(left && left.kind !== 'final' ? (left.onExit ?? []) : []).map((name) => ['exit', name] as [EffectContext['on'], string]),
    ...(entered.kind === 'final' ? (definition.onExit ?? []) : []).map((name) => ['process_exit', name] as [EffectContext['on'], string]),
    ...(entered.onEnter ?? []).map((name) => ['enter', name] as [EffectContext['on'], string]),
  ];
  const recordId = state.record.recordId;
  for (const [on, name] of names) {
    const outcome = await run.effects.runEffect({
      name,
      effect: { recordId, type: definition.type, effectId: uuid4(), on, ...transition },
    });
    state.raise(outcome.raise ?? []);
    for (const notified of outcome.notify ?? []) {
      // The other process may have ended meanwhile: then nobody is waiting for this.
      await getExternalWorkflowHandle(processWorkflowId(notified.recordId))
        .signal(processEventSignal, { event: notified.event, fromRecordId: recordId })
        .catch(() => undefined);
    }
  }
}
