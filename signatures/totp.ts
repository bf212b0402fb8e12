import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * TOTP (RFC 6238) over HOTP (RFC 4226): HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch,
 * the parameters every authenticator app supports. Clock and randomness come from the caller.
 */

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, upper case, without '=' padding. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * RFC 4648 base32 to bytes. Accepts lower case, spaces, dashes and trailing '=' padding (as people
 * and some apps write secrets); throws on any other character or an impossible length.
 */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if ([1, 3, 6].includes(clean.length % 8)) throw new Error('Invalid base32: impossible length.');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`Invalid base32: unexpected character ${JSON.stringify(char)}.`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export const TOTP_SECRET_BYTES = 20;
/** RFC 4226 section 4: the shared secret must be at least 128 bits. */
const MIN_SECRET_BYTES = 16;

export interface TotpOptions {
  /** Code length, 6 to 8 (default 6). */
  digits?: number;
  /** Time step in seconds (default 30). */
  period?: number;
}

export interface VerifyTotpOptions extends TotpOptions {
  /** Steps accepted either side of the current one, 0 to 10 (default 1, i.e. +/- 30 s of clock drift). */
  window?: number;
  /** The step of the last code this user redeemed: that step and earlier ones are refused (replay). */
  lastUsedStep?: number;
}

export interface TotpVerification {
  ok: boolean;
  /** The matched time-step counter; store it and pass it back as lastUsedStep. */
  step?: number;
}

/** A new shared secret: 20 random bytes (160 bits, as RFC 4226 recommends), base32 encoded. */
export function generateTotpSecret(randomBytes: (size: number) => Buffer): string {
  const bytes = randomBytes(TOTP_SECRET_BYTES);
  if (bytes.length !== TOTP_SECRET_BYTES) throw new Error(`randomBytes returned ${bytes.length} bytes, not ${TOTP_SECRET_BYTES}.`);
  return base32Encode(bytes);
}

function resolveOptions(options: TotpOptions): { digits: number; period: number } {
  const { digits = 6, period = 30 } = options;
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new RangeError('TOTP digits must be 6, 7 or 8.');
  if (!Number.isInteger(period) || period < 1) throw new RangeError('TOTP period must be a positive whole number of seconds.');
  return { digits, period };
}

function secretKey(secretBase32: string): Buffer {
  const key = base32Decode(secretBase32);
  if (key.length < MIN_SECRET_BYTES) throw new Error(`TOTP secret must be at least ${MIN_SECRET_BYTES} bytes.`);
  return key;
}

/** The time-step counter T = floor((unix seconds - T0) / period), T0 = 0. */
export function totpStep(at: Date, period = 30): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('TOTP time must be a valid date after 1970-01-01.');
  return Math.floor(Math.floor(ms / 1000) / period);
}

/** RFC 4226 HOTP: HMAC-SHA-1 of the 8-byte big-endian counter, dynamically truncated. */
function hotp(key: Buffer, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator shows at `at`. */
export function totpCode(secretBase32: string, at: Date, options: TotpOptions = {}): string {
  const { digits, period } = resolveOptions(options);
  return hotp(secretKey(secretBase32), totpStep(at, period), digits);
}

/**
 * Checks a code typed at `at` (spaces ignored) against every step in the window. All candidates are
 * computed and compared in constant time, with no early exit; the step nearest to `at` wins.
 */
export function verifyTotp(secretBase32: string, code: string, at: Date, options: VerifyTotpOptions = {}): TotpVerification {
  const { digits, period } = resolveOptions(options);
  const { window = 1, lastUsedStep } = options;
  if (!Number.isInteger(window) || window < 0 || window > 10) throw new RangeError('TOTP window must be a whole number from 0 to 10.');
  const key = secretKey(secretBase32);
  const current = totpStep(at, period);
  const typed = code.replace(/\s/g, '');
  if (typed.length !== digits || !/^\d+$/.test(typed)) return { ok: false };
  const typedBytes = Buffer.from(typed, 'utf8');

  let matched: number | undefined;
  // Offsets in order of preference: 0, -1, +1, -2, +2, ...
  for (const offset of [0, ...Array.from({ length: window }, (_, i) => [-(i + 1), i + 1]).flat()]) {
    const step = current + offset;
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(hotp(key, step, digits), 'utf8'), typedBytes);
    if (equal && matched === undefined && (lastUsedStep === undefined || step > lastUsedStep)) matched = step;
  }
  return matched === undefined ? { ok: false } : { ok: true, step: matched };
}

export interface OtpauthUriInput {
  secret: string;
  /** Shown in the authenticator app, typically the username or e-mail address. */
  accountName: string;
  issuer?: string;
  digits?: number;
  period?: number;
}

/**
 * The Key URI (Google Authenticator format) for enrolment QR codes:
 * otpauth://totp/Issuer:account?secret=...&issuer=Issuer&algorithm=SHA1&digits=6&period=30
 */
export function otpauthUri({ secret, accountName, issuer = 'Attestflow', digits = 6, period = 30 }: OtpauthUriInput): string {
  resolveOptions({ digits, period });
  if (issuer.includes(':') || accountName.includes(':')) throw new Error('Issuer and account name must not contain a colon.');
  if (accountName.trim() === '' || issuer.trim() === '') throw new Error('Issuer and account name must not be empty.');
  const normalisedSecret = base32Encode(secretKey(secret));
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = [`secret=${normalisedSecret}`, `issuer=${encodeURIComponent(issuer)}`, 'algorithm=SHA1', `digits=${digits}`, `period=${period}`];
  return `otpauth://totp/${label}?${query.join('&')}`;
}
