// How a process says no: a refusal fails only the Update (the workflow goes on), with the code the
// API maps to an HTTP status and the step it was refused in.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from './rules';

export function refuse(refusal: Refusal): never {
  throw ApplicationFailure.create({
    type: refusal.code,
    message: refusal.message,
    nonRetryable: true,
    details: refusal.step ? [{ step: refusal.step }] : undefined,
  });
}

/** Activity refusals (authority, separation of duties, stale version) fail only the Update. */
export async function asUpdateOutcome<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
      refuse({ code: error.cause.type ?? 'activity_failed', message: error.cause.message });
    }
    throw error;
  }
}
