import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** gRPC UNAVAILABLE: the server asks the caller to try again. */
const UNAVAILABLE = 14;

/**
 * Temporal refused an Update *before accepting it*, because the workflow task that carried it failed
 * or timed out (a worker overloaded, restarted or killed meanwhile). Nothing of the Update happened:
 * the caller may send it again with the same update id. Seen under load as an Update failure
 * "Workflow Update is rejected because it wasn't processed by worker" and as a ServiceError whose
 * gRPC cause says the workflow is not ready after an unexpected workflow task failure.
 */
export function updateNotAccepted(error: unknown): boolean {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    return cause instanceof ApplicationFailure && /wasn't processed by worker/i.test(cause.message);
  }
  if (error instanceof ServiceError && isGrpcServiceError(error.cause)) {
    const { code, details } = error.cause;
    return code === UNAVAILABLE || /workflow task failure|not ready/i.test(details ?? '');
  }
  return false;
}
