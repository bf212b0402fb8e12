import { randomBytes } from 'node:crypto';
import { generateRecoveryCodes, hashRecoveryCode, matchRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_ALPHABET } from './recovery-codes';

const FORMAT = /^[abcdefghjkmnpqrstuvwxyz23456789]{4}-[abcdefghjkmnpqrstuvwxyz23456789]{4}-[abcdefghjkmnpqrstuvwxyz23456789]{4}$/;

/** A deterministic byte source that cycles through the given values. */
function cycling(values: number[]): (size: number) => Buffer {
  let next = 0;
  return (size) => Buffer.from(Array.from({ length: size }, () => values[next++ % values.length]!));
}

describe('generateRecoveryCodes', () => {
  test('makes 10 distinct xxxx-xxxx-xxxx codes from an alphabet without look-alikes by default', () => {
    const codes = generateRecoveryCodes(randomBytes);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
    for (const lookalike of ['0', 'o', '1', 'l', 'i']) expect(RECOVERY_CODE_ALPHABET).not.toContain(lookalike);
  });

  test('honours count and uses only the randomness it is given', () => {
    const codes = generateRecoveryCodes(cycling([...Array(256).keys()]), 3);
    expect(codes).toEqual(['abcd-efgh-jkmn', 'pqrs-tuvw-xyz2', '3456-789a-bcde']);
    expect(() => generateRecoveryCodes(randomBytes, 0)).toThrow(RangeError);
  });

  test('rejects bytes that would bias the alphabet (>= 248) instead of wrapping them', () => {
    // 248..255 would map to 'a'..'j' with `% 31`; they must be skipped.
    const [code] = generateRecoveryCodes(cycling([248, 255, 1]), 1);
    expect(code).toBe('bbbb-bbbb-bbbb');
  });

  test('refuses a byte source that never yields usable bytes', () => {
    expect(() => generateRecoveryCodes(() => Buffer.alloc(24, 0xff), 1)).toThrow(/unusable bytes/);
  });
});

describe('normaliseRecoveryCode', () => {
  test('ignores case, dashes and whitespace; refuses wrong lengths and foreign characters', () => {
    expect(normaliseRecoveryCode(' ABCD-efgh - JKMN ')).toBe('abcdefghjkmn');
    expect(normaliseRecoveryCode('abcdefghjkmn')).toBe('abcdefghjkmn');
    expect(normaliseRecoveryCode('abcd-efgh-jkm')).toBeNull();
    expect(normaliseRecoveryCode('abcd-efgh-jkm0')).toBeNull();
  });
});

describe('hashRecoveryCode and matchRecoveryCode', () => {
  const codes = ['abcd-efgh-jkmn', 'pqrs-tuvw-xyz2', '3456-789a-bcde'];
  let hashes: string[];

  beforeAll(async () => {
    hashes = await Promise.all(codes.map(hashRecoveryCode));
  });

  test('stores argon2id hashes, never the code', () => {
    for (const [i, hash] of hashes.entries()) {
      expect(hash).toMatch(/^\$argon2id\$v=19\$/);
      expect(hash).toMatch(/[$,]m=19456[$,]/);
      expect(hash).not.toContain(codes[i]!.replace(/-/g, ''));
    }
  });

  test('finds the index of the matching code, however it is typed', async () => {
    expect(await matchRecoveryCode('pqrs-tuvw-xyz2', hashes)).toBe(1);
    expect(await matchRecoveryCode('PQRSTUVWXYZ2', hashes)).toBe(1);
    expect(await matchRecoveryCode(' 3456 789A BCDE ', hashes)).toBe(2);
  });

  test('returns -1 for unknown, malformed or already-used codes', async () => {
    expect(await matchRecoveryCode('zzzz-zzzz-zzzz', hashes)).toBe(-1);
    expect(await matchRecoveryCode('not a code', hashes)).toBe(-1);
    expect(await matchRecoveryCode('abcd-efgh-jkmn', [null, ...hashes.slice(1)])).toBe(-1);
    expect(await matchRecoveryCode('pqrs-tuvw-xyz2', [null, hashes[1]!, 'not-a-hash'])).toBe(1);
    expect(await matchRecoveryCode('abcd-efgh-jkmn', [])).toBe(-1);
  });

  test('refuses to hash something that is not a recovery code', async () => {
    await expect(hashRecoveryCode('abc')).rejects.toThrow(/Not a recovery code/);
  });
});
