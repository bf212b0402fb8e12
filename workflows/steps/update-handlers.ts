// The process's messages: the Query and the refusal Query over its state, the signals other
// processes send, and one Update per action. Each Update's validator refuses what the rules refuse
// (no event in history); its handler takes the action lock, checks the same rules again on the
// state it finds there, runs the action and answers with the new state.
import { condition, setHandler } from '@temporalio/workflow';
import {
  actionRefusalQuery,
  amendUpdate,
  cancelUpdate,
  childCreatedSignal,
  childDoneSignal,
  completeTaskUpdate,
  obsoleteUpdate,
  processCreatedUpdate,
  processEventSignal,
  processQuery,
  rejectStepUpdate,
  signStepUpdate,
  submitStepUpdate,
  type ActorContext,
  type AmendRequest,
  type CompleteTaskRequest,
  type ProcessActionName,
  type ProcessState,
  type ProcessView,
  type ReasonRequest,
  type RejectStepRequest,
  type SignStepRequest,
  type SubmitStepRequest,
} from '../contracts/process-contracts';
import { refuse } from './failures';
import type { ProcessRun } from './process-run';
import { amend, cancel, completeTask, obsolete, submit } from './record-actions';
import { decide, viewerOf } from './signoff-actions';

export function setProcessHandlers(run: ProcessRun): void {
  const { state } = run;

  setHandler(processQuery, (viewer) => state.view(viewer));
  setHandler(actionRefusalQuery, (action, viewer, taskId) =>
    state.exists ? state.refusalOf(action, viewer, taskId ?? undefined) : { code: 'not_found', message: 'The record is being created.' },
  );
  setHandler(processCreatedUpdate, async () => {
    await condition(() => state.exists);
    return state.snapshot();
  });
  setHandler(processEventSignal, ({ event }) => {
    state.raise([event]);
  });
  // A child process reached the state in which it has done what this process asked of it.
  setHandler(childDoneSignal, ({ recordId }) => {
    state.childDone(recordId);
  });
  setHandler(childCreatedSignal, ({ recordId }) => {
    state.noteChildCreated(recordId);
  });

  const validate = (action: ProcessActionName, context: ActorContext, taskId?: string, outcome?: string) => {
    const refusal = state.refusalOf(action, viewerOf(context), taskId, outcome);
    if (refusal) refuse(refusal);
  };
  /** The handler (under the lock, validating again) and the validator of one action's Update. */
  const guarded = <R extends { context: ActorContext; outcome?: string }>(
    action: ProcessActionName,
    act: (current: ProcessState, request: R) => Promise<void>,
    taskIdOf?: (r: R) => string,
    answersView = false,
  ) =>
    [
      (request: R): Promise<ProcessState | ProcessView> =>
        run.exclusive(async (current) => {
          validate(action, request.context, taskIdOf?.(request), request.outcome);
          await act(current, request);
          // The signer's view as the process Query would answer it now (sign-offs, patched).
          return (answersView && state.view(viewerOf(request.context))) || state.snapshot();
        }),
      { validator: (request: R) => validate(action, request.context, taskIdOf?.(request), request.outcome) },
    ] as const;

  setHandler(submitStepUpdate, ...guarded<SubmitStepRequest>('submit', (current, request) => submit(run, current, request)));
  setHandler(signStepUpdate, ...guarded<SignStepRequest>('sign', decide(run, 'sign'), undefined, run.signOffAnswersView));
  setHandler(rejectStepUpdate, ...guarded<RejectStepRequest>('reject', decide(run, 'reject'), undefined, run.signOffAnswersView));
  setHandler(amendUpdate, ...guarded<AmendRequest>('amend', (current, request) => amend(run, current, request)));
  setHandler(cancelUpdate, ...guarded<ReasonRequest>('cancel', (current, request) => cancel(run, current, request)));
  setHandler(
    completeTaskUpdate,
    ...guarded<CompleteTaskRequest>(
      'complete_task',
      (current, request) => completeTask(run, current, request),
      (request) => request.taskId,
    ),
  );
  setHandler(obsoleteUpdate, ...guarded<ReasonRequest>('obsolete', (current, request) => obsolete(run, current, request)));
}
