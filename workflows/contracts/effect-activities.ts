// The one activity through which a process runs its named effects (on entering or leaving a step,
// and on leaving the process by any end, cancellation included). Each domain registers its effects
// under activities/effects/<domain>.effects.ts; the interpreter only knows their names.
// Workflows import this with `import type` only.
import type { ActorContext, ProcessType } from './process-contracts';

export interface EffectContext {
  recordId: string;
  type: ProcessType;
  /** Chosen by the workflow, the same on every retry: what the effect writes derives from it, so a retry finds it. */
  effectId: string;
  /** Why the effect runs: the step entered or left, or the whole process left. */
  on: 'enter' | 'exit' | 'process_exit';
  /** The step left; null for the initial step's enter effects at creation. */
  from: string | null;
  to: string;
  /** The reason of the transition (a cancellation's, an obsolescence's), if any. */
  reason: string | null;
  /** The person whose action caused the transition; null when the process moved by itself. */
  context: ActorContext | null;
}

export interface EffectOutcome {
  /** Events this process raises on itself; a step that names one in `events` moves on with it. */
  raise?: string[];
  /** Events for other processes (the revision a new one supersedes), delivered as the `processEvent` signal. */
  notify?: { recordId: string; event: string }[];
}

export interface EffectActivities {
  /** Runs the effect registered under `name` (unknown names fail without retry). */
  runEffect(input: { name: string; effect: EffectContext }): Promise<EffectOutcome>;
}
