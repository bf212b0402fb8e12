import type { Executor } from '../../db/client';
import { findTotp, unusedRecoveryCodes } from '../../db/repositories';
import type { ResetFactor } from './session-state';

/**
 * What can complete a password reset requested at `requestedAt`: the person's TOTP (enrolled before
 * the reset) or one of their recovery codes (issued before it), and always the approval of a second
 * administrator. Shown to the administrator who resets and to the person who completes.
 */
export async function resetFactorsFor(db: Executor, userId: string, requestedAt: Date): Promise<ResetFactor[]> {
  const totp = await findTotp(db, userId);
  const codes = await unusedRecoveryCodes(db, userId);
  const factors: ResetFactor[] = [];
  if (totp?.confirmedAt && totp.confirmedAt <= requestedAt) factors.push('totp');
  if (codes.some((c) => c.createdAt <= requestedAt)) factors.push('recovery_code');
  factors.push('second_administrator');
  return factors;
}
