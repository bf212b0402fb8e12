// The interpreter of process declarations: one workflow execution per record. Every state change
// is an Update whose handler runs one activity (one database transaction); durable timers drive
// reminders, escalations, waits and periodic reviews. Deterministic: no I/O, no clock but the SDK's.
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { EffectActivities, EffectContext } from '../contracts/effect-activities';
import type { ProcessActivities, TransitionSpec } from '../contracts/process-activities';
import type { RecordClosureActivities } from '../contracts/record-closure-activities';
import type { SignedManifest } from '../contracts/common';
import {
  actionRefusalQuery,
  amendUpdate,
  cancelUpdate,
  childDoneSignal,
  completeTaskUpdate,
  obsoleteUpdate,
  PROCESS_PATCHES,
  PROCESS_WORKFLOWS,
  processCreatedUpdate,
  processEventSignal,
  processQuery,
  processWorkflowId,
  rejectStepUpdate,
  signStepUpdate,
  submitStepUpdate,
  ProcessRefusalCodes,
  type ActorContext,
  type AmendRequest,
  type CompleteTaskRequest,
  type ReasonRequest,
  type RejectStepRequest,
  type SignStepRequest,
  type SubmitStepRequest,
  type ProcessActionName,
  type ProcessInput,
  type ProcessResult,
  type ProcessState,
  type ProcessTask,
  type ProcessTiming,
  type Viewer,
} from '../contracts/process-contracts';
import { CLOSURE_ACTIVITY, TRANSACTION_ACTIVITY } from './activity-options';
import { workflowNow } from './clock';
import { nextOf, stepOf, type ProcessDefinition, type StepDefinition, type StepEvent } from './definition';
import { watchTask, type TaskWatching } from './escalation';
import { asUpdateOutcome, refuse } from './failures';
import { allowedActions, chosenOutcome, quorumOf, refusalFor, resolveOutcome, signOffPlace } from './rules';
import { contentTitle, dueIn, ms, newTask, tasksOpenedBy } from './step-tasks';

const activities = proxyActivities<ProcessActivities>(TRANSACTION_ACTIVITY);
/** An effect may write a row per person it concerns: a longer transaction. */
const effects = proxyActivities<EffectActivities>({
  startToCloseTimeout: '1 minute',
  retry: { ...TRANSACTION_ACTIVITY.retry, maximumInterval: '1 minute' },
});
const closure = proxyActivities<RecordClosureActivities>(CLOSURE_ACTIVITY);

const viewerOf = (context: ActorContext): Viewer => ({ userId: context.actorId, roles: context.actorRoles });

