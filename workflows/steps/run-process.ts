// The interpreter of process declarations: one workflow execution per record. Every state change
// is an Update whose handler runs one activity (one database transaction); durable timers drive
// reminders, escalations, waits and periodic reviews. Deterministic: no I/O, no clock but the SDK's.
// This entry wires the parts: the live state (process-state.ts), the action lock (action-lock.ts),
// the message handlers (update-handlers.ts), the step runners (step-runners.ts) and the effects
// (effects.ts); it creates the record and, at the end, its closure record.
import { allHandlersFinished, condition, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { EffectActivities } from '../contracts/effect-activities';
import type { ProcessActivities } from '../contracts/process-activities';
import type { RecordClosureActivities } from '../contracts/record-closure-activities';
import { PROCESS_PATCHES, processWorkflowId, type ProcessInput, type ProcessResult } from '../contracts/process-contracts';
import { actionLock } from './action-lock';
import { tellParentCreated } from './child-processes';
import { CLOSURE_ACTIVITY, LOCAL_TRANSACTION_ACTIVITY, TRANSACTION_ACTIVITY } from './activity-options';
import { stepOf, type ProcessDefinition } from './definition';
import { runEffects } from './effects';
import type { ProcessRun } from './process-run';
import { ProcessRunState } from './process-state';
import { runSteps } from './step-runners';
import { openTasks, tasksFor } from './transitions';
import { setProcessHandlers } from './update-handlers';

const scheduledTransactions = proxyActivities<ProcessActivities>(TRANSACTION_ACTIVITY);
const localTransactions = proxyLocalActivities<ProcessActivities>(LOCAL_TRANSACTION_ACTIVITY);
/** An effect may write a row per person it concerns: a longer transaction. */
const effects = proxyActivities<EffectActivities>({
  startToCloseTimeout: '1 minute',
  retry: { ...TRANSACTION_ACTIVITY.retry, maximumInterval: '1 minute' },
});
const closure = proxyActivities<RecordClosureActivities>(CLOSURE_ACTIVITY);

export async function runProcess(definition: ProcessDefinition, input: ProcessInput): Promise<ProcessResult> {
  const state = new ProcessRunState(definition);
  // Decided once, at the start: executions begun before these changes keep their old commands.
  const serialised = patched(PROCESS_PATCHES.updateMutex);
  const tellsParentWhenDone = patched(PROCESS_PATCHES.childDoneSignal);
  const childrenTellCreation = patched(PROCESS_PATCHES.childCreatedSignal);
  const childOncePerKey = patched(PROCESS_PATCHES.childOncePerKey);
  const signOffAnswersView = patched(PROCESS_PATCHES.signOffAnswersView);
  // Runs begun under 0.3's local transactions keep them; every newer run schedules them again, because a
  // local activity's commit is not part of the workflow task that ran it (docs/workflow-versioning.md).
  const activities = patched(PROCESS_PATCHES.scheduledTransactionsAgain)
    ? scheduledTransactions
    : patched(PROCESS_PATCHES.localTransactions)
      ? localTransactions
      : scheduledTransactions;
  const exclusive = actionLock(state, serialised);
  const timing = input.timing;
  const run: ProcessRun = {
    definition,
    input,
    timing,
    state,
    activities,
    effects,
    exclusive,
    watching: { recordId: input.recordId, timing, isOpen: (taskId) => state.isOpen(taskId), exclusive, noteOverdueTask: activities.noteOverdueTask },
    childrenTellCreation,
    childOncePerKey,
    signOffAnswersView,
  };
  setProcessHandlers(run);

  // ---- creation ---------------------------------------------------------------------------------
  const draft = { content: input.content, authorId: input.context.actorId, number: '' };
  const initialTasks = tasksFor(run, definition.initial, draft);
  const created = await activities.createProcessRecord({
    type: definition.type,
    prefix: definition.prefix,
    recordId: input.recordId,
    workflowId: processWorkflowId(input.recordId),
    content: input.content,
    context: input.context,
    parent: input.parent ?? null,
    initialStatus: definition.initial,
    openTasks: initialTasks,
  });
  state.begin({
    type: definition.type,
    recordId: input.recordId,
    number: created.number,
    status: definition.initial,
    version: created.version,
    contentHash: created.contentHash,
    content: created.content,
    authorId: created.authorId,
    round: 1,
    signatures: [],
    openTasks: [],
    children: [],
    final: false,
  });
  openTasks(run, initialTasks);
  if (input.parent && childrenTellCreation) await tellParentCreated(run, input.parent.recordId);

  // The initial step's enter effects, once the record exists.
  await exclusive(() => runEffects(run, { from: null, to: definition.initial, reason: null, context: input.context }));

  await runSteps(run, tellsParentWhenDone);

  await condition(allHandlersFinished);
  const ending = stepOf(definition, state.record.status);
  if (ending.kind === 'final' && ending.sealRecord) await closure.produceClosureRecord({ recordId: state.record.recordId });
  return { recordId: state.record.recordId, number: state.record.number, status: state.record.status };
}
