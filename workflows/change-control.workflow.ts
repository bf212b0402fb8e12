// Change control, minimal path: draft → submit → QA approval e-signature → closed,
// or QA rejects with a reason → back to draft. Deterministic: every side effect is an activity.
import { allHandlersFinished, condition, patched, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import type { ChangeControlActivities } from '../activities/change-control.contracts';
import type { RecordClosureActivities } from '../activities/record-closure.contracts';
import {
  createdUpdate,
  RefusalCodes,
  rejectUpdate,
  signUpdate,
  stateQuery,
  submitUpdate,
  type ChangeControlInput,
  type ChangeControlState,
  type ChangeControlStatus,
  type SignedManifest,
} from './contracts';
import { CLOSURE_ACTIVITY, TRANSACTION_ACTIVITY } from './steps/activity-options';
import { asUpdateOutcome, refuse } from './steps/failures';

const activities = proxyActivities<ChangeControlActivities>(TRANSACTION_ACTIVITY);
const closure = proxyActivities<RecordClosureActivities>(CLOSURE_ACTIVITY);

function requireStep(state: ChangeControlState | null, step: ChangeControlStatus, action: string): void {
  if (state && state.status !== step) {
    refuse({
      code: RefusalCodes.stepNotAllowed,
      message: `${action} is not allowed in step "${state.status}" of ${state.number}; it needs step "${step}".`,
    });
  }
}

export async function changeControl(input: ChangeControlInput): Promise<ChangeControlState> {
  let state: ChangeControlState | null = null;
  // One action at a time: the next handler starts after the previous one's activity returned.
  let busy = false;
  const exclusive = async <T>(run: (current: ChangeControlState) => Promise<T>): Promise<T> => {
    await condition(() => state !== null && !busy);
    busy = true;
    try {
      return await run(state!);
    } finally {
      busy = false;
    }
  };

  setHandler(stateQuery, () => state);
  setHandler(createdUpdate, async () => {
    await condition(() => state !== null);
    return state!;
  });

  setHandler(
    submitUpdate,
    (request) =>
      exclusive(async (current) => {
        requireStep(current, 'draft', 'Submit');
        const round = current.round + 1;
        const result = await asUpdateOutcome(() =>
          activities.submitChangeControl({ recordId: current.recordId, transitionId: uuid4(), round, context: request.context }),
        );
        current.round = round;
        current.status = result.status;
        return { ...current };
      }),
    { validator: (_request) => requireStep(state, 'draft', 'Submit') },
  );

  const alreadySignedThisRound = (current: ChangeControlState, signerId: string) =>
    current.signatures.some((s) => s.signerId === signerId && s.step === 'qa_approval' && s.round === current.round);

  const decide = (
    outcome: 'approved' | 'rejected',
    signatureId: string,
    reason: string | null,
    signed: SignedManifest,
    context: ChangeControlInput['context'],
  ) =>
    exclusive(async (current) => {
      requireStep(current, 'qa_approval', outcome === 'approved' ? 'Signing' : 'Rejecting');
      if (alreadySignedThisRound(current, context.actorId)) {
        refuse({ code: RefusalCodes.alreadySigned, message: `You have already signed step "qa_approval" of ${current.number}.` });
      }
      const result = await asUpdateOutcome(() =>
        activities.decideQaApproval({ recordId: current.recordId, transitionId: uuid4(), signatureId, outcome, reason, signed, context }),
      );
      current.signatures.push({ signatureId, signerId: context.actorId, step: 'qa_approval', meaning: outcome, round: current.round });
      current.status = result.status;
      return { ...current, signatures: [...current.signatures] };
    });

  const validateDecision = (actorId: string) => {
    requireStep(state, 'qa_approval', 'Signing');
    if (state && alreadySignedThisRound(state, actorId)) {
      refuse({ code: RefusalCodes.alreadySigned, message: `You have already signed step "qa_approval" of ${state.number}.` });
    }
  };

  setHandler(signUpdate, (request) => decide('approved', request.signatureId, null, request.signed, request.context), {
    validator: (request) => validateDecision(request.context.actorId),
  });
  setHandler(rejectUpdate, (request) => decide('rejected', request.signatureId, request.reason, request.signed, request.context), {
    validator: (request) => validateDecision(request.context.actorId),
  });

  const created = await activities.createChangeControlRecord({
    recordId: input.recordId,
    workflowId: `change-control/${input.recordId}`,
    content: input.content,
    context: input.context,
  });
  state = {
    recordId: created.recordId,
    number: created.number,
    status: 'draft',
    version: created.version,
    contentHash: created.contentHash,
    authorId: created.authorId,
    round: 0,
    signatures: [],
  };

  await condition(() => state!.status === 'closed' && allHandlersFinished());
  // Added after the first release of this workflow: histories recorded before it closed without it.
  if (patched('closure-record-pdf')) {
    await closure.produceClosureRecord({ recordId: state.recordId });
  }
  return state;
}
