import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hashPassword, verifyPassword } from '../../signatures';

/**
 * Sign-in checks exactly one argon2id hash per attempt, whether or not the username exists: for an
 * unknown username the password is checked against a dummy hash made once per process with the
 * same parameters as real ones, so that the answer's timing does not tell which usernames exist.
 */
@Injectable()
export class PasswordVerifier implements OnModuleInit {
  private dummyHash: Promise<string> | undefined;

  onModuleInit(): void {
    // Warm-up only: verify() awaits the same memoised promise, so a failure surfaces there.
    void this.dummy().catch(() => undefined);
  }

  /** True only for a real hash that the password matches; `undefined` (no such user) is checked against the dummy. */
  async verify(encodedHash: string | undefined, password: string): Promise<boolean> {
    const hash = encodedHash ?? (await this.dummy());
    const matches = await verifyPassword(hash, password);
    return encodedHash !== undefined && matches;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
    return this.dummyHash;
  }
}
