import argon2 from 'argon2';

/*
 * Single-use recovery codes for users who lose their TOTP authenticator. Only argon2id hashes are
 * stored; the caller shows the plain codes once and deletes (or nulls) a hash when its code is used.
 */

/** Lower-case letters and digits without look-alikes (0/o, 1/l/i). 31 symbols: ~59 bits per code. */
export const RECOVERY_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const CODE_LENGTH = GROUPS * GROUP_LENGTH;
/** Bytes at or above this are rejected so that `byte % 31` is uniform (248 = 8 * 31). */
const UNBIASED_LIMIT = 256 - (256 % RECOVERY_CODE_ALPHABET.length);

const ARGON2ID_OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

function randomCode(randomBytes: (size: number) => Buffer): string {
  let chars = '';
  for (let attempt = 0; chars.length < CODE_LENGTH; attempt++) {
    if (attempt > 64) throw new Error('randomBytes keeps returning unusable bytes.');
    for (const byte of randomBytes(CODE_LENGTH - chars.length)) {
      if (byte < UNBIASED_LIMIT) chars += RECOVERY_CODE_ALPHABET[byte % RECOVERY_CODE_ALPHABET.length];
    }
  }
  return Array.from({ length: GROUPS }, (_, i) => chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH)).join('-');
}

/** `count` distinct codes formatted xxxx-xxxx-xxxx. */
export function generateRecoveryCodes(randomBytes: (size: number) => Buffer, count = 10): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new RangeError('Recovery code count must be a whole number from 1 to 100.');
  const codes = new Set<string>();
  while (codes.size < count) codes.add(randomCode(randomBytes));
  return [...codes];
}

/**
 * The canonical form of a typed code: lower case, without dashes or whitespace. Null when it cannot be
 * a recovery code (wrong length, or a character outside the alphabet), so no hashing work is done.
 */
export function normaliseRecoveryCode(code: string): string | null {
  const clean = code.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '');
  if (clean.length !== CODE_LENGTH) return null;
  for (const char of clean) if (!RECOVERY_CODE_ALPHABET.includes(char)) return null;
  return clean;
}

/** argon2id hash of the normalised code, for storage. */
export async function hashRecoveryCode(code: string): Promise<string> {
  const normalised = normaliseRecoveryCode(code);
  if (normalised === null) throw new Error('Not a recovery code: expected 12 characters from the recovery-code alphabet.');
  return argon2.hash(normalised, ARGON2ID_OPTIONS);
}

/**
 * Index of the stored hash the typed code matches, or -1. Null entries (codes already used) keep the
 * remaining indexes stable and are skipped; unreadable hashes never match.
 */
export async function matchRecoveryCode(code: string, hashes: ReadonlyArray<string | null>): Promise<number> {
  const normalised = normaliseRecoveryCode(code);
  if (normalised === null) return -1;
  const results = await Promise.all(
    hashes.map(async (hash) => {
      if (hash === null) return false;
      try {
        return await argon2.verify(hash, normalised);
      } catch {
        return false;
      }
    }),
  );
  return results.indexOf(true);
}
