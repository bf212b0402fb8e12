import argon2 from 'argon2';
import { isCommonPassword } from './common-passwords';

/**
 * The organisation's password policy (21 CFR 11.300(a)-(b): controls that keep identification codes
 * and passwords unique, hard to guess, periodically checked and revised).
 */
export interface PasswordPolicy {
  /** Minimum length in Unicode code points. */
  minLength: number;
  /** Days after which a password must be changed; null means no forced expiry. */
  maxAgeDays: number | null;
  /** How many recent passwords (including the current one) may not be reused. */
  historyCount: number;
  /** Consecutive failed attempts after which the account is locked. */
  lockoutThreshold: number;
  /** Roles whose holders must also enrol a TOTP authenticator. */
  requireTotpForRoles: string[];
}

export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  minLength: 12,
  maxAgeDays: 90,
  historyCount: 5,
  lockoutThreshold: 5,
  requireTotpForRoles: Object.freeze([]) as unknown as string[],
});

/** Longest password accepted, in Unicode code points (guards the hashing work a request can cause). */
export const PASSWORD_MAX_LENGTH = 1000;

export const POLICY_LIMITS = Object.freeze({
  minLength: { min: 8, max: 128 },
  historyCount: { min: 0, max: 24 },
  lockoutThreshold: { min: 3, max: 20 },
  maxAgeDays: { min: 1, max: 3650 },
});

export type PasswordProblemCode = 'too_short' | 'too_long' | 'common_password' | 'contains_username' | 'reused';

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

function integerProblem(name: keyof typeof POLICY_LIMITS, value: unknown): string | null {
  const { min, max } = POLICY_LIMITS[name];
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  return `${name} must be a whole number from ${min} to ${max} (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}).`;
}

/** Problems with a policy an administrator wants to save; empty when it is acceptable. */
export function validatePolicy(policy: PasswordPolicy): string[] {
  const problems: string[] = [];
  for (const name of ['minLength', 'historyCount', 'lockoutThreshold'] as const) {
    const problem = integerProblem(name, policy[name]);
    if (problem) problems.push(problem);
  }
  if (policy.maxAgeDays !== null) {
    const problem = integerProblem('maxAgeDays', policy.maxAgeDays);
    if (problem) problems.push(`${problem.slice(0, -1)}, or null for no expiry.`);
  }
  const roles: unknown = policy.requireTotpForRoles;
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string' || role.trim() === '')) {
    problems.push('requireTotpForRoles must be a list of role names.');
  } else if (new Set(roles).size !== roles.length) {
    problems.push('requireTotpForRoles lists a role more than once.');
  }
  return problems;
}

export interface NewPasswordInput {
  password: string;
  username: string;
  printedName: string;
  policy: PasswordPolicy;
  /**
   * argon2 encoded hashes of the user's recent passwords, including the current one. Every hash given
   * is checked; the caller passes at most `policy.historyCount` of them (the current hash at least).
   */
  previousHashes: readonly string[];
}

/** Parts of a printed name short enough to appear in ordinary words ("Ann" in "planning") are ignored. */
const MIN_NAME_PART_LENGTH = 4;
const MIN_USERNAME_LENGTH = 3;

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function personalProblem(password: string, username: string, printedName: string): PasswordProblem | null {
  const folded = fold(password);
  const user = fold(username.trim());
  if (user.length >= MIN_USERNAME_LENGTH && folded.includes(user)) {
    return { code: 'contains_username', message: 'The password must not contain your username.' };
  }
  const nameParts = fold(printedName)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part.length >= MIN_NAME_PART_LENGTH);
  if (nameParts.some((part) => folded.includes(part))) {
    return { code: 'contains_username', message: 'The password must not contain your name.' };
  }
  return null;
}

const ARGON2_ENCODED = /^\$argon2(?:id|i|d)\$/;

async function matchesAny(password: string, hashes: readonly string[]): Promise<boolean> {
  const results = await Promise.all(
    hashes.map(async (hash, index) => {
      // Fail closed: a history entry that cannot be checked must not let a reused password through
      // (argon2.verify quietly returns false for other schemes, e.g. bcrypt).
      const message = `Password history entry ${index} is not a valid argon2 hash.`;
      if (!ARGON2_ENCODED.test(hash)) throw new Error(message);
      try {
        return await argon2.verify(hash, password);
      } catch (error) {
        throw new Error(message, { cause: error });
      }
    }),
  );
  return results.includes(true);
}

/**
 * Everything wrong with a password a user proposes; empty when it may be set. A password over
 * PASSWORD_MAX_LENGTH is reported on its own, without the other (hashing) checks.
 */
export async function checkNewPassword(input: NewPasswordInput): Promise<PasswordProblem[]> {
  const { password, username, printedName, policy, previousHashes } = input;
  const length = [...password].length;
  if (length > PASSWORD_MAX_LENGTH) {
    return [{ code: 'too_long', message: `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.` }];
  }
  const problems: PasswordProblem[] = [];
  if (length < policy.minLength) {
    problems.push({ code: 'too_short', message: `The password must be at least ${policy.minLength} characters long.` });
  }
  if (isCommonPassword(password)) {
    problems.push({
      code: 'common_password',
      message: 'The password is too common: it, or it without its trailing digits and symbols, is on a list of frequently used passwords.',
    });
  }
  const personal = personalProblem(password, username, printedName);
  if (personal) problems.push(personal);
  if (previousHashes.length > 0 && (await matchesAny(password, previousHashes))) {
    problems.push({
      code: 'reused',
      message:
        previousHashes.length === 1
          ? 'The password must differ from your current password.'
          : `The password must not be one of your last ${previousHashes.length} passwords (the current one included).`,
    });
  }
  return problems;
}

/** When a password changed at `changedAt` expires under the policy; null if it never does. */
export function passwordExpiresAt(changedAt: Date, policy: Pick<PasswordPolicy, 'maxAgeDays'>): Date | null {
  if (policy.maxAgeDays === null) return null;
  return new Date(changedAt.getTime() + policy.maxAgeDays * 86_400_000);
}

/**
 * True once the password is `maxAgeDays` old (or older). An unreadable changedAt or now counts as
 * expired, so a bad timestamp forces a change instead of exempting the account.
 */
export function passwordExpired({ changedAt, now, policy }: { changedAt: Date; now: Date; policy: Pick<PasswordPolicy, 'maxAgeDays'> }): boolean {
  const expiresAt = passwordExpiresAt(changedAt, policy);
  if (expiresAt === null) return false;
  if (Number.isNaN(expiresAt.getTime()) || Number.isNaN(now.getTime())) return true;
  return now.getTime() >= expiresAt.getTime();
}
