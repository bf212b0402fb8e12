// Who may do what in which step: pure functions over the process state. The Update validators,
// the handlers and the Query's "allowed actions" all use these, so the API and the browser never
// restate a rule. The database checks authority again where it writes (activities).
import { RefusalCodes } from '../contracts';
import { ProcessRefusalCodes, type AllowedAction, type ProcessActionName, type ProcessState, type ProcessTask, type Viewer } from '../process-contracts';
import { stepOf, type ProcessDefinition, type SignOffStep } from './definition';

export interface Refusal {
  code: string;
  message: string;
  /** The step the process is in, for refusals that depend on it. */
  step?: string;
}

export const QA_ROLE = 'qa';

const notInStep = (state: ProcessState, action: string, title: string): Refusal => ({
  code: RefusalCodes.stepNotAllowed,
  step: state.status,
  message: `${action} is not allowed in step "${state.status}" (${title}) of ${state.number}.`,
});

/** The current sign-off's roles and who filled each, counting only valid signatures of this round. */
export function quorumOf(definition: ProcessDefinition, state: ProcessState): { role: string; signedBy: string | null }[] {
  const step = stepOf(definition, state.status);
  if (step.kind !== 'signoff') return [];
  const current = state.signatures.filter((s) => s.step === state.status && s.round === state.round && s.valid && s.meaning === step.meaning);
  return step.quorum(state.content).map((role) => ({ role, signedBy: current.find((s) => s.role === role)?.signerId ?? null }));
}

function signedThisRound(state: ProcessState, userId: string): boolean {
  return state.signatures.some((s) => s.step === state.status && s.round === state.round && s.valid && s.signerId === userId);
}

/** The quorum slot a signer would fill: the first unfilled role the signer holds. */
export function signOffSlot(definition: ProcessDefinition, state: ProcessState, actor: Viewer, rejecting: boolean): { role: string } | Refusal {
  const step = stepOf(definition, state.status);
  const action = rejecting ? 'Rejecting' : 'Signing';
  if (step.kind !== 'signoff' || (rejecting && !step.reject)) return notInStep(state, action, step.title);
  if (step.authorMayNotSign && actor.userId === state.authorId) {
    return { code: RefusalCodes.selfApproval, message: `The author of ${state.number} cannot sign step "${state.status}" (separation of duties).` };
  }
  if (signedThisRound(state, actor.userId)) {
    return {
      code: RefusalCodes.alreadySigned,
      message: `You have already signed step "${state.status}" of ${state.number}; one person fills one place in its quorum.`,
    };
  }
  const quorum = quorumOf(definition, state);
  const open = quorum.find((q) => q.signedBy === null && actor.roles.includes(q.role));
  if (open) return { role: open.role };
  const held = quorum.filter((q) => actor.roles.includes(q.role));
  if (held.length)
    return {
      code: RefusalCodes.alreadySigned,
      message: `Step "${state.status}" of ${state.number} already has a signature for ${held.map((q) => q.role).join(', ')}.`,
    };
  return {
    code: RefusalCodes.notAuthorised,
    message: `Step "${state.status}" of ${state.number} is signed by ${quorum.map((q) => q.role).join(' + ')}; you hold none of these roles.`,
  };
}

export function mayActAsAuthor(definition: ProcessDefinition, state: ProcessState, actor: Viewer): boolean {
  const step = stepOf(definition, state.status);
  if (step.kind === 'author' && step.performer !== 'author') return step.performer.some((r) => actor.roles.includes(r));
  return actor.userId === state.authorId;
}

export function taskAssignedTo(task: ProcessTask, actor: Viewer): boolean {
  return task.assigneeUserId === actor.userId || (task.assigneeRole !== null && actor.roles.includes(task.assigneeRole));
}

