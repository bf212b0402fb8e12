import nodeCrypto from 'node:crypto';
import { base32Decode, base32Encode, generateTotpSecret, otpauthUri, totpCode, totpStep, verifyTotp } from './totp';

/** RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

afterEach(() => jest.restoreAllMocks());

describe('base32 (RFC 4648, no padding)', () => {
  test.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('RFC 4648 section 10 vector %j <-> %j', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain, 'ascii'))).toBe(encoded);
    expect(base32Decode(encoded).toString('ascii')).toBe(plain);
  });

  test('round-trips every byte value; decoding tolerates case, spaces, dashes and padding', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    expect(base32Decode('mzxw 6ytb-oi======').toString('ascii')).toBe('foobar');
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  test('refuses characters outside the alphabet and impossible lengths', () => {
    expect(() => base32Decode('MZXW1')).toThrow(/unexpected character "1"/);
    expect(() => base32Decode('MZX')).toThrow(/impossible length/);
  });
});

describe('TOTP codes (RFC 6238)', () => {
  test.each([
    [59, 1, '94287082'],
    [1111111109, 37037036, '07081804'],
    [1111111111, 37037037, '14050471'],
    [1234567890, 41152263, '89005924'],
    [2000000000, 66666666, '69279037'],
    [20000000000, 666666666, '65353130'],
  ])('appendix B SHA-1 vector at T=%i (step %i) is %s', (seconds, step, code) => {
    expect(totpStep(at(seconds))).toBe(step);
    expect(totpCode(RFC_SECRET, at(seconds), { digits: 8 })).toBe(code);
    // The default 6-digit code is the same truncation modulo 10^6.
    expect(totpCode(RFC_SECRET, at(seconds))).toBe(code.slice(2));
  });

  test('the code is stable within a 30-second step and changes at its boundary', () => {
    expect(totpCode(RFC_SECRET, at(1111111110))).toBe(totpCode(RFC_SECRET, at(1111111139)));
    expect(totpCode(RFC_SECRET, at(1111111139))).not.toBe(totpCode(RFC_SECRET, at(1111111140)));
  });

  test('refuses unsupported digits, short secrets and pre-epoch or invalid times', () => {
    expect(() => totpCode(RFC_SECRET, at(59), { digits: 5 })).toThrow(RangeError);
    expect(() => totpCode(base32Encode(Buffer.alloc(10)), at(59))).toThrow(/at least 16 bytes/);
    expect(() => totpCode(RFC_SECRET, at(-1))).toThrow(RangeError);
    expect(() => totpCode(RFC_SECRET, new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('generateTotpSecret', () => {
  test('encodes 20 bytes from the given randomness as 32 base32 characters', () => {
    const randomBytes = jest.fn((size: number) => Buffer.alloc(size, 0xab));
    const secret = generateTotpSecret(randomBytes);
    expect(randomBytes).toHaveBeenCalledWith(20);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret).equals(Buffer.alloc(20, 0xab))).toBe(true);
    expect(generateTotpSecret(nodeCrypto.randomBytes)).not.toBe(generateTotpSecret(nodeCrypto.randomBytes));
  });

  test('refuses a randomness source that returns the wrong number of bytes', () => {
    expect(() => generateTotpSecret(() => Buffer.alloc(8))).toThrow(/8 bytes/);
  });
});

describe('verifyTotp', () => {
  const now = at(1234567890);
  const step = totpStep(now);
  const codeAt = (offsetSteps: number) => totpCode(RFC_SECRET, at(1234567890 + offsetSteps * 30));

  test('accepts the current code and returns its step', () => {
    expect(verifyTotp(RFC_SECRET, '005924', now)).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, '005 924', now)).toEqual({ ok: true, step });
  });

  test('the default window accepts one step of drift either way, and no more', () => {
    expect(verifyTotp(RFC_SECRET, codeAt(-1), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(RFC_SECRET, codeAt(1), now)).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(RFC_SECRET, codeAt(-2), now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, codeAt(2), now)).toEqual({ ok: false });
  });

  test('window 0 accepts only the current step; a wider window accepts more', () => {
    expect(verifyTotp(RFC_SECRET, codeAt(-1), now, { window: 0 }).ok).toBe(false);
    expect(verifyTotp(RFC_SECRET, codeAt(0), now, { window: 0 })).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, codeAt(-2), now, { window: 2 })).toEqual({ ok: true, step: step - 2 });
    expect(() => verifyTotp(RFC_SECRET, codeAt(0), now, { window: -1 })).toThrow(RangeError);
  });

  test('refuses a wrong code, a code of the wrong length and non-digits', () => {
    const wrong = String((Number(codeAt(0)) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotp(RFC_SECRET, wrong, now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, '89005924', now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, '00592', now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, '00592a', now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, '', now)).toEqual({ ok: false });
  });

  test('verifies 8-digit codes when asked to', () => {
    expect(verifyTotp(RFC_SECRET, '89005924', now, { digits: 8 })).toEqual({ ok: true, step });
  });

  test('lastUsedStep refuses a replayed code and earlier steps', () => {
    const first = verifyTotp(RFC_SECRET, codeAt(0), now);
    expect(first.ok).toBe(true);
    expect(verifyTotp(RFC_SECRET, codeAt(0), now, { lastUsedStep: first.step })).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, codeAt(-1), now, { lastUsedStep: first.step })).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, codeAt(1), now, { lastUsedStep: first.step })).toEqual({ ok: true, step: step + 1 });
  });

  test('compares every candidate in the window with timingSafeEqual, with no early exit', () => {
    const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
    expect(verifyTotp(RFC_SECRET, codeAt(0), now, { window: 2 }).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(5);
    spy.mockClear();
    expect(verifyTotp(RFC_SECRET, '000000', now, { window: 2 }).ok).toBe(codeAt(0) === '000000');
    expect(spy).toHaveBeenCalledTimes(5);
    for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
  });
});

describe('otpauthUri', () => {
  test('builds the Key URI an authenticator app scans', () => {
    expect(otpauthUri({ secret: RFC_SECRET, accountName: 'ines.ortega@example.com', issuer: 'Attestflow' })).toBe(
      'otpauth://totp/Attestflow:ines.ortega%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Attestflow&algorithm=SHA1&digits=6&period=30',
    );
  });

  test('defaults the issuer, percent-encodes spaces and normalises the secret', () => {
    const uri = otpauthUri({ secret: RFC_SECRET.toLowerCase(), accountName: 'Ines Ortega' });
    expect(uri).toBe('otpauth://totp/Attestflow:Ines%20Ortega?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Attestflow&algorithm=SHA1&digits=6&period=30');
    expect(new URL(uri).searchParams.get('secret')).toBe(RFC_SECRET);
  });

  test('refuses colons in the label and secrets that are not base32', () => {
    expect(() => otpauthUri({ secret: RFC_SECRET, accountName: 'a:b' })).toThrow(/colon/);
    expect(() => otpauthUri({ secret: 'not base32!', accountName: 'ines' })).toThrow(/base32/);
  });
});
