// The handler bodies of the Updates besides signing: submitting an author step, amending the
// content, cancelling, completing a task, declaring a held record obsolete. Each runs under the
// action lock after its validator, in one activity (one database transaction).
import { uuid4 } from '@temporalio/workflow';
import type { TransitionSpec } from '../contracts/process-activities';
import {
  ProcessRefusalCodes,
  type AmendRequest,
  type CompleteTaskRequest,
  type ProcessState,
  type ReasonRequest,
  type SubmitStepRequest,
} from '../contracts/process-contracts';
import { nextOf, stepOf } from './definition';
import { asUpdateOutcome, refuse } from './failures';
import type { ProcessRun } from './process-run';
import { enterStep, move, openTasks, tasksFor } from './transitions';

export async function submit(run: ProcessRun, current: ProcessState, request: SubmitStepRequest): Promise<void> {
  const step = stepOf(run.definition, current.status);
  if (step.kind !== 'author') return;
  const content = request.content ? { ...current.content, ...request.content } : null;
  const missing = step.missing?.(content ?? current.content);
  if (missing)
    refuse({ code: ProcessRefusalCodes.incompleteContent, message: `Step "${current.status}" of ${current.number} cannot be submitted yet: ${missing}` });
  await asUpdateOutcome(() =>
    move(run, current, nextOf(step.next, content ?? current.content), 'record.submitted', {
      context: request.context,
      eligible: step.performer === 'author' ? { userIds: [current.authorId] } : { roles: [...step.performer] },
      newContent: content,
    }),
  );
}

export async function amend(run: ProcessRun, current: ProcessState, request: AmendRequest): Promise<void> {
  if (request.baseVersion !== current.version) {
    refuse({ code: 'stale_version', message: `${current.number} has changed since you opened it: version ${current.version} is current.` });
  }
  // Signatures given in this step on the old version no longer count; their places reopen.
  const invalidated = current.signatures.filter((s) => s.step === current.status && s.round === current.round && s.valid);
  const reopenTasks = tasksFor(
    run,
    current.status,
    { ...current, content: request.content },
    invalidated.map((s) => s.role),
  );
  const result = await asUpdateOutcome(() =>
    run.activities.amendProcessRecord({
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
  run.state.noteVersion(result);
  openTasks(run, reopenTasks);
}

export async function cancel(run: ProcessRun, current: ProcessState, request: ReasonRequest): Promise<void> {
  await asUpdateOutcome(() =>
    move(run, current, 'cancelled', 'record.cancelled', {
      context: request.context,
      reason: request.reason,
      eligible: { userIds: [current.authorId], roles: [...run.definition.cancelRoles] },
      closeOutcome: 'cancelled',
    }),
  );
}

/** Completes one task; the last implementation task of a tasks step moves the process on with it. */
export async function completeTask(run: ProcessRun, current: ProcessState, request: CompleteTaskRequest): Promise<void> {
  const { state } = run;
  const task = current.openTasks.find((t) => t.taskId === request.taskId)!;
  const step = stepOf(run.definition, current.status);
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
      openTasks: tasksFor(run, to, current),
    };
  }
  const closeTaskIds = state.withFollowUps(transition ? state.tasksOfStep(current.status) : [task.taskId]);
  await asUpdateOutcome(() =>
    run.activities.completeProcessTask({
      recordId: current.recordId,
      taskId: task.taskId,
      note: request.note,
      context: request.context,
      closeTaskIds,
      transition,
    }),
  );
  state.closeTasks(closeTaskIds);
  if (transition) await enterStep(run, { from: transition.from, to: transition.to, openTasks: transition.openTasks, reason: null, context: request.context });
}

export async function obsolete(run: ProcessRun, current: ProcessState, request: ReasonRequest): Promise<void> {
  const step = stepOf(run.definition, current.status);
  if (step.kind !== 'hold' || !step.obsolete) return;
  const { to, roles } = step.obsolete;
  await asUpdateOutcome(() =>
    move(run, current, to, 'record.obsolete', {
      context: request.context,
      reason: request.reason,
      eligible: { roles: [...roles] },
      closeOutcome: 'cancelled',
    }),
  );
}
