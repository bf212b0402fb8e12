import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { appendAuditEvent, confirmTotp, findTotp, replaceRecoveryCodes, saveTotpSecret, type UserWithRoles } from '../../db/repositories';
import { pendingCredentialReset } from '../../db/repositories/credential-resets.repository';
import { generateRecoveryCodes, hashRecoveryCode } from '../../signatures/recovery-codes';
import { generateTotpSecret, otpauthUri, verifyTotp } from '../../signatures/totp';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { AuthService } from './auth.service';
import { FailedAttemptsService } from './failed-attempts.service';

/**
 * TOTP second factor (11.300(e)): enrolment with the current password, confirmation with recovery
 * codes. A wrong password or a wrong confirmation code is an audited failed attempt that counts
 * toward lockout, as at sign-in.
 */
@Injectable()
export class TotpService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly auth: AuthService,
    private readonly failures: FailedAttemptsService,
  ) {}

  async enrol(user: UserWithRoles, password: string | undefined, client: ClientInfo): Promise<{ secret: string; otpauthUri: string }> {
    // Whoever holds an unattended session must not be able to bind their own authenticator to it.
    if (!password) throw new AppError('password_required', 'Enter your current password to start enrolling an authenticator.');
    await this.auth.reauthenticate(user, password, { recordId: null, signatureId: user.id, action: 'totp_enrolment' }, client);
    const existing = await findTotp(this.database.db, user.id);
    if (existing?.confirmedAt) throw new AppError('step_not_allowed', 'A second factor is already enrolled; an administrator can reset it.');
    // A session opened with an administrator's one-time password must not enrol a factor that would
    // then complete the reset: only a factor enrolled before the reset counts, so refuse outright.
    if (await pendingCredentialReset(this.database.db, user.id))
      throw new AppError('reset_pending', 'Complete the password reset first; you can enrol an authenticator afterwards.');
    const secret = generateTotpSecret(randomBytes);
    const at = new Date();
    await this.database.db.transaction(async (tx) => {
      await saveTotpSecret(tx, user.id, secret, at);
      await appendAuditEvent(tx, {
        occurredAt: at,
        actorId: user.id,
        actorName: user.printedName,
        action: 'totp.enrolment_started',
        entityType: 'user',
        entityId: user.id,
        ...client,
      });
    });
    return { secret, otpauthUri: otpauthUri({ secret, accountName: user.username, issuer: 'Attestflow' }) };
  }

  async confirm(user: UserWithRoles, code: string, client: ClientInfo): Promise<{ recoveryCodes: string[] }> {
    const totp = await findTotp(this.database.db, user.id);
    if (!totp || totp.confirmedAt) throw new AppError('step_not_allowed', 'Start the enrolment first (POST /api/auth/totp).');
    if (await pendingCredentialReset(this.database.db, user.id))
      throw new AppError('reset_pending', 'Complete the password reset first; you can enrol an authenticator afterwards.');
    const result = verifyTotp(totp.secret, code, new Date(), { window: 1 });
    if (!result.ok || result.step === undefined) {
      const { locked } = await this.failures.record(
        user,
        { action: 'totp.enrolment_failed', entityType: 'user', entityId: user.id, reason: 'wrong code confirming the authenticator' },
        client,
      );
      if (locked) throw new AppError('account_locked', 'Too many failed attempts: this account is now locked; an administrator must unlock it.');
      throw new AppError('invalid_credentials', 'The code does not match; check the time on your device and try again.');
    }
    const codes = generateRecoveryCodes(randomBytes);
    const hashes = await Promise.all(codes.map((c) => hashRecoveryCode(c)));
    const at = new Date();
    await this.database.db.transaction(async (tx) => {
      await confirmTotp(tx, user.id, result.step!, at);
      await replaceRecoveryCodes(tx, user.id, hashes, at);
      await appendAuditEvent(tx, {
        occurredAt: at,
        actorId: user.id,
        actorName: user.printedName,
        action: 'totp.enrolled',
        entityType: 'user',
        entityId: user.id,
        newValue: { recoveryCodes: codes.length },
        ...client,
      });
    });
    return { recoveryCodes: codes };
  }
}
