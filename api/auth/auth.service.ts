import { Injectable } from '@nestjs/common';
import type { AttestflowConfig } from '../../config/config';
import type { DatabaseHandle } from '../../db/client';
import {
  appendAuditEvent,
  endSession,
  findLiveSession,
  findUserById,
  findUserByUsername,
  insertSession,
  recordFailedAttempt,
  touchSession,
  type UserWithRoles,
} from '../../db/repositories';
import { verifyPassword } from '../../signatures';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectConfig, InjectDatabase } from '../infrastructure';
import { newSessionToken } from './session-cookie';

export interface UserView {
  id: string;
  username: string;
  printedName: string;
  roles: string[];
  mustChangePassword: boolean;
}

export const toUserView = (user: UserWithRoles): UserView => ({
  id: user.id,
  username: user.username,
  printedName: user.printedName,
  roles: user.roles,
  mustChangePassword: user.mustChangePassword,
});

/** Identity: login, sessions and re-authentication for signatures. The API's only writer besides activities. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectConfig() private readonly config: AttestflowConfig,
  ) {}

  private get db() {
    return this.database.db;
  }

  async login(username: string, password: string, client: ClientInfo): Promise<{ token: string; user: UserWithRoles }> {
    const user = await findUserByUsername(this.db, username);
    const ok = user !== undefined && user.status === 'active' && (await verifyPassword(user.passwordHash, password));
    const now = new Date();
    if (!ok) {
      await this.db.transaction(async (tx) => {
        if (user) await recordFailedAttempt(tx, user.id, user.failedAttempts + 1);
        await appendAuditEvent(tx, {
          occurredAt: now,
          actorId: user?.id ?? null,
          actorName: user?.printedName ?? username,
          action: 'login.failed',
          entityType: 'user',
          entityId: user?.id ?? username,
          reason: user === undefined ? 'unknown username' : user.status !== 'active' ? 'user disabled' : 'wrong password',
          ...client,
        });
      });
      throw new AppError('invalid_credentials', 'The username or password is wrong, or the account is disabled.');
    }
    const { token, id } = newSessionToken();
    const expiresAt = new Date(now.getTime() + this.config.sessionAbsoluteHours * 3600_000);
    await this.db.transaction(async (tx) => {
      if (user.failedAttempts) await recordFailedAttempt(tx, user.id, 0);
      await insertSession(tx, { id, userId: user.id, createdAt: now, lastSeenAt: now, expiresAt, ...client });
      await appendAuditEvent(tx, {
        occurredAt: now,
        actorId: user.id,
        actorName: user.printedName,
        action: 'login.succeeded',
        entityType: 'user',
        entityId: user.id,
        ...client,
      });
    });
    return { token, user };
  }

  async logout(sessionId: string, user: UserWithRoles, client: ClientInfo): Promise<void> {
    const now = new Date();
    await this.db.transaction(async (tx) => {
      await endSession(tx, sessionId, now);
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

  /** The user behind a session, enforcing the idle and absolute timeouts. */
  async authenticateSession(sessionId: string): Promise<UserWithRoles> {
    const session = await findLiveSession(this.db, sessionId);
    if (!session) throw new AppError('not_authenticated', 'Sign in first.');
    const now = new Date();
    const idleLimit = session.lastSeenAt.getTime() + this.config.sessionIdleMinutes * 60_000;
    if (now.getTime() > idleLimit || now > session.expiresAt) {
      await endSession(this.db, sessionId, now);
      throw new AppError('session_expired', 'Your session has expired; sign in again.');
    }
    const user = await findUserById(this.db, session.userId);
    if (!user || user.status !== 'active') throw new AppError('not_authenticated', 'Sign in first.');
    await touchSession(this.db, sessionId, now);
    return user;
  }

  /**
   * Re-authentication for an electronic signature (11.200(a)): the signer types the password again.
   * A wrong password is an audited failed attempt and changes nothing else.
   */
  async reauthenticateForSignature(
    user: UserWithRoles,
    password: string,
    attempt: { recordId: string; signatureId: string; action: string },
    client: ClientInfo,
  ): Promise<void> {
    const current = await findUserById(this.db, user.id);
    if (current && current.status === 'active' && (await verifyPassword(current.passwordHash, password))) {
      if (current.failedAttempts) await recordFailedAttempt(this.db, current.id, 0);
      return;
    }
    await this.db.transaction(async (tx) => {
      if (current) await recordFailedAttempt(tx, current.id, current.failedAttempts + 1);
      await appendAuditEvent(tx, {
        occurredAt: new Date(),
        actorId: user.id,
        actorName: user.printedName,
        action: 'signature.failed',
        entityType: 'signature',
        entityId: attempt.signatureId,
        recordId: attempt.recordId,
        newValue: { attemptedAction: attempt.action },
        reason: 'wrong password',
        ...client,
      });
    });
    throw new AppError('invalid_credentials', 'The password is wrong; nothing was signed.');
  }
}
