import type { UserWithRoles } from '../../db/repositories';
import { passwordExpired, type PasswordPolicy } from '../../signatures/password-policy';

/** What a signed-in person must do before anything else (first-login change, expiry, TOTP enrolment). */
export interface PendingActions {
  passwordChange: boolean;
  totpEnrolment: boolean;
  /**
   * An administrator reset the password and the person has not completed it yet: the session can do
   * nothing else, and no signing key exists. `factors` are what completion accepts.
   */
  credentialReset?: { requestedAt: string; factors: ResetFactor[]; approvedBySecondAdministrator: boolean };
}

/** What completes an administrator's reset: a factor the administrator cannot read, or a second administrator. */
export type ResetFactor = 'totp' | 'recovery_code' | 'second_administrator';

export function pendingActions(user: UserWithRoles, policy: PasswordPolicy, totpConfirmed: boolean, now: Date): PendingActions {
  return {
    passwordChange: user.mustChangePassword || passwordExpired({ changedAt: user.passwordChangedAt, now, policy }),
    totpEnrolment: !totpConfirmed && user.roles.some((role) => policy.requireTotpForRoles.includes(role)),
  };
}
