// Who may do what in which step: pure functions over the process state. The Update validators,
// the handlers and the Query's "allowed actions" all use these, so the API and the browser never
// restate a rule. The database checks authority again where it writes (activities).
import { RefusalCodes } from '../contracts/common';
import {
  ProcessRefusalCodes,
  type AllowedAction,
  type ProcessActionName,
  type ProcessState,
  type ProcessTask,
  type Viewer,
} from '../contracts/process-contracts';
import { nextOf, REJECT_OUTCOME, stepOf, type ProcessDefinition, type SignOffOutcome, type SignOffStep } from './definition';

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

export interface ChosenOutcome {
  name: string;
  outcome: SignOffOutcome;
}

/** The outcome an action chooses in a sign-off: `reject` for the reject action; for `sign` the one named, else the step's first. */
export function chosenOutcome(step: SignOffStep, action: 'sign' | 'reject', requested?: string | null): ChosenOutcome | null {
  const name = action === 'reject' ? REJECT_OUTCOME : (requested ?? Object.keys(step.outcomes).find((n) => n !== REJECT_OUTCOME));
  if (!name || (action === 'sign' && name === REJECT_OUTCOME)) return null;
  const outcome = step.outcomes[name];
  return outcome ? { name, outcome } : null;
}

/** The roles an outcome needs: its own quorum, or the step's (every place of it for `'any'`). */
function placesOf(step: SignOffStep, outcome: SignOffOutcome, content: ProcessState['content']): string[] {
  return typeof outcome.quorum === 'function' ? outcome.quorum(content) : step.quorum(content);
}

/**
 * The quorum of an outcome of the current sign-off (unset: its default outcome) and who filled each
 * role, counting only valid signatures of this round that chose it (carry its meaning).
 */
export function quorumOf(definition: ProcessDefinition, state: ProcessState, outcomeName?: string): { role: string; signedBy: string | null }[] {
  const step = stepOf(definition, state.status);
  if (step.kind !== 'signoff') return [];
  const chosen = chosenOutcome(step, outcomeName === REJECT_OUTCOME ? 'reject' : 'sign', outcomeName);
  if (!chosen) return [];
  const current = state.signatures.filter((s) => s.step === state.status && s.round === state.round && s.valid && s.meaning === chosen.outcome.meaning);
  return placesOf(step, chosen.outcome, state.content).map((role) => ({ role, signedBy: current.find((s) => s.role === role)?.signerId ?? null }));
}

function signedThisRound(state: ProcessState, userId: string): boolean {
  return state.signatures.some((s) => s.step === state.status && s.round === state.round && s.valid && s.signerId === userId);
}

/** The quorum place a signer would fill with this outcome: the first unfilled role the signer holds. */
export function signOffPlace(
  definition: ProcessDefinition,
  state: ProcessState,
  actor: Viewer,
  action: 'sign' | 'reject',
  outcomeName?: string | null,
): { role: string } | Refusal {
  const step = stepOf(definition, state.status);
  const label = action === 'reject' ? 'Rejecting' : 'Signing';
  const chosen = step.kind === 'signoff' ? chosenOutcome(step, action, outcomeName) : null;
  if (!chosen) return notInStep(state, outcomeName ? `${label} with outcome "${outcomeName}"` : label, step.title);
  if (step.kind === 'signoff' && step.authorMayNotSign && actor.userId === state.authorId) {
    return { code: RefusalCodes.selfApproval, message: `The author of ${state.number} cannot sign step "${state.status}" (separation of duties).` };
  }
  if (signedThisRound(state, actor.userId)) {
    return {
      code: RefusalCodes.alreadySigned,
      message: `You have already signed step "${state.status}" of ${state.number}; one person fills one place in its quorum.`,
    };
  }
  const quorum = quorumOf(definition, state, chosen.name);
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

export type OutcomeResolution = { carries: false; remaining: string[] } | { carries: true; to: string; auditAction: string };

/**
 * What a signature choosing `chosen` in the place `role` does: it carries the outcome when it
 * completes the outcome's quorum (at once for `'any'`), and the process goes to the outcome's
 * `next` for the current content.
 */
export function resolveOutcome(definition: ProcessDefinition, state: ProcessState, chosen: ChosenOutcome, role: string): OutcomeResolution {
  if (chosen.outcome.quorum !== 'any') {
    const remaining = quorumOf(definition, state, chosen.name)
      .filter((q) => q.signedBy === null && q.role !== role)
      .map((q) => q.role);
    if (remaining.length) return { carries: false, remaining };
  }
  const to = nextOf(chosen.outcome.next, state.content);
  return { carries: true, to, auditAction: chosen.outcome.auditAction ?? (stepOf(definition, to).kind === 'final' ? 'record.closed' : 'record.approved') };
}

export function mayActAsAuthor(definition: ProcessDefinition, state: ProcessState, actor: Viewer): boolean {
  const step = stepOf(definition, state.status);
  if (step.kind === 'author' && step.performer !== 'author') return step.performer.some((r) => actor.roles.includes(r));
  return actor.userId === state.authorId;
}

export function taskAssignedTo(task: ProcessTask, actor: Viewer): boolean {
  return task.assigneeUserId === actor.userId || (task.assigneeRole !== null && actor.roles.includes(task.assigneeRole));
}

/** Why `action` is refused for `actor` now, or null when it is allowed (`outcome`: a sign-off's choice). */
export function refusalFor(
  definition: ProcessDefinition,
  state: ProcessState,
  action: ProcessActionName,
  actor: Viewer,
  taskId?: string,
  outcome?: string | null,
): Refusal | null {
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
      const place = signOffPlace(definition, state, actor, action, outcome);
      if ('code' in place) return place;
      if (chosenOutcome(step as SignOffStep, action, outcome)?.outcome.requiresChildrenClosed) {
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
    for (const [name, outcome] of Object.entries(step.outcomes)) {
      const action = name === REJECT_OUTCOME ? 'reject' : 'sign';
      const place = signOffPlace(definition, state, viewer, action, name);
      if (!('code' in place) && !refusalFor(definition, state, action, viewer, undefined, name))
        allowed.push({ action, step: state.status, meaning: outcome.meaning, role: place.role, outcome: name });
    }
  }
  for (const task of state.openTasks) {
    if (!refusalFor(definition, state, 'complete_task', viewer, task.taskId))
      allowed.push({ action: 'complete_task', step: state.status, taskId: task.taskId });
  }
  return allowed;
}
