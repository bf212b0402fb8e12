import { Injectable } from '@nestjs/common';
import type { AttestflowConfig } from '../../config/config';
import type { DatabaseHandle } from '../../db/client';
import {
  appendAuditEvent,
  endOtherUserSessions,
  endSession,
  findLiveSessionWithUser,
  findTotp,
  findUserById,
  findUserByUsername,
  insertSession,
  recentPasswordHashes,
  setUserPassword,
  touchSession,
  unusedRecoveryCodes,
  useRecoveryCode,
  useTotpStep,
  type UserWithRoles,
} from '../../db/repositories';
import type { SessionRow } from '../../db/schema';
import { completeCredentialReset, pendingCredentialReset } from '../../db/repositories/credential-resets.repository';
import type { CredentialResetRow } from '../../db/schema/credential-resets';
import { hashPassword } from '../../signatures';
import { checkNewPassword } from '../../signatures/password-policy';
import { matchRecoveryCode } from '../../signatures/recovery-codes';
import { verifyTotp } from '../../signatures/totp';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectConfig, InjectDatabase } from '../infrastructure';
import { UserKeysService } from '../pki/user-keys.service';
import { FailedAttemptsService } from './failed-attempts.service';
import { PasswordPolicyService } from './password-policy.service';
import { PasswordVerifier } from './password-verifier';
import { resetFactorsFor } from './reset-factors';
import { pendingActions, type PendingActions, type ResetFactor } from './session-state';

type PendingInputs = [Awaited<ReturnType<PasswordPolicyService['current']>>, Awaited<ReturnType<typeof findTotp>>, CredentialResetRow | undefined];
import { newSessionToken } from './session-cookie';
import type { UserView } from './auth.view';

export type { UserView } from './auth.view';

/** `firstSignatureAt`: when the session made its first signature (null: none yet, or a new session). */
export const toUserView = (user: UserWithRoles, pending: PendingActions, sessionIdleMinutes: number, firstSignatureAt: Date | null): UserView => ({
  id: user.id,
  username: user.username,
  printedName: user.printedName,
  roles: user.roles,
  status: user.status,
  locked: user.lockedAt !== null,
  pending,
  sessionIdleSeconds: sessionIdleMinutes * 60,
  signatureNeedsUsername: firstSignatureAt === null,
});

/** A signer's fresh user row and whether the password matches its hash, being worked out. */
export interface StartedReauthentication {
  current: Promise<UserWithRoles | undefined>;
  matches: Promise<boolean>;
}

export interface SecondFactor {
  totpCode?: string;
  recoveryCode?: string;
}

