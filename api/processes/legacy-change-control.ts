// Change controls started before the full process existed run the single-approval `changeControl`
// workflow (workflows/change-control.workflow.ts) until they close: draft → qa_approval → closed.
// The API drives them with that workflow's own Updates, so the upgrade strands none of them.
import type { WorkflowHandle } from '@temporalio/client';
import { rejectUpdate, signUpdate, stateQuery, submitUpdate, type RequestContext, type SignedManifest } from '../../workflows/contracts';
import type { ProcessActionName } from '../../workflows/process-contracts';
import { AppError } from '../common/app-error';

export const isLegacyChangeControl = (workflowId: string) => workflowId.startsWith('change-control/');

/** What the legacy workflow can do, in which step, with which signature meaning. */
const LEGACY_ACTIONS: Partial<Record<ProcessActionName, { step: 'draft' | 'qa_approval'; meaning?: string }>> = {
  submit: { step: 'draft' },
  sign: { step: 'qa_approval', meaning: 'approved' },
  reject: { step: 'qa_approval', meaning: 'rejected' },
};

/** Refuses what the legacy workflow cannot do now; returns the meaning a signature would carry. */
export async function legacyAction(handle: WorkflowHandle, number: string, action: ProcessActionName): Promise<{ step: string; meaning?: string }> {
  const allowed = LEGACY_ACTIONS[action];
  const state = await handle.query(stateQuery);
  const status = state?.status ?? 'draft';
  if (!allowed) {
    throw new AppError(
      'step_not_allowed',
      `${number} runs the earlier change-control process (draft → QA approval → closed): it can only be submitted, signed and rejected.`,
      {
        step: status,
      },
    );
  }
  if (status !== allowed.step) {
    throw new AppError('step_not_allowed', `This action is not allowed in step "${status}" of ${number}; it needs step "${allowed.step}".`, { step: status });
  }
  return allowed;
}

export function legacySubmit(handle: WorkflowHandle, context: RequestContext) {
  return handle.executeUpdate(submitUpdate, { args: [{ context }] });
}

export function legacyDecision(
  handle: WorkflowHandle,
  request: { signatureId: string; signed: SignedManifest; context: RequestContext; reason: string | null },
) {
  const { signatureId, signed, context, reason } = request;
  return reason === null
    ? handle.executeUpdate(signUpdate, { updateId: signatureId, args: [{ signatureId, signed, context }] })
    : handle.executeUpdate(rejectUpdate, { updateId: signatureId, args: [{ signatureId, reason, signed, context }] });
}
