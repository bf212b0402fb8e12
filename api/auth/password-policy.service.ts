import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { appendAuditEvent, insertPolicyVersion, latestPolicy, type UserWithRoles } from '../../db/repositories';
import { DEFAULT_PASSWORD_POLICY, validatePolicy, type PasswordPolicy } from '../../signatures/password-policy';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';

/** The password and lockout policy in force: the latest version an administrator set, else the default. */
@Injectable()
export class PasswordPolicyService {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  async current(): Promise<PasswordPolicy & { version: number }> {
    const latest = await latestPolicy(this.database.db);
    if (!latest) return { ...DEFAULT_PASSWORD_POLICY, version: 0 };
    return { ...DEFAULT_PASSWORD_POLICY, ...(latest.policy as Partial<PasswordPolicy>), version: latest.version };
  }

  async set(admin: UserWithRoles, policy: PasswordPolicy, reason: string, client: ClientInfo): Promise<PasswordPolicy & { version: number }> {
    const problems = validatePolicy(policy);
    if (problems.length) throw new AppError('validation_failed', `The policy is not valid: ${problems.join('; ')}.`, { problems });
    const old = await this.current();
    const at = new Date();
    const version = await this.database.db.transaction(async (tx) => {
      const inserted = await insertPolicyVersion(tx, { policy, setBy: admin.id, setAt: at, reason });
      await appendAuditEvent(tx, {
        occurredAt: at,
        actorId: admin.id,
        actorName: admin.printedName,
        action: 'policy.changed',
        entityType: 'password_policy',
        entityId: String(inserted),
        oldValue: { ...old },
        newValue: { ...policy },
        reason,
        ...client,
      });
      return inserted;
    });
    return { ...policy, version };
  }
}