/** Why `action` is refused for `actor` now, or null when it is allowed. */
export function refusalFor(definition: ProcessDefinition, state: ProcessState, action: ProcessActionName, actor: Viewer, taskId?: string): Refusal | null {
  const step = stepOf(definition, state.status);
  const label = {
    submit: 'Submitting',
    sign: 'Signing',
    reject: 'Rejecting',
    amend: 'Amending',
    cancel: 'Cancelling',
    complete_task: 'Completing a task',
    obsolete: 'Making obsolete',
  }[action];
  if (state.final)
    return { code: RefusalCodes.stepNotAllowed, step: state.status, message: `${state.number} is ${state.status}; no further action is allowed.` };
  switch (action) {
    case 'submit':
      if (step.kind !== 'author') return notInStep(state, label, step.title);
      if (!mayActAsAuthor(definition, state, actor)) {
        return {
          code: RefusalCodes.notAuthorised,
          message: `Only ${step.performer === 'author' ? 'the author' : step.performer.join(' or ')} can submit step "${state.status}" of ${state.number}.`,
        };
      }
      return null;
    case 'sign':
    case 'reject': {
      const slot = signOffSlot(definition, state, actor, action === 'reject');
      if ('code' in slot) return slot;
      if (action === 'sign' && (step as SignOffStep).requiresChildrenClosed) {
        const open = state.children.filter((c) => c.status === 'open');
        if (open.length) {
          return {
            code: ProcessRefusalCodes.childrenOpen,
            message: `${state.number} cannot be closed in step "${state.status}" while ${open.length} child process(es) are open.`,
          };
        }
      }
      return null;
    }
    case 'amend':
      if (!('amendable' in step) || !step.amendable) return notInStep(state, label, step.title);
      if (actor.userId !== state.authorId && !(definition.amendRoles ?? []).some((r) => actor.roles.includes(r))) {
        return { code: RefusalCodes.notAuthorised, message: `Only the author of ${state.number} can amend it.` };
      }
      return null;
    case 'cancel':
      if (actor.userId !== state.authorId && !definition.cancelRoles.some((r) => actor.roles.includes(r))) {
        return { code: RefusalCodes.notAuthorised, message: `Only the author or ${definition.cancelRoles.join(', ')} can cancel ${state.number}.` };
      }
      if (step.kind === 'hold') return notInStep(state, label, step.title);
      if (state.children.some((c) => c.status === 'open')) {
        return { code: ProcessRefusalCodes.childrenOpen, message: `Cancel the open child processes of ${state.number} first.` };
      }
      return null;
    case 'complete_task': {
      const task = state.openTasks.find((t) => t.taskId === taskId && (t.action === 'complete' || t.action === 'review'));
      if (!task)
        return { code: ProcessRefusalCodes.taskNotOpen, message: `Task ${taskId ?? ''} is not an open task of step "${state.status}" of ${state.number}.` };
      if (!taskAssignedTo(task, actor)) return { code: RefusalCodes.notAuthorised, message: `Task "${task.title}" is assigned to someone else.` };
      return null;
    }
    case 'obsolete':
      if (step.kind !== 'hold' || !step.obsolete) return notInStep(state, label, step.title);
      if (!step.obsolete.roles.some((r) => actor.roles.includes(r))) {
        return { code: RefusalCodes.notAuthorised, message: `Only ${step.obsolete.roles.join(', ')} can make ${state.number} obsolete.` };
      }
      return null;
  }
}

/** Everything `viewer` may do now: what the inbox and the record page offer. */
export function allowedActions(definition: ProcessDefinition, state: ProcessState, viewer: Viewer | null): AllowedAction[] {
  if (!viewer || state.final) return [];
  const step = stepOf(definition, state.status);
  const allowed: AllowedAction[] = [];
  for (const action of ['submit', 'amend', 'cancel', 'obsolete'] as const) {
    if (!refusalFor(definition, state, action, viewer)) allowed.push({ action, step: state.status });
  }
  if (step.kind === 'signoff') {
    const slot = signOffSlot(definition, state, viewer, false);
    if (!('code' in slot)) {
      if (!refusalFor(definition, state, 'sign', viewer)) allowed.push({ action: 'sign', step: state.status, meaning: step.meaning, role: slot.role });
      if (step.reject) allowed.push({ action: 'reject', step: state.status, meaning: step.reject.meaning, role: slot.role });
    }
  }
  for (const task of state.openTasks) {
    if (!refusalFor(definition, state, 'complete_task', viewer, task.taskId))
      allowed.push({ action: 'complete_task', step: state.status, taskId: task.taskId });
  }
  return allowed;
}
