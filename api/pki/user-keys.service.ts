import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DatabaseHandle, Executor } from '../../db/client';
import { appendAuditEvent, currentUserKey, insertUserKey, revokeCertificate, updateEncryptedKey, type UserWithRoles } from '../../db/repositories';
import type { UserKeyRow } from '../../db/schema';
import {
  generateUserKeyPair,
  issueUserCertificate,
  openPrivateKey,
  resealPrivateKey,
  sealPrivateKey,
  WrongKeyPasswordError,
  type EncryptedKey,
} from '../../signatures/pki';
import { AppError } from '../common/app-error';
import type { ClientInfo } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { OrganisationPkiService } from './organisation-pki.service';

/**
 * Per-person signing keys (11.70, 11.200(a)). The private key is only ever stored sealed under a key
 * derived from its owner's password, so the server cannot sign for someone without that password.
 */
@Injectable()
export class UserKeysService {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    private readonly pki: OrganisationPkiService,
  ) {}

  /** On every password set by its owner: re-seal the current key, or issue a key pair if there is none. */
  async onPasswordSet(tx: Executor, user: UserWithRoles, oldPassword: string, newPassword: string, at: Date, client: ClientInfo): Promise<void> {
    const key = await currentUserKey(tx, user.id);
    if (key) {
      try {
        const resealed = await resealPrivateKey(key.encryptedPrivateKey as EncryptedKey, oldPassword, newPassword, randomBytes);
        await updateEncryptedKey(tx, key.id, resealed);
        return;
      } catch (error) {
        if (!(error instanceof WrongKeyPasswordError)) throw error;
        // A key sealed under a password the user no longer knows cannot be used: revoke, issue anew.
        await this.revoke(tx, key, 'key could not be opened with the previous password', null, at, client);
      }
    }
    await this.issue(tx, user, newPassword, at, client);
  }

  private async issue(tx: Executor, user: UserWithRoles, password: string, at: Date, client: ClientInfo): Promise<void> {
    const pair = generateUserKeyPair();
    const certificate = issueUserCertificate(this.pki.ca, {
      userId: user.id,
      username: user.username,
      printedName: user.printedName,
      publicKeyPem: pair.publicKeyPem,
      now: at,
    });
    const sealed = await sealPrivateKey(pair.privateKeyPem, password, randomBytes);
    await insertUserKey(tx, {
      id: randomUUID(),
      userId: user.id,
      serialHex: certificate.serialHex,
      certificatePem: certificate.certificatePem,
      encryptedPrivateKey: sealed,
      issuedAt: at,
      notAfter: certificate.notAfter,
    });
    await appendAuditEvent(tx, {
      occurredAt: at,
      actorId: user.id,
      actorName: user.printedName,
      action: 'certificate.issued',
      entityType: 'certificate',
      entityId: certificate.serialHex,
      newValue: { serialHex: certificate.serialHex, subject: user.printedName, notAfter: certificate.notAfter.toISOString() },
      reason: 'signing key pair issued at password set',
      ...client,
    });
  }

  async revoke(tx: Executor, key: UserKeyRow, reason: string, by: UserWithRoles | null, at: Date, client: ClientInfo): Promise<void> {
    await revokeCertificate(tx, { serialHex: key.serialHex, revokedAt: at, reason, revokedBy: by?.id ?? null });
    await appendAuditEvent(tx, {
      occurredAt: at,
      actorId: by?.id ?? null,
      actorName: by?.printedName ?? 'system',
      action: 'certificate.revoked',
      entityType: 'certificate',
      entityId: key.serialHex,
      oldValue: { status: 'valid' },
      newValue: { status: 'revoked' },
      reason,
      ...client,
    });
  }

  async revokeCurrent(tx: Executor, userId: string, reason: string, by: UserWithRoles, at: Date, client: ClientInfo): Promise<void> {
    const key = await currentUserKey(tx, userId);
    if (key) await this.revoke(tx, key, reason, by, at, client);
  }

  /** Opens the signer's key with the password just verified; never stored unsealed. */
  async openForSigning(userId: string, password: string): Promise<{ key: UserKeyRow; privateKeyPem: string }> {
    const key = await currentUserKey(this.database.db, userId);
    if (!key) throw new AppError('no_signing_key', 'You have no signing certificate yet: set your password (first sign-in or after a reset) to be issued one.');
    try {
      return { key, privateKeyPem: await openPrivateKey(key.encryptedPrivateKey as EncryptedKey, password) };
    } catch (error) {
      if (error instanceof WrongKeyPasswordError)
        throw new AppError('no_signing_key', 'Your signing key cannot be opened with this password; ask an administrator to reset it.');
      throw error;
    }
  }
}
