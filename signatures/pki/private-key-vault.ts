import { createCipheriv, createDecipheriv } from 'node:crypto';
import argon2 from 'argon2';
import { canonicalJson } from '../canonical-json';
import type { RandomBytes } from './x509-support';

/**
 * A user's signing key encrypted under a key derived from that user's own password, so the server
 * alone cannot sign. JSON-serialisable; binary fields are base64. The KDF and cipher parameters
 * are authenticated (GCM additional data), so editing them makes opening fail.
 */
export interface EncryptedKey {
  v: 1;
  kdf: 'argon2id';
  salt: string;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  ciphertext: string;
}

/** The password does not open the key (or the sealed key was altered: GCM cannot tell these apart). */
export class WrongKeyPasswordError extends Error {
  constructor() {
    super('the password does not open this signing key');
    this.name = 'WrongKeyPasswordError';
  }
}

/** OWASP argon2id floor, as for the login hash, but with its own salt and raw 32-byte output. */
const KDF = { memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

type KdfHeader = Pick<EncryptedKey, 'v' | 'kdf' | 'salt' | 'memoryCost' | 'timeCost' | 'parallelism' | 'cipher'>;

function header(key: EncryptedKey | KdfHeader): Buffer {
  const { v, kdf, salt, memoryCost, timeCost, parallelism, cipher } = key;
  return Buffer.from(canonicalJson({ v, kdf, salt, memoryCost, timeCost, parallelism, cipher }), 'utf8');
}

function deriveKey(password: string, h: KdfHeader): Promise<Buffer> {
  return argon2.hash(password, {
    type: argon2.argon2id,
    raw: true,
    salt: Buffer.from(h.salt, 'base64'),
    hashLength: 32,
    memoryCost: h.memoryCost,
    timeCost: h.timeCost,
    parallelism: h.parallelism,
  });
}

function take(randomBytes: RandomBytes, size: number): Buffer {
  const bytes = randomBytes(size);
  if (bytes.length !== size) throw new RangeError('randomBytes returned the wrong number of bytes');
  return bytes;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isBase64(value: unknown, bytes?: number): value is string {
  return typeof value === 'string' && BASE64.test(value) && (bytes === undefined || Buffer.from(value, 'base64').length === bytes);
}

/** Refuses anything but a version-1 key with sane parameters (bounds the work an edited record can cause). */
function assertEncryptedKey(value: unknown): asserts value is EncryptedKey {
  const k = value as Partial<EncryptedKey> | null;
  const ok =
    typeof k === 'object' &&
    k !== null &&
    k.v === 1 &&
    k.kdf === 'argon2id' &&
    k.cipher === 'aes-256-gcm' &&
    isBase64(k.salt) &&
    Buffer.from(k.salt, 'base64').length >= SALT_BYTES &&
    isInt(k.memoryCost, 8 * 1024, 1024 * 1024) &&
    isInt(k.timeCost, 1, 16) &&
    isInt(k.parallelism, 1, 16) &&
    isBase64(k.iv, IV_BYTES) &&
    isBase64(k.tag, TAG_BYTES) &&
    isBase64(k.ciphertext);
  if (!ok) throw new TypeError('not a version 1 argon2id/aes-256-gcm encrypted key');
}

/** Encrypts a PEM private key under a key derived (argon2id) from the user's password. */
export async function sealPrivateKey(privateKeyPem: string, password: string, randomBytes: RandomBytes): Promise<EncryptedKey> {
  if (password.length === 0) throw new RangeError('password must not be empty');
  const h: KdfHeader = { v: 1, kdf: 'argon2id', salt: take(randomBytes, SALT_BYTES).toString('base64'), ...KDF, cipher: 'aes-256-gcm' };
  const iv = take(randomBytes, IV_BYTES);
  const key = await deriveKey(password, h);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(header(h));
    const ciphertext = Buffer.concat([cipher.update(privateKeyPem, 'utf8'), cipher.final()]);
    return { ...h, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  } finally {
    key.fill(0);
  }
}

/** Decrypts the PEM private key; throws WrongKeyPasswordError when the password does not open it. */
export async function openPrivateKey(encrypted: EncryptedKey, password: string): Promise<string> {
  assertEncryptedKey(encrypted);
  const key = await deriveKey(password, encrypted);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(encrypted.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(header(encrypted));
    decipher.setAuthTag(Buffer.from(encrypted.tag, 'base64'));
    const plaintext = decipher.update(Buffer.from(encrypted.ciphertext, 'base64'));
    try {
      return Buffer.concat([plaintext, decipher.final()]).toString('utf8');
    } catch {
      throw new WrongKeyPasswordError();
    } finally {
      plaintext.fill(0);
    }
  } finally {
    key.fill(0);
  }
}

/** Re-encrypts under a new password (fresh salt and IV); the old password must open the key. */
export async function resealPrivateKey(encrypted: EncryptedKey, oldPassword: string, newPassword: string, randomBytes: RandomBytes): Promise<EncryptedKey> {
  const privateKeyPem = await openPrivateKey(encrypted, oldPassword);
  return sealPrivateKey(privateKeyPem, newPassword, randomBytes);
}
