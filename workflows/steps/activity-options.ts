// How workflows call their activities. Activity options do not enter the command sequence that
// replay compares, so they may change without patched().
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/** One database transaction: retried with backoff until the database answers; refusals are not retried. */
export const TRANSACTION_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
};

/**
 * The same transaction as a local activity: the worker that runs the workflow task runs it and
 * records its result in that task, so an Update answers without two more round trips through the
 * Temporal server. Worth it only because these transactions are short; the retry policy is the same.
 */
export const LOCAL_TRANSACTION_ACTIVITY: LocalActivityOptions = {
  startToCloseTimeout: TRANSACTION_ACTIVITY.startToCloseTimeout,
  retry: TRANSACTION_ACTIVITY.retry,
};

/** Rendering and sealing the controlled-record PDF can take a while for long audit trails. */
export const CLOSURE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
};
