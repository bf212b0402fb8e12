import { commonPasswords, isCommonPassword, parsePasswordList } from './common-passwords';
import { hashPassword } from './password';
import {
  checkNewPassword,
  DEFAULT_PASSWORD_POLICY,
  passwordExpired,
  passwordExpiresAt,
  validatePolicy,
  type NewPasswordInput,
  type PasswordPolicy,
} from './password-policy';

const policy: PasswordPolicy = { ...DEFAULT_PASSWORD_POLICY, requireTotpForRoles: [] };
const STRONG = 'violet-harbour-compass-41';

function input(password: string, extra: Partial<NewPasswordInput> = {}): NewPasswordInput {
  return { password, username: 'iortega', printedName: 'Ines Ortega', policy, previousHashes: [], ...extra };
}

async function codes(password: string, extra: Partial<NewPasswordInput> = {}): Promise<string[]> {
  return (await checkNewPassword(input(password, extra))).map((problem) => problem.code);
}

describe('DEFAULT_PASSWORD_POLICY and validatePolicy', () => {
  test('the default policy is valid, has the documented values and cannot be mutated', () => {
    expect(DEFAULT_PASSWORD_POLICY).toEqual({ minLength: 12, maxAgeDays: 90, historyCount: 5, lockoutThreshold: 5, requireTotpForRoles: [] });
    expect(validatePolicy(DEFAULT_PASSWORD_POLICY)).toEqual([]);
    expect(Object.isFrozen(DEFAULT_PASSWORD_POLICY) && Object.isFrozen(DEFAULT_PASSWORD_POLICY.requireTotpForRoles)).toBe(true);
  });

  test('accepts the bounds of every range and a null maximum age', () => {
    expect(validatePolicy({ minLength: 8, maxAgeDays: 1, historyCount: 0, lockoutThreshold: 3, requireTotpForRoles: ['qa_approver'] })).toEqual([]);
    expect(validatePolicy({ minLength: 128, maxAgeDays: 3650, historyCount: 24, lockoutThreshold: 20, requireTotpForRoles: [] })).toEqual([]);
    expect(validatePolicy({ ...policy, maxAgeDays: null })).toEqual([]);
  });

  test('names each value outside its range', () => {
    const problems = validatePolicy({ minLength: 7, maxAgeDays: 0, historyCount: 25, lockoutThreshold: 2, requireTotpForRoles: [] });
    expect(problems).toEqual([
      'minLength must be a whole number from 8 to 128 (got 7).',
      'historyCount must be a whole number from 0 to 24 (got 25).',
      'lockoutThreshold must be a whole number from 3 to 20 (got 2).',
      'maxAgeDays must be a whole number from 1 to 3650 (got 0), or null for no expiry.',
    ]);
    expect(validatePolicy({ ...policy, minLength: 129, lockoutThreshold: 21, maxAgeDays: 3651 })).toHaveLength(3);
  });

  test('refuses fractions, NaN, strings and malformed role lists', () => {
    expect(validatePolicy({ ...policy, minLength: 12.5 })).toEqual(['minLength must be a whole number from 8 to 128 (got 12.5).']);
    expect(validatePolicy({ ...policy, historyCount: Number.NaN })).toHaveLength(1);
    expect(validatePolicy({ ...policy, lockoutThreshold: '5' as unknown as number })).toEqual([
      'lockoutThreshold must be a whole number from 3 to 20 (got "5").',
    ]);
    expect(validatePolicy({ ...policy, requireTotpForRoles: ['admin', ' '] })).toEqual(['requireTotpForRoles must be a list of role names.']);
    expect(validatePolicy({ ...policy, requireTotpForRoles: ['admin', 'admin'] })).toEqual(['requireTotpForRoles lists a role more than once.']);
  });
});

describe('the shipped common-password list', () => {
  test('holds at least 1,000 distinct lower-case passwords, including the well-known ones', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(1000);
    for (const password of list) expect(password).toBe(password.toLowerCase());
    for (const known of ['123456', 'password', 'qwerty', 'iloveyou', 'letmein', '1qaz2wsx', 'p@ssw0rd', 'summer2024', 'attestflow']) {
      expect(list.has(known)).toBe(true);
    }
  });

  test('the list format skips # comment lines', () => {
    expect(parsePasswordList('# provenance: 123456\nfoo bar\n\n  # indented comment\nbaz')).toEqual(['foo', 'bar', 'baz']);
  });

  test('matches case-insensitively and after stripping trailing digits and symbols', () => {
    for (const password of ['Password', 'QWERTY', 'Password1!', 'Summer2024!', 'Welcome123', 'P@ssw0rd99', '1234567890!!', '2024!!', 'letmein#1']) {
      expect(isCommonPassword(password)).toBe(true);
    }
    for (const password of [STRONG, '', '!!!', '9q8w7e6r!!', 'password-manager-user']) expect(isCommonPassword(password)).toBe(false);
  });
});

