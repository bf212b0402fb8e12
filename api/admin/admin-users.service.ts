import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DatabaseHandle, Executor } from '../../db/client';
import {
  activeUsersHoldingRoles,
  appendAuditEvent,
  endUserSessions,
  findRoles,
  findUserById,
  findUserByUsername,
  insertUser,
  listUsersWithRoles,
  type ListPage,
  lockRoleAssignments,
  replaceRoles,
  setUserPassword,
  setUserStatus,
  unlockUser,
  type UserWithRoles,
} from '../../db/repositories';
import { approveCredentialReset, openCredentialReset, pendingCredentialReset } from '../../db/repositories/credential-resets.repository';
import { hashPassword, oneTimePassword } from '../../signatures';
import { resetFactorsFor } from '../auth/reset-factors';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { UserKeysService } from '../pki/user-keys.service';
import { ADMINISTRATOR_ROLE, assertNoDutyConflict } from './role-duties';

/**
 * Account administration (11.10(d), 11.100, 11.300(c)). Nothing is deleted: a leaver is disabled,
 * so user ids and usernames are never reused. Every change is an audit event with its reason.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly keys: UserKeysService,
  ) {}

  private get db() {
    return this.database.db;
  }

  async list(page: ListPage = {}) {
    const users = await listUsersWithRoles(this.db, page);
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      printedName: u.printedName,
      roles: u.roles,
      status: u.status,
      locked: u.lockedAt !== null,
      createdAt: u.createdAt.toISOString(),
    }));
  }

  private async target(id: string): Promise<UserWithRoles> {
    const user = await findUserById(this.db, id);
    if (!user) throw new AppError('not_found', `No user with id ${id}.`);
    return user;
  }

  private audit(
    admin: UserWithRoles,
    client: ClientInfo,
    at: Date,
    target: string,
    action: string,
    oldValue: Record<string, unknown> | null,
    newValue: Record<string, unknown> | null,
    reason: string,
  ) {
    return {
      occurredAt: at,
      actorId: admin.id,
      actorName: admin.printedName,
      action,
      entityType: 'user',
      entityId: target,
      oldValue: oldValue as never,
      newValue: newValue as never,
      reason,
      ...client,
    };
  }

  /** A new account with a one-time password, shown once to the administrator to hand over. */
  async create(admin: UserWithRoles, input: { username: string; printedName: string; roles: string[]; reason: string }, client: ClientInfo) {
    if (await findUserByUsername(this.db, input.username)) {
      throw new AppError('username_taken', `The username "${input.username}" belongs to an existing or former user and is never reused.`);
    }
    assertNoDutyConflict(input.username, await findRoles(this.db, input.roles));
    const password = oneTimePassword(randomBytes);
    const id = randomUUID();
    const at = new Date();
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      await insertUser(tx, { id, username: input.username, printedName: input.printedName, passwordHash, mustChangePassword: true, passwordChangedAt: at }, [
        ...new Set(input.roles),
      ]);
      await appendAuditEvent(
        tx,
        this.audit(admin, client, at, id, 'user.created', null, { username: input.username, printedName: input.printedName, roles: input.roles }, input.reason),
      );
    });
    return { id, username: input.username, printedName: input.printedName, roles: input.roles, oneTimePassword: password };
  }

  async setStatus(admin: UserWithRoles, id: string, status: 'active' | 'disabled', reason: string, client: ClientInfo) {
    const user = await this.target(id);
    if (user.id === admin.id && status === 'disabled') throw new AppError('not_authorised', 'You cannot disable your own account.');
    if (user.status === status) throw new AppError('step_not_allowed', `The account is already ${status}.`);
    const at = new Date();
    await this.db.transaction(async (tx) => {
      if (status === 'disabled') {
        await lockRoleAssignments(tx);
        await this.keepAnAdministrator(tx, id);
      }
      await setUserStatus(tx, id, status);
      if (status === 'disabled') await endUserSessions(tx, id, at, 'user_disabled');
      await appendAuditEvent(
        tx,
        this.audit(admin, client, at, id, status === 'disabled' ? 'user.disabled' : 'user.enabled', { status: user.status }, { status }, reason),
      );
    });
  }

  async unlock(admin: UserWithRoles, id: string, reason: string, client: ClientInfo) {
    const user = await this.target(id);
    if (!user.lockedAt) throw new AppError('step_not_allowed', 'The account is not locked.');
    const at = new Date();
    await this.db.transaction(async (tx) => {
      await unlockUser(tx, id);
      await appendAuditEvent(tx, this.audit(admin, client, at, id, 'user.unlocked', { locked: true }, { locked: false }, reason));
    });
  }

  /**
   * Separation of duties: an administrator never changes its own roles, nobody holds a role that
   * never signs (administrator, auditor) together with one that signs, and the last active
   * administrator keeps the role.
   */
  async setRoles(admin: UserWithRoles, id: string, roles: string[], reason: string, client: ClientInfo) {
    if (id === admin.id) {
      throw new AppError('own_roles', 'You cannot change your own roles: another administrator must do it (separation of duties).');
    }
    await this.target(id);
    const unique = [...new Set(roles)].sort();
    const at = new Date();
    await this.db.transaction(async (tx) => {
      await lockRoleAssignments(tx);
      const user = (await findUserById(tx, id))!;
      assertNoDutyConflict(user.username, await findRoles(tx, unique));
      if (!unique.includes(ADMINISTRATOR_ROLE)) await this.keepAnAdministrator(tx, id);
      await replaceRoles(tx, id, unique);
      await appendAuditEvent(tx, this.audit(admin, client, at, id, 'user.roles_changed', { roles: user.roles }, { roles: unique }, reason));
    });
  }

  /**
   * Refuses to leave no active administrator when `id` loses the role or is disabled. Called under
   * the role-assignment lock, so two administrators acting on each other at once cannot both pass.
   */
  private async keepAnAdministrator(tx: Executor, id: string): Promise<void> {
    const administrators = await activeUsersHoldingRoles(tx, [ADMINISTRATOR_ROLE]);
    if (administrators.some((u) => u.id === id) && administrators.length === 1) {
      throw new AppError(
        'last_administrator',
        `${administrators[0]!.username} is the last active administrator and keeps the role: make someone else an administrator first.`,
      );
    }
  }

  /**
   * 11.300(c): a lost or compromised credential. The current certificate is revoked (old signatures
   * stay verifiable as of their signing time), sessions end, and a one-time password is issued. The
   * reset stays pending until the person completes it (11.200(a): the administrator, who holds the
   * one-time password, must not be able to sign in their name): with their TOTP code or a recovery
   * code, or, when they have neither, after a second administrator's approval. Until then the
   * session opened with the one-time password can only complete the reset and no signing key exists.
   */
  async resetPassword(admin: UserWithRoles, id: string, reason: string, client: ClientInfo) {
    if (id === admin.id) throw new AppError('not_authorised', 'You cannot reset your own password: change it yourself (POST /api/auth/password).');
    await this.target(id);
    const password = oneTimePassword(randomBytes);
    const hash = await hashPassword(password);
    const at = new Date();
    const resetId = randomUUID();
    await this.db.transaction(async (tx) => {
      await this.keys.revokeCurrent(tx, id, `password reset by administrator: ${reason}`, admin, at, client);
      await setUserPassword(tx, id, hash, at, true);
      await endUserSessions(tx, id, at, 'password_reset');
      const superseded = await openCredentialReset(tx, { id: resetId, userId: id, requestedBy: admin.id, requestedAt: at, reason });
      await appendAuditEvent(
        tx,
        this.audit(
          admin,
          client,
          at,
          id,
          'user.password_reset',
          null,
          { mustChangePassword: true, resetPending: true, resetId, supersedes: superseded?.id ?? null },
          reason,
        ),
      );
    });
    return { oneTimePassword: password, resetId, completion: await this.resetCompletion(id, at) };
  }

  /** What the person will need to complete a reset requested at `at` (shown to the administrator). */
  private async resetCompletion(userId: string, at: Date) {
    const factors = await resetFactorsFor(this.db, userId, at);
    return { factors, secondAdministratorNeeded: factors.length === 1 };
  }

  /**
   * The second administrator of a reset for a person who has neither an authenticator nor a
   * recovery code: a different administrator than the one who reset (and not the person),
   * named in the audit trail with the reason (how the person's identity was checked).
   */
  async approveReset(admin: UserWithRoles, id: string, reason: string, client: ClientInfo) {
    await this.target(id);
    const reset = await pendingCredentialReset(this.db, id);
    if (!reset) throw new AppError('step_not_allowed', 'This person has no pending password reset.');
    if (reset.requestedBy === admin.id) {
      throw new AppError('same_administrator', 'You reset this password: a second, different administrator must approve it.');
    }
    if (id === admin.id) throw new AppError('not_authorised', 'You cannot approve the reset of your own password.');
    const at = new Date();
    await this.db.transaction(async (tx) => {
      if (!(await approveCredentialReset(tx, reset.id, admin.id, at, reason))) {
        throw new AppError('step_not_allowed', 'This reset was already approved, completed or replaced.');
      }
      await appendAuditEvent(
        tx,
        this.audit(
          admin,
          client,
          at,
          id,
          'user.password_reset_approved',
          { approvedBy: null },
          { resetId: reset.id, requestedBy: reset.requestedBy, approvedBy: admin.id },
          reason,
        ),
      );
    });
    return { resetId: reset.id, approvedBy: admin.id, approvedAt: at.toISOString() };
  }

  async revokeSessions(admin: UserWithRoles, id: string, reason: string, client: ClientInfo) {
    await this.target(id);
    const at = new Date();
    const ended = await this.db.transaction(async (tx) => {
      const count = await endUserSessions(tx, id, at, 'revoked');
      await appendAuditEvent(tx, this.audit(admin, client, at, id, 'user.sessions_revoked', null, { sessionsEnded: count }, reason));
      return count;
    });
    return { sessionsEnded: ended };
  }
}
