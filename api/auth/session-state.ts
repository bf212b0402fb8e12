import type { UserWithRoles } from '../../db/repositories';
import { passwordExpired, type PasswordPolicy } from '../../signatures/password-policy';

/** What a signed-in person must do before anything else (first-login change, expiry, TOTP enrolment). */
export interface PendingActions {
  passwordChange: boolean;
  totpEnrolment: boolean;
}

export function pendingActions(user: UserWithRoles, policy: PasswordPolicy, totpConfirmed: boolean, now: Date): PendingActions {
  return {
    passwordChange: user.mustChangePassword || passwordExpired({ changedAt: user.passwordChangedAt, now, policy }),
    totpEnrolment: !totpConfirmed && user.roles.some((role) => policy.requireTotpForRoles.includes(role)),
  };
}
