import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { appendAuditEvent, incrementFailedAttempts, insertAlert, lockUser, recordFailedAttempt, type UserWithRoles } from '../../db/repositories';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { PasswordPolicyService } from './password-policy.service';

export interface FailedAttempt {
  /** login.failed, signature.failed, totp.failed … */
  action: string;
  entityType: string;
  entityId: string;
  recordId?: string | null;
  reason: string;
  attempted?: Record<string, string | null>;
}

/**
 * 11.300(d): every failed attempt at login or at signing is audited and counts toward lockout; the
 * attempt that reaches the threshold locks the account and raises an alert for administrators. The
 * count is kept in the database, so that concurrent attempts all count and lock the account once.
 */
@Injectable()
export class FailedAttemptsService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly policies: PasswordPolicyService,
  ) {}

  async record(user: UserWithRoles | undefined, attempt: FailedAttempt, client: ClientInfo, actorName?: string): Promise<{ locked: boolean }> {
    const policy = await this.policies.current();
    const at = new Date();
    return this.database.db.transaction(async (tx) => {
      const failures = user ? await incrementFailedAttempts(tx, user.id) : 1;
      await appendAuditEvent(tx, {
        occurredAt: at,
        actorId: user?.id ?? null,
        actorName: user?.printedName ?? actorName ?? 'unknown',
        action: attempt.action,
        entityType: attempt.entityType,
        entityId: attempt.entityId,
        recordId: attempt.recordId ?? null,
        newValue: { consecutiveFailures: failures, ...(attempt.attempted ?? {}) },
        reason: attempt.reason,
        ...client,
      });
      const overThreshold = user !== undefined && failures >= policy.lockoutThreshold;
      // Only the attempt that actually locks the account audits the lock and raises the alert.
      if (overThreshold && (await lockUser(tx, user.id, at))) {
        const message = `${user.printedName} (${user.username}) was locked after ${failures} consecutive failed attempts; the last was ${attempt.action} from ${client.clientIp ?? 'an unknown address'}.`;
        await appendAuditEvent(tx, {
          occurredAt: at,
          actorId: null,
          actorName: 'system',
          action: 'user.locked',
          entityType: 'user',
          entityId: user.id,
          oldValue: { locked: false },
          newValue: { locked: true, consecutiveFailures: failures },
          reason: `Lockout threshold of ${policy.lockoutThreshold} reached`,
          ...client,
        });
        await insertAlert(tx, { id: randomUUID(), kind: 'user.locked', userId: user.id, message, createdAt: at });
      }
      return { locked: overThreshold };
    });
  }

  async reset(user: UserWithRoles): Promise<void> {
    if (user.failedAttempts) await recordFailedAttempt(this.database.db, user.id, 0);
  }
}
