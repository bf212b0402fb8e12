import argon2 from 'argon2';

/**
 * argon2id with the OWASP-recommended floor (m = 19 MiB, t = 2, p = 1). Parameters are stored in
 * the encoded hash, so raising them later does not invalidate existing hashes.
 */
const ARGON2ID_OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2ID_OPTIONS);
}

export async function verifyPassword(encodedHash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(encodedHash, password);
  } catch {
    return false;
  }
}

/** A one-time password a person can type: 4 groups of 4 from an alphabet without look-alikes. */
export function oneTimePassword(randomBytes: (size: number) => Buffer): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
