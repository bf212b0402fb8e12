import { createPrivateKey, randomBytes, sign, verify, createPublicKey } from 'node:crypto';
import { openPrivateKey, resealPrivateKey, sealPrivateKey, WrongKeyPasswordError, type EncryptedKey } from './private-key-vault';
import { generateUserKeyPair } from './user-certificate';

let keys: { publicKeyPem: string; privateKeyPem: string };
let sealed: EncryptedKey;
const password = 'correct horse battery staple — ünïcödé';

beforeAll(async () => {
  keys = generateUserKeyPair();
  sealed = await sealPrivateKey(keys.privateKeyPem, password, randomBytes);
});

describe('private key vault', () => {
  test('seals into a JSON-serialisable argon2id / AES-256-GCM envelope that opens with the password', async () => {
    const stored = JSON.parse(JSON.stringify(sealed)) as EncryptedKey;
    expect(stored).toEqual(sealed);
    expect(stored).toMatchObject({ v: 1, kdf: 'argon2id', memoryCost: 19456, timeCost: 2, parallelism: 1, cipher: 'aes-256-gcm' });
    expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(stored.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(stored.tag, 'base64')).toHaveLength(16);
    expect(stored.ciphertext).not.toContain('PRIVATE KEY');

    const opened = await openPrivateKey(stored, password);
    expect(opened).toBe(keys.privateKeyPem);
    const signature = sign('sha256', Buffer.from('x'), createPrivateKey(opened));
    expect(verify('sha256', Buffer.from('x'), createPublicKey(keys.publicKeyPem), signature)).toBe(true);
  });

  test('a wrong password throws WrongKeyPasswordError', async () => {
    await expect(openPrivateKey(sealed, 'correct horse battery staple')).rejects.toBeInstanceOf(WrongKeyPasswordError);
    await expect(openPrivateKey(sealed, '')).rejects.toThrow('the password does not open this signing key');
  });

  test('fresh salt and IV each time: the same key and password seal differently', async () => {
    const again = await sealPrivateKey(keys.privateKeyPem, password, randomBytes);
    expect(again.salt).not.toBe(sealed.salt);
    expect(again.iv).not.toBe(sealed.iv);
    expect(again.ciphertext).not.toBe(sealed.ciphertext);
  });

  test('the KDF parameters, ciphertext and tag are authenticated', async () => {
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 0x01;
    const edits: EncryptedKey[] = [
      { ...sealed, ciphertext: flipped.toString('base64') },
      { ...sealed, tag: Buffer.alloc(16).toString('base64') },
      { ...sealed, timeCost: 3 },
      { ...sealed, salt: randomBytes(16).toString('base64') },
    ];
    for (const edited of edits) await expect(openPrivateKey(edited, password)).rejects.toBeInstanceOf(WrongKeyPasswordError);
  });

  test('refuses malformed envelopes and unreasonable KDF costs before deriving', async () => {
    const bad = [
      { ...sealed, v: 2 },
      { ...sealed, kdf: 'scrypt' },
      { ...sealed, memoryCost: 4 * 1024 * 1024 },
      { ...sealed, iv: 'AAAA' },
      { ...sealed, salt: 'not base64!' },
      null,
    ] as unknown as EncryptedKey[];
    for (const envelope of bad) await expect(openPrivateKey(envelope, password)).rejects.toBeInstanceOf(TypeError);
  });

  test('reseal: the new password opens the key, the old one no longer does', async () => {
    const resealed = await resealPrivateKey(sealed, password, 'a new passphrase', randomBytes);
    expect(resealed.salt).not.toBe(sealed.salt);
    await expect(openPrivateKey(resealed, 'a new passphrase')).resolves.toBe(keys.privateKeyPem);
    await expect(openPrivateKey(resealed, password)).rejects.toBeInstanceOf(WrongKeyPasswordError);
    await expect(resealPrivateKey(sealed, 'wrong', 'x', randomBytes)).rejects.toBeInstanceOf(WrongKeyPasswordError);
  });

  test('uses the injected randomness and refuses an empty password', async () => {
    const fixed = (size: number) => Buffer.alloc(size, 7);
    const a = await sealPrivateKey(keys.privateKeyPem, password, fixed);
    const b = await sealPrivateKey(keys.privateKeyPem, password, fixed);
    expect(a).toEqual(b);
    expect(a.salt).toBe(Buffer.alloc(16, 7).toString('base64'));
    await expect(sealPrivateKey(keys.privateKeyPem, '', randomBytes)).rejects.toBeInstanceOf(RangeError);
  });
});
