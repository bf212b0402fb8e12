// Signing or rejecting in a sign-off step: one e-signature that fills a place of the chosen
// outcome's quorum, and the step change when it completes that quorum (or rejects), in one activity.
import { uuid4 } from '@temporalio/workflow';
import type { TransitionSpec } from '../contracts/process-activities';
import type { SignedManifest } from '../contracts/common';
import { ProcessRefusalCodes, type ActorContext, type ProcessState, type Viewer } from '../contracts/process-contracts';
import { stepOf } from './definition';
import { asUpdateOutcome, refuse } from './failures';
import type { ProcessRun } from './process-run';
import { chosenOutcome, resolveOutcome, signOffPlace } from './rules';
import { enterStep, tasksFor } from './transitions';

export interface SignOffRequest {
  signatureId: string;
  signed: SignedManifest;
  context: ActorContext;
  reason?: string;
  outcome?: string;
}

export const viewerOf = (context: ActorContext): Viewer => ({ userId: context.actorId, roles: context.actorRoles });

/** The handler body of the sign (`sign`) or reject (`reject`) Update, run under the action lock. */
export const decide =
  (run: ProcessRun, action: 'sign' | 'reject') =>
  async (current: ProcessState, request: SignOffRequest): Promise<void> => {
    const { definition, state } = run;
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
      const openTasks = tasksFor(run, to, current);
      transition = {
        transitionId: uuid4(),
        from: current.status,
        to,
        auditAction: resolution.auditAction,
        reason: request.reason ?? null,
        openTasks,
        closeTaskIds: state.withFollowUps(state.tasksOfStep(current.status)),
      };
    }
    const result = await asUpdateOutcome(() =>
      run.activities.signProcessStep({
        recordId: current.recordId,
        signatureId: request.signatureId,
        step: current.status,
        role: place.role,
        meaning,
        reason: request.reason ?? null,
        authorMayNotSign: step.authorMayNotSign,
        signed: request.signed,
        context: request.context,
        closeTaskIds: ownTask ? state.withFollowUps([ownTask.taskId]) : [],
        transition,
      }),
    );
    state.noteVersion(result);
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
      state.closeTasks(transition.closeTaskIds);
      await enterStep(run, { from: current.status, to, openTasks: transition.openTasks, reason: transition.reason, context: request.context });
    } else if (ownTask) {
      state.closeTasks(state.withFollowUps([ownTask.taskId]));
    }
  };
