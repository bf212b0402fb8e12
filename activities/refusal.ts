import { ApplicationFailure } from '@temporalio/activity';
import type { RefusalCode } from '../workflows/contracts/common';

/** A business rule said no: not retried, and the workflow turns it into a failed Update. */
export function refusal(code: RefusalCode, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true });
}