/** Identity: login with lockout and second factor, sessions, password changes, re-authentication. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectConfig() private readonly config: AttestflowConfig,
    private readonly policies: PasswordPolicyService,
    private readonly failures: FailedAttemptsService,
    private readonly keys: UserKeysService,
    private readonly passwords: PasswordVerifier,
  ) {}

  private get db() {
    return this.database.db;
  }

  /**
   * What the person must do before anything else (password change, TOTP enrolment, a reset to
   * complete). `inputs` lets a caller start the reads early, beside other work, and decide with a
   * user row read later.
   */
  async pendingFor(user: UserWithRoles, inputs: Promise<PendingInputs> = this.pendingInputs(user.id)): Promise<PendingActions> {
    const [policy, totp, reset] = await inputs;
    const pending = pendingActions(user, policy, Boolean(totp?.confirmedAt), new Date());
    if (!reset) return pending;
    return {
      ...pending,
      credentialReset: {
        requestedAt: reset.requestedAt.toISOString(),
        factors: await this.resetFactors(user.id, reset),
        approvedBySecondAdministrator: reset.approvedBy !== null,
      },
    };
  }

  /** The reads `pendingFor` decides on; a rejection is handled when (and if) it is awaited. */
  pendingInputs(userId: string): Promise<PendingInputs> {
    const inputs = Promise.all([this.policies.current(), findTotp(this.db, userId), pendingCredentialReset(this.db, userId)]);
    inputs.catch(() => undefined);
    return inputs;
  }

  /**
   * What can complete this reset: the person's TOTP (enrolled before the reset) or one of their
   * recovery codes (issued before it), and always the approval of a second administrator.
   */
  async resetFactors(userId: string, reset: Pick<CredentialResetRow, 'requestedAt'>): Promise<ResetFactor[]> {
    return resetFactorsFor(this.db, userId, reset.requestedAt);
  }

  /** True while an administrator's reset of this person's password is not completed (no signing key exists). */
  async resetPending(userId: string): Promise<boolean> {
    return (await pendingCredentialReset(this.db, userId)) !== undefined;
  }

  /** Refusals that apply to a user whose password was right: disabled and locked accounts. */
  private async refuseInactive(user: UserWithRoles, action: string, client: ClientInfo): Promise<void> {
    if (user.status === 'active' && user.lockedAt === null) return;
    const locked = user.lockedAt !== null;
    await this.auditOwnAction(user, client, `${action}.refused`, locked ? 'account locked' : 'account disabled');
    if (locked) throw new AppError('account_locked', 'This account is locked after repeated failed attempts; an administrator must unlock it.');
    throw new AppError('user_inactive', 'This account is disabled.');
  }

  async login(
    username: string,
    password: string,
    factor: SecondFactor,
    client: ClientInfo,
  ): Promise<{ token: string; user: UserWithRoles; pending: PendingActions }> {
    const user = await findUserByUsername(this.db, username);
    // One argon2id verification for every attempt (a dummy hash for an unknown username), before any
    // refusal, so that how long the answer takes does not tell which usernames exist.
    const passwordMatches = await this.passwords.verify(user?.passwordHash, password);
    if (user?.lockedAt) await this.refuseInactive(user, 'login', client);
    if (!user || !passwordMatches) {
      const { locked } = await this.failures.record(
        user,
        { action: 'login.failed', entityType: 'user', entityId: user?.id ?? username, reason: user ? 'wrong password' : 'unknown username' },
        client,
        username,
      );
      if (locked) throw new AppError('account_locked', 'Too many failed attempts: this account is now locked; an administrator must unlock it.');
      throw new AppError('invalid_credentials', 'The username or password is wrong.');
    }
    await this.refuseInactive(user, 'login', client);
    const factorUsed = await this.checkSecondFactor(user, factor, client);
    await this.failures.reset(user);

    const now = new Date();
    const { token, id } = newSessionToken();
    const expiresAt = new Date(now.getTime() + this.config.sessionAbsoluteHours * 3600_000);
    await this.db.transaction(async (tx) => {
      await insertSession(tx, { id, userId: user.id, createdAt: now, lastSeenAt: now, expiresAt, ...client });
      await appendAuditEvent(tx, {
        occurredAt: now,
        actorId: user.id,
        actorName: user.printedName,
        action: 'login.succeeded',
        entityType: 'user',
        entityId: user.id,
        newValue: { factors: factorUsed },
        ...client,
      });
    });
    return { token, user, pending: await this.pendingFor(user) };
  }

  /** TOTP (or a recovery code) when the person has enrolled; each use is audited. */
  private async checkSecondFactor(user: UserWithRoles, factor: SecondFactor, client: ClientInfo): Promise<string> {
    const totp = await findTotp(this.db, user.id);
    if (!totp?.confirmedAt) return 'password';
    if (!factor.totpCode && !factor.recoveryCode) throw new AppError('totp_required', 'Enter the code from your authenticator app (or a recovery code).');
    const used = await this.spendSecondFactor(user, totp, factor, client);
    if (used) return `password+${used}`;
    const { locked } = await this.failures.record(
      user,
      { action: 'totp.failed', entityType: 'user', entityId: user.id, reason: 'wrong or reused second-factor code' },
      client,
    );
    if (locked) throw new AppError('account_locked', 'Too many failed attempts: this account is now locked; an administrator must unlock it.');
    throw new AppError('invalid_credentials', 'The authenticator code is wrong or was already used.');
  }

  async logout(sessionId: string, user: UserWithRoles, client: ClientInfo): Promise<void> {
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await endSession(tx, sessionId, now, 'logout');
      await appendAuditEvent(tx, {
        occurredAt: now,
        actorId: user.id,
        actorName: user.printedName,
        action: 'logout',
        entityType: 'user',
        entityId: user.id,
        ...client,
      });
    });
  }

  /** The user and session behind a cookie, enforcing idle and absolute timeouts and revocation. */
  /**
   * The session's person, in one read; then, side by side, the session's last-seen time is moved
   * on and what the person must do first is read (the guard refuses other requests until it is done).
   */
  async authenticateSession(sessionId: string): Promise<{ user: UserWithRoles; session: SessionRow; pending: PendingActions }> {
    const found = await findLiveSessionWithUser(this.db, sessionId);
    if (!found) throw new AppError('not_authenticated', 'Sign in first.');
    const { session, user } = found;
    const now = new Date();
    const idleLimit = session.lastSeenAt.getTime() + this.config.sessionIdleMinutes * 60_000;
    if (now.getTime() > idleLimit || now > session.expiresAt) {
      await endSession(this.db, sessionId, now, now > session.expiresAt ? 'absolute_timeout' : 'idle_timeout');
      throw new AppError('session_expired', 'Your session has expired; sign in again.');
    }
    if (user.status !== 'active' || user.lockedAt) {
      await endSession(this.db, sessionId, now, 'user_inactive');
      throw new AppError('not_authenticated', 'Sign in first.');
    }
    const [pending] = await Promise.all([this.pendingFor(user), touchSession(this.db, sessionId, now)]);
    return { user, session, pending };
  }

  /**
   * The reads and the argon2id verification `reauthenticate` decides on, started ahead of it (so
   * that they overlap the work before it); nothing is decided, recorded or counted until then, and
   * what is left unused is dropped with the request.
   */
  startReauthentication(userId: string, password: string): StartedReauthentication {
    const current = findUserById(this.db, userId);
    const matches = current.then((row) => this.passwords.verify(row?.passwordHash, password));
    // A rejection is handled when (and if) reauthenticate awaits it.
    current.catch(() => undefined);
    matches.catch(() => undefined);
    return { current, matches };
  }

  /**
   * Verifies the password of a signer (11.200(a)); a wrong one is an audited failed attempt that
   * counts toward lockout. Returns the fresh user row. `started`: the same reads and verification,
   * begun earlier by `startReauthentication` for this user and password.
   */
  async reauthenticate(
    user: UserWithRoles,
    password: string,
    attempt: { recordId: string | null; signatureId: string; action: string },
    client: ClientInfo,
    started?: StartedReauthentication,
  ): Promise<UserWithRoles> {
    const current = (await (started?.current ?? findUserById(this.db, user.id)))!;
    await this.refuseInactive(current, 'signature', client);
    if (await (started?.matches ?? this.passwords.verify(current.passwordHash, password))) {
      await this.failures.reset(current);
      return current;
    }
    const { locked } = await this.failures.record(
      current,
      {
        action: 'signature.failed',
        entityType: 'signature',
        entityId: attempt.signatureId,
        recordId: attempt.recordId,
        reason: 'wrong password',
        attempted: { attemptedAction: attempt.action },
      },
      client,
    );
    if (locked) throw new AppError('account_locked', 'Too many failed attempts: this account is now locked; nothing was signed.');
    throw new AppError('invalid_credentials', 'The password is wrong; nothing was signed.');
  }

  /**
   * The person changes their own password (first login, expiry, or at will): policy, history,
   * and their signing key is re-encrypted under the new password (or issued, if they have none).
   */
  /** `sessionId`: the session that changes the password stays; the person's other sessions end with it. */
  async changePassword(
    user: UserWithRoles,
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
    factor: SecondFactor = {},
    sessionId: string | null = null,
  ): Promise<void> {
    const fresh = await this.reauthenticate(user, currentPassword, { recordId: null, signatureId: user.id, action: 'password_change' }, client);
    const policy = await this.policies.current();
    const previous = await recentPasswordHashes(this.db, fresh.id, policy.historyCount);
    const problems = await checkNewPassword({
      password: newPassword,
      username: fresh.username,
      printedName: fresh.printedName,
      policy,
      // The history includes the current password once it was set through the policy; seeded and
      // administrator-issued one-time passwords are refused too.
      previousHashes: previous.includes(fresh.passwordHash) ? previous : [fresh.passwordHash, ...previous],
    });
    if (problems.length) {
      throw new AppError('password_rejected', problems.map((p) => p.message).join(' '), { problems });
    }
    // 11.200(a), 11.300(c): after an administrator's reset only the person may set the password
    // (which issues the new signing key): with a factor the administrator cannot read, or with the
    // approval of a second, different administrator.
    const reset = await pendingCredentialReset(this.db, fresh.id);
    const completedWith = reset ? await this.resetCompletionFactor(fresh, reset, factor, client) : null;
    const hash = await hashPassword(newPassword);
    const at = new Date();
    await this.db.transaction(async (tx) => {
      if (reset && completedWith) {
        if (!(await completeCredentialReset(tx, reset.id, at, completedWith))) {
          throw new AppError('step_not_allowed', 'This password reset was replaced by a newer one or already completed; sign in again.');
        }
        await appendAuditEvent(tx, {
          occurredAt: at,
          actorId: fresh.id,
          actorName: fresh.printedName,
          action: 'user.password_reset_completed',
          entityType: 'user',
          entityId: fresh.id,
          oldValue: { resetPending: true },
          newValue: { resetPending: false, completedWith, requestedBy: reset.requestedBy, approvedBy: reset.approvedBy },
          reason: `password reset completed by the person (${completedWith.replace(/_/g, ' ')})`,
          ...client,
        });
      }
      await setUserPassword(tx, fresh.id, hash, at, false);
      await this.keys.onPasswordSet(tx, fresh, currentPassword, newPassword, at, client);
      // Whoever held another session (someone who knew the old password) is signed out.
      const endedSessions = sessionId ? await endOtherUserSessions(tx, fresh.id, sessionId, at, 'password_changed') : 0;
      await appendAuditEvent(tx, {
        occurredAt: at,
        actorId: fresh.id,
        actorName: fresh.printedName,
        action: 'password.changed',
        entityType: 'user',
        entityId: fresh.id,
        reason: reset
          ? 'after a password reset by an administrator'
          : fresh.mustChangePassword
            ? 'first sign-in with a one-time password'
            : 'changed by the user',
        newValue: { otherSessionsEnded: endedSessions },
        ...client,
      });
    });
  }
  /**
   * An audit event of the person's own action on their account, in a transaction of its own: the
   * chain's advisory lock holds only inside one, and concurrent appends outside it took the same seq.
   */
  private auditOwnAction(user: UserWithRoles, client: ClientInfo, action: string, reason: string | null) {
    return this.db.transaction((tx) =>
      appendAuditEvent(tx, {
        occurredAt: new Date(),
        actorId: user.id,
        actorName: user.printedName,
        action,
        entityType: 'user',
        entityId: user.id,
        reason,
        ...client,
      }),
    );
  }

  /**
   * Checks and uses up the TOTP code or the recovery code given (one use each, audited); with
   * `issuedBefore`, only an authenticator enrolled and codes issued before then count. Null when
   * the code is wrong or already used: the caller records the failed attempt.
   */
  private async spendSecondFactor(
    user: UserWithRoles,
    totp: Awaited<ReturnType<typeof findTotp>>,
    factor: SecondFactor,
    client: ClientInfo,
    { issuedBefore, purpose }: { issuedBefore?: Date; purpose?: string } = {},
  ): Promise<'totp' | 'recovery_code' | null> {
    const issuedInTime = (at: Date | null) => at !== null && (!issuedBefore || at <= issuedBefore);
    if (factor.totpCode) {
      const result = totp && issuedInTime(totp.confirmedAt) ? verifyTotp(totp.secret, factor.totpCode, new Date(), { window: 1 }) : null;
      if (result?.ok && result.step !== undefined && (await useTotpStep(this.db, user.id, result.step))) {
        await this.auditOwnAction(user, client, 'totp.used', purpose ?? null);
        return 'totp';
      }
    } else if (factor.recoveryCode) {
      const codes = (await unusedRecoveryCodes(this.db, user.id)).filter((c) => issuedInTime(c.createdAt));
      const index = await matchRecoveryCode(
        factor.recoveryCode,
        codes.map((c) => c.codeHash),
      );
      if (index >= 0 && (await useRecoveryCode(this.db, codes[index]!.id, new Date()))) {
        const left = `${codes.length - 1} recovery codes left`;
        await this.auditOwnAction(user, client, 'recovery_code.used', purpose ? `${purpose}; ${left}` : left);
        return 'recovery_code';
      }
    }
    return null;
  }

  /**
   * The factor that completes a pending reset. A TOTP code (of an authenticator enrolled before the
   * reset) or a recovery code (issued before it) is checked and used up; a wrong one is an audited
   * failed attempt counting toward lockout. Without either, a second administrator's approval.
   */
  private async resetCompletionFactor(user: UserWithRoles, reset: CredentialResetRow, factor: SecondFactor, client: ClientInfo): Promise<ResetFactor> {
    if (factor.totpCode || factor.recoveryCode) {
      const used = await this.spendSecondFactor(user, await findTotp(this.db, user.id), factor, client, {
        issuedBefore: reset.requestedAt,
        purpose: 'to complete a password reset',
      });
      if (used) return used;
      const { locked } = await this.failures.record(
        user,
        { action: 'password_reset.factor_failed', entityType: 'user', entityId: user.id, reason: 'wrong or reused code to complete a password reset' },
        client,
      );
      if (locked) throw new AppError('account_locked', 'Too many failed attempts: this account is now locked; an administrator must unlock it.');
      throw new AppError('invalid_credentials', 'The authenticator or recovery code is wrong or was already used; the password was not changed.');
    }
    if (reset.approvedBy) return 'second_administrator';
    const factors = await this.resetFactors(user.id, reset);
    await this.auditOwnAction(user, client, 'password_reset.completion_refused', 'no personal factor given and no second administrator has approved');
    throw new AppError(
      'reset_factor_required',
      'An administrator reset this password. To complete it, give the code from your authenticator app or one of your recovery codes; if you have neither, a second administrator must approve the reset.',
      { factors },
    );
  }
}