export async function runProcess(definition: ProcessDefinition, input: ProcessInput): Promise<ProcessResult> {
  let state: ProcessState | null = null;
  const timing: ProcessTiming = input.timing;
  /** Events raised (by an effect of this process, or sent by another) that no step has consumed yet. */
  const raised: string[] = [];
  // Decided once, at the start: executions begun before these changes keep their old commands.
  const serialised = patched(PROCESS_PATCHES.updateMutex);
  const tellsParentWhenDone = patched(PROCESS_PATCHES.childDoneSignal);
  // One action at a time: the next handler starts after the previous one's activity returned.
  // The mutex admits one waiter when it is released; the boolean lock it replaces let every
  // waiter through at once (concurrent approvers then left a quorum full and the step never ended).
  const mutex = new Mutex();
  let busy = false;
  const exclusive = async <T>(run: (current: ProcessState) => Promise<T>): Promise<T> => {
    if (serialised) {
      await condition(() => state !== null);
      return mutex.runExclusive(() => run(state!));
    }
    await condition(() => state !== null && !busy);
    busy = true;
    try {
      return await run(state!);
    } finally {
      busy = false;
    }
  };
  // A copy for Update results and Queries (structuredClone is not in the workflow sandbox).
  const snapshot = (current: ProcessState): ProcessState => JSON.parse(JSON.stringify(current)) as ProcessState;

  setHandler(processQuery, (viewer) =>
    state ? { ...snapshot(state), allowedActions: allowedActions(definition, state, viewer), quorum: quorumOf(definition, state) } : null,
  );
  setHandler(actionRefusalQuery, (action, viewer, taskId) =>
    state ? refusalFor(definition, state, action, viewer, taskId ?? undefined) : { code: 'not_found', message: 'The record is being created.' },
  );
  setHandler(processCreatedUpdate, async () => {
    await condition(() => state !== null);
    return snapshot(state!);
  });
  setHandler(processEventSignal, ({ event }) => {
    raised.push(event);
  });
  // A child process reached the state in which it has done what this process asked of it.
  setHandler(childDoneSignal, ({ recordId }) => {
    const child = state?.children.find((c) => c.recordId === recordId);
    if (child && child.status === 'open') child.status = 'done';
  });

  // ---- tasks, reminders and escalation --------------------------------------------------------
  const isOpen = (taskId: string) => state!.openTasks.some((t) => t.taskId === taskId);
  const watching: TaskWatching = { recordId: input.recordId, timing, isOpen, exclusive, noteOverdueTask: activities.noteOverdueTask };
  /** Ids to close with these tasks: the tasks and the follow-ups chasing them. */
  const withFollowUps = (taskIds: string[]) => [
    ...taskIds,
    ...state!.openTasks.filter((t) => t.escalatesTaskId !== null && taskIds.includes(t.escalatesTaskId)).map((t) => t.taskId),
  ];
  const tasksOfStep = (step: string) => state!.openTasks.filter((t) => t.step === step).map((t) => t.taskId);

  function opened(current: ProcessState, tasks: ProcessTask[]): void {
    current.openTasks.push(...tasks);
    // Each watcher runs beside the process on its own timers and ends when its task closes;
    // allHandlersFinished does not wait for it, and the workflow's end cancels its timers.
    for (const task of tasks) void watchTask(task, watching);
  }
  function closed(current: ProcessState, taskIds: string[]): void {
    current.openTasks = current.openTasks.filter((t) => !taskIds.includes(t.taskId));
  }

  const tasksFor = (status: string, current: Pick<ProcessState, 'content' | 'authorId' | 'number'>, onlyPlaces?: string[]) =>
    tasksOpenedBy(definition, timing, status, current, onlyPlaces);

  /** Moves the process to `to`; the activity writes the transition and the tasks `to` opens. */
  async function move(
    current: ProcessState,
    to: string,
    auditAction: string,
    options: {
      context: ActorContext | null;
      reason?: string | null;
      eligible?: { userIds?: string[]; roles?: string[] } | null;
      newContent?: Record<string, unknown> | null;
      closeOutcome?: 'completed' | 'cancelled';
    },
  ): Promise<void> {
    const content = options.newContent ?? current.content;
    const openTasks = tasksFor(to, { ...current, content });
    const closeTaskIds = current.openTasks.map((t) => t.taskId);
    const result = await activities.transitionProcess({
      recordId: current.recordId,
      context: options.context,
      eligible: options.eligible ?? null,
      newContent: options.newContent ? { content: options.newContent, reason: `${stepOf(definition, current.status).title} completed` } : null,
      closeTaskIds,
      closeOutcome: options.closeOutcome ?? 'completed',
      transition: { transitionId: uuid4(), from: current.status, to, auditAction, reason: options.reason ?? null, openTasks },
    });
    current.content = content;
    current.version = result.version;
    current.contentHash = result.contentHash;
    closed(current, closeTaskIds);
    const from = current.status;
    enter(current, to);
    opened(current, openTasks);
    await runEffects(current, { from, to, reason: options.reason ?? null, context: options.context });
  }

  function enter(current: ProcessState, to: string): void {
    current.status = to;
    current.round += 1;
    current.final = stepOf(definition, to).kind === 'final';
  }

  /**
   * The named effects of a transition, after it is recorded: the step left's `onExit`, then, when
   * the process ends, the process's `onExit`, then the step entered's `onEnter`. Whatever an effect
   * raises waits for a step that names it; what it notifies goes to the other process as an event.
   */
  async function runEffects(current: ProcessState, transition: Pick<EffectContext, 'from' | 'to' | 'reason' | 'context'>): Promise<void> {
    const entered = stepOf(definition, transition.to);
    const left = transition.from === null ? undefined : stepOf(definition, transition.from);
    const names: [EffectContext['on'], string][] = [
      ...(left && left.kind !== 'final' ? (left.onExit ?? []) : []).map((name) => ['exit', name] as [EffectContext['on'], string]),
      ...(entered.kind === 'final' ? (definition.onExit ?? []) : []).map((name) => ['process_exit', name] as [EffectContext['on'], string]),
      ...(entered.onEnter ?? []).map((name) => ['enter', name] as [EffectContext['on'], string]),
    ];
    for (const [on, name] of names) {
      const outcome = await effects.runEffect({
        name,
        effect: { recordId: current.recordId, type: definition.type, effectId: uuid4(), on, ...transition },
      });
      raised.push(...(outcome.raise ?? []));
      for (const { recordId, event } of outcome.notify ?? []) {
        // The other process may have ended meanwhile: then nobody is waiting for this.
        await getExternalWorkflowHandle(processWorkflowId(recordId))
          .signal(processEventSignal, { event, fromRecordId: current.recordId })
          .catch(() => undefined);
      }
    }
  }

  /** The first raised event the step names, with where it leads. */
  const eventIn = (step: StepDefinition): { name: string; event: StepEvent } | null => {
    if (step.kind === 'final' || !step.events) return null;
    for (const name of raised) {
      const event = step.events[name];
      if (event) return { name, event };
    }
    return null;
  };

  // ---- Updates ----------------------------------------------------------------------------------
  const validate = (action: ProcessActionName, context: ActorContext, taskId?: string, outcome?: string) => {
    if (!state) return;
    const refusal = refusalFor(definition, state, action, viewerOf(context), taskId, outcome);
    if (refusal) refuse(refusal);
  };
  const guarded = <R extends { context: ActorContext; outcome?: string }>(
    action: ProcessActionName,
    run: (current: ProcessState, request: R) => Promise<void>,
    taskIdOf?: (r: R) => string,
  ) =>
    [
      (request: R) =>
        exclusive(async (current) => {
          validate(action, request.context, taskIdOf?.(request), request.outcome);
          await run(current, request);
          return snapshot(current);
        }),
      { validator: (request: R) => validate(action, request.context, taskIdOf?.(request), request.outcome) },
    ] as const;

  setHandler(
    submitStepUpdate,
    ...guarded<SubmitStepRequest>('submit', async (current, request) => {
      const step = stepOf(definition, current.status);
      if (step.kind !== 'author') return;
      const content = request.content ? { ...current.content, ...request.content } : null;
      const missing = step.missing?.(content ?? current.content);
      if (missing)
        refuse({ code: ProcessRefusalCodes.incompleteContent, message: `Step "${current.status}" of ${current.number} cannot be submitted yet: ${missing}` });
      await asUpdateOutcome(() =>
        move(current, nextOf(step.next, content ?? current.content), 'record.submitted', {
          context: request.context,
          eligible: step.performer === 'author' ? { userIds: [current.authorId] } : { roles: [...step.performer] },
          newContent: content,
        }),
      );
    }),
  );

  const decide =
    (action: 'sign' | 'reject') =>
    async (current: ProcessState, request: { signatureId: string; signed: SignedManifest; context: ActorContext; reason?: string; outcome?: string }) => {
      const step = stepOf(definition, current.status);
      if (step.kind !== 'signoff') return;
      const chosen = chosenOutcome(step, action, request.outcome);
      const place = signOffPlace(definition, current, viewerOf(request.context), action, request.outcome);
      if ('code' in place) refuse(place);
      if (!chosen) return;
      const meaning = chosen.outcome.meaning;
      if (chosen.outcome.reasonRequired && !request.reason?.trim())
        refuse({ code: ProcessRefusalCodes.incompleteContent, step: current.status, message: `A signature choosing "${chosen.name}" needs a reason.` });
      const ownTask = current.openTasks.find((t) => t.step === current.status && t.action === 'sign' && t.place === place.role);
      const resolution = resolveOutcome(definition, current, chosen, place.role);
      let transition: (TransitionSpec & { closeTaskIds: string[] }) | null = null;
      let to: string | null = null;
      if (resolution.carries) {
        to = resolution.to;
        const openTasks = tasksFor(to, current);
        transition = {
          transitionId: uuid4(),
          from: current.status,
          to,
          auditAction: resolution.auditAction,
          reason: request.reason ?? null,
          openTasks,
          closeTaskIds: withFollowUps(tasksOfStep(current.status)),
        };
      }
      const result = await asUpdateOutcome(() =>
        activities.signProcessStep({
          recordId: current.recordId,
          signatureId: request.signatureId,
          step: current.status,
          role: place.role,
          meaning,
          reason: request.reason ?? null,
          authorMayNotSign: step.authorMayNotSign,
          signed: request.signed,
          context: request.context,
          closeTaskIds: ownTask ? withFollowUps([ownTask.taskId]) : [],
          transition,
        }),
      );
      current.version = result.version;
      current.contentHash = result.contentHash;
      current.signatures.push({
        signatureId: request.signatureId,
        signerId: request.context.actorId,
        role: place.role,
        step: current.status,
        meaning,
        round: current.round,
        version: result.version,
        valid: true,
      });
      if (transition && to) {
        closed(current, transition.closeTaskIds);
        const from = current.status;
        enter(current, to);
        opened(current, transition.openTasks);
        await runEffects(current, { from, to, reason: transition.reason, context: request.context });
      } else if (ownTask) {
        closed(current, withFollowUps([ownTask.taskId]));
      }
    };
  setHandler(signStepUpdate, ...guarded<SignStepRequest>('sign', decide('sign')));
  setHandler(rejectStepUpdate, ...guarded<RejectStepRequest>('reject', decide('reject')));

  setHandler(
    amendUpdate,
    ...guarded<AmendRequest>('amend', async (current, request) => {
      if (request.baseVersion !== current.version) {
        refuse({ code: 'stale_version', message: `${current.number} has changed since you opened it: version ${current.version} is current.` });
      }
      // Signatures given in this step on the old version no longer count; their places reopen.
      const invalidated = current.signatures.filter((s) => s.step === current.status && s.round === current.round && s.valid);
      const reopenTasks = tasksFor(
        current.status,
        { ...current, content: request.content },
        invalidated.map((s) => s.role),
      );
      const result = await asUpdateOutcome(() =>
        activities.amendProcessRecord({
          recordId: current.recordId,
          amendmentId: uuid4(),
          baseVersion: request.baseVersion,
          content: request.content,
          reason: request.reason,
          context: request.context,
          invalidatedSignatureIds: invalidated.map((s) => s.signatureId),
          reopenTasks,
        }),
      );
      for (const signature of invalidated) signature.valid = false;
      current.content = request.content;
      current.version = result.version;
      current.contentHash = result.contentHash;
      opened(current, reopenTasks);
    }),
  );

  setHandler(
    cancelUpdate,
    ...guarded<ReasonRequest>('cancel', async (current, request) => {
      await asUpdateOutcome(() =>
        move(current, 'cancelled', 'record.cancelled', {
          context: request.context,
          reason: request.reason,
          eligible: { userIds: [current.authorId], roles: [...definition.cancelRoles] },
          closeOutcome: 'cancelled',
        }),
      );
    }),
  );

  setHandler(
    completeTaskUpdate,
    ...guarded<CompleteTaskRequest>(
      'complete_task',
      async (current, request) => {
        const task = current.openTasks.find((t) => t.taskId === request.taskId)!;
        const step = stepOf(definition, current.status);
        const remaining = current.openTasks.filter((t) => t.step === current.status && t.action === 'complete' && t.taskId !== task.taskId);
        let transition: TransitionSpec | null = null;
        if (step.kind === 'tasks' && task.action === 'complete' && remaining.length === 0) {
          const to = nextOf(step.next, current.content);
          transition = {
            transitionId: uuid4(),
            from: current.status,
            to,
            auditAction: 'record.implemented',
            reason: null,
            openTasks: tasksFor(to, current),
          };
        }
        const closeTaskIds = withFollowUps(transition ? tasksOfStep(current.status) : [task.taskId]);
        await asUpdateOutcome(() =>
          activities.completeProcessTask({
            recordId: current.recordId,
            taskId: task.taskId,
            note: request.note,
            context: request.context,
            closeTaskIds,
            transition,
          }),
        );
        closed(current, closeTaskIds);
        if (transition) {
          enter(current, transition.to);
          opened(current, transition.openTasks);
          await runEffects(current, { from: transition.from, to: transition.to, reason: null, context: request.context });
        }
      },
      (request) => request.taskId,
    ),
  );

  setHandler(
    obsoleteUpdate,
    ...guarded<ReasonRequest>('obsolete', async (current, request) => {
      const step = stepOf(definition, current.status);
      if (step.kind !== 'hold' || !step.obsolete) return;
      const obsolete = step.obsolete;
      await asUpdateOutcome(() =>
        move(current, obsolete.to, 'record.obsolete', {
          context: request.context,
          reason: request.reason,
          eligible: { roles: [...obsolete.roles] },
          closeOutcome: 'cancelled',
        }),
      );
    }),
  );

  // ---- creation ---------------------------------------------------------------------------------
  const draft = { content: input.content, authorId: input.context.actorId, number: '' };
  const initialTasks = tasksFor(definition.initial, draft);
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
  state = {
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
  };
  opened(state, initialTasks);

  // The initial step's enter effects, once the record exists.
  await exclusive((current) => runEffects(current, { from: null, to: definition.initial, reason: null, context: input.context }));

  // ---- steps the process takes by itself ----------------------------------------------------------
  /**
   * Moves on by itself from `status` (in `round`), unless an Update moved the process meanwhile:
   * to where a raised event the step names leads, else to `to`. Decided inside the lock, so the
   * effects of the Update that entered the step (and the events they raise) have all run.
   */
  const system = (status: string, round: number, to: string | null, auditAction = '', reason: string | null = null) =>
    exclusive(async (current) => {
      if (current.status !== status || current.round !== round) return;
      const pending = eventIn(stepOf(definition, status));
      if (pending) {
        raised.splice(raised.indexOf(pending.name), 1);
        await move(current, pending.event.to, pending.event.auditAction, { context: null, reason: pending.event.reason });
      } else if (to !== null) {
        await move(current, to, auditAction, { context: null, reason });
      }
    });

  let toldParent = false;
  while (!state.final) {
    const status = state.status;
    if (tellsParentWhenDone && input.parent && !toldParent && definition.doneForParent.includes(status)) {
      toldParent = true;
      // The parent may have ended meanwhile (cancelled, say): then nobody is waiting for this.
      await getExternalWorkflowHandle(processWorkflowId(input.parent.recordId))
        .signal(childDoneSignal, { recordId: state.recordId, status })
        .catch(() => undefined);
    }
    const round = state.round;
    const step: StepDefinition = stepOf(definition, status);
    const left = () => state!.status !== status || state!.round !== round;
    // The step ends when an Update moves the process, or when an event it names is raised.
    const ended = () => left() || eventIn(step) !== null;
    if (eventIn(step)) {
      await system(status, round, null);
      continue;
    }
    switch (step.kind) {
      case 'wait': {
        const until = step.until(state.content, timing, workflowNow());
        if (!(await condition(ended, Math.max(1, until - workflowNow()))))
          await system(status, round, nextOf(step.next, state.content), 'record.timer_elapsed');
        break;
      }
      case 'pass':
        // Its enter effects ran with the transition into it; an event they raised wins over `next`.
        await system(status, round, nextOf(step.next, state.content), step.auditAction);
        break;
      case 'tasks': {
        for (const spec of step.children?.(state.content) ?? []) {
          const childId = uuid4();
          const child = { recordId: childId, type: spec.type, relation: spec.relation, status: 'open' as const };
          state.children.push(child);
          const handle = await startChild(PROCESS_WORKFLOWS[spec.type], {
            workflowId: processWorkflowId(childId),
            args: [{ recordId: childId, content: spec.content, context: input.context, timing, parent: { recordId: state.recordId, relation: spec.relation } }],
            parentClosePolicy: ParentClosePolicy.ABANDON,
          });
          // Followed, not awaited: the parent goes on while its child runs; both outcomes are handled.
          void handle.result().then(
            (result: ProcessResult) => {
              const entry = state!.children.find((c) => c.recordId === childId)!;
              entry.status = result.status === 'cancelled' ? 'cancelled' : 'closed';
            },
            () => {
              state!.children.find((c) => c.recordId === childId)!.status = 'cancelled';
            },
          );
        }
        if (!state.openTasks.some((t) => t.step === status && t.action === 'complete'))
          await system(status, round, nextOf(step.next, state.content), 'record.implemented', 'No implementation tasks');
        else await condition(ended);
        break;
      }
      case 'hold': {
        const review = step.periodicReview;
        if (!review) {
          await condition(ended);
        } else if (!(await condition(ended, ms(timing[review.every])))) {
          await exclusive(async (current) => {
            if (left()) return;
            const task = newTask({
              step: status,
              action: 'review',
              title: `${review.title}: ${contentTitle(current.content)}`,
              assigneeUserId: null,
              assigneeRole: review.role,
              dueAt: dueIn(timing.taskDue),
              place: null,
            });
            await activities.openProcessTask({ recordId: current.recordId, task, auditAction: 'task.periodic_review_due' });
            opened(current, [task]);
          });
        }
        break;
      }
      default:
        await condition(ended);
    }
  }

  await condition(allHandlersFinished);
  const ending = stepOf(definition, state.status);
  if (ending.kind === 'final' && ending.sealRecord) await closure.produceClosureRecord({ recordId: state.recordId });
  return { recordId: state.recordId, number: state.number, status: state.status };
}