describe('checkNewPassword', () => {
  test('accepts a long, uncommon, personal-data-free password', async () => {
    await expect(checkNewPassword(input(STRONG))).resolves.toEqual([]);
  });

  test('too_short below the policy minimum, counting code points', async () => {
    expect(await codes('violet-harb')).toEqual(['too_short']);
    expect(await codes('violet-harbo')).toEqual([]);
    expect(await codes('violet-harb', { policy: { ...policy, minLength: 8 } })).toEqual([]);
    // Eleven emoji are 22 UTF-16 code units but only 11 characters.
    expect(await codes('🔒'.repeat(11))).toEqual(['too_short']);
  });

  test('too_long above 1,000 characters, reported alone and without hashing', async () => {
    const hash = await hashPassword('x'.repeat(1001));
    expect(await codes('x'.repeat(1000))).toEqual([]);
    expect(await checkNewPassword(input('x'.repeat(1001), { previousHashes: [hash] }))).toEqual([
      { code: 'too_long', message: 'The password must be at most 1000 characters long.' },
    ]);
  });

  test('common_password for listed passwords and their digit/symbol-suffixed forms', async () => {
    expect(await codes('Password1234!')).toEqual(['common_password']);
    expect(await codes('qwertyuiop123')).toEqual(['common_password']);
    expect(await codes('iloveyou')).toEqual(['too_short', 'common_password']);
  });

  test('contains_username, case-insensitively, for usernames of 3 or more characters', async () => {
    expect(await codes('violet-IORTEGA-compass')).toEqual(['contains_username']);
    expect(await codes('violet-abc-compass-41', { username: 'ABC' })).toEqual(['contains_username']);
    expect(await codes('violet-ab-compass-41', { username: 'ab' })).toEqual([]);
  });

  test('contains_username also refuses parts of the printed name of 4 or more characters', async () => {
    const problems = await checkNewPassword(input('violet-Ortega-harbour', { username: 'io' }));
    expect(problems).toEqual([{ code: 'contains_username', message: 'The password must not contain your name.' }]);
    expect(await codes('planning-harbour-compass', { printedName: 'Ann Li' })).toEqual([]);
  });

  test('reused when any previous hash verifies, not otherwise', async () => {
    const previousHashes = await Promise.all(['first-old-passphrase-1', STRONG, 'current-passphrase-99'].map(hashPassword));
    const reused = await checkNewPassword(input(STRONG, { previousHashes }));
    expect(reused).toEqual([{ code: 'reused', message: 'The password must not be one of your last 3 passwords (the current one included).' }]);
    expect(await codes('brand-new-passphrase-7', { previousHashes })).toEqual([]);
    expect(await codes('current-passphrase-99', { previousHashes: previousHashes.slice(2) })).toEqual(['reused']);
  });

  test('fails closed on a history entry that is not an argon2 hash', async () => {
    const valid = await hashPassword('some-old-passphrase');
    await expect(checkNewPassword(input(STRONG, { previousHashes: [valid, '$2b$10$bcrypt.hash'] }))).rejects.toThrow(/history entry 1/);
    await expect(checkNewPassword(input(STRONG, { previousHashes: ['$argon2id$garbage'] }))).rejects.toThrow(/history entry 0/);
  });

  test('reports every problem at once, each with a human sentence', async () => {
    const previousHashes = [await hashPassword('iortega1')];
    const problems = await checkNewPassword(input('iortega1', { previousHashes }));
    expect(problems.map((p) => p.code)).toEqual(['too_short', 'contains_username', 'reused']);
    for (const { message } of problems) expect(message).toMatch(/^The password [^.]+\.$/);
  });
});

describe('passwordExpired', () => {
  const changedAt = new Date('2026-01-01T00:00:00Z');

  test('expires exactly maxAgeDays after the change', () => {
    expect(passwordExpiresAt(changedAt, policy)).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(passwordExpired({ changedAt, now: new Date('2026-03-31T23:59:59.999Z'), policy })).toBe(false);
    expect(passwordExpired({ changedAt, now: new Date('2026-04-01T00:00:00Z'), policy })).toBe(true);
  });

  test('never expires when maxAgeDays is null', () => {
    const noExpiry = { ...policy, maxAgeDays: null };
    expect(passwordExpiresAt(changedAt, noExpiry)).toBeNull();
    expect(passwordExpired({ changedAt, now: new Date('2099-01-01T00:00:00Z'), policy: noExpiry })).toBe(false);
  });

  test('an invalid date counts as expired', () => {
    expect(passwordExpired({ changedAt: new Date(Number.NaN), now: changedAt, policy })).toBe(true);
    expect(passwordExpired({ changedAt, now: new Date('not a date'), policy })).toBe(true);
  });
});
