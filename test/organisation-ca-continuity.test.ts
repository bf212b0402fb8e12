// 11.10(c) and 11.70: a database restored without the organisation CA it was used with (or with
// another one) must not get a new CA on first start. Earlier versions created one silently, and
// every earlier signature and sealed PDF then failed to chain to the CA verifiers are given.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, type AttestflowConfig } from '../config/config';
import { assertOrganisationCaContinuity } from '../config/organisation-ca-continuity';
import { loadOrCreateOrganisationCa } from '../config/pki-store';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { insertUserKey } from '../db/repositories';
import { users } from '../db/schema';
import { generateUserKeyPair, issueUserCertificate } from '../signatures/pki';
import { attestflow } from './support/cli';
import { createTestDatabase, dropDatabase } from './support/test-database';

jest.setTimeout(120_000);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-ca-continuity-'));
let databaseUrl: string;
let database: DatabaseHandle;

const configFor = (dataDir: string): AttestflowConfig => loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
const freshDir = (name: string) => fs.mkdtempSync(path.join(scratch, `${name}-`));
const caFile = (dataDir: string) => path.join(dataDir, 'pki', 'ca.pem');

async function refusal(config: AttestflowConfig): Promise<ConfigError> {
  const error = await assertOrganisationCaContinuity(database.db, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a configuration error, got ${String(error)}`);
  return error;
}

/** A person whose signing certificate the CA in `dataDir` issued, as the API does on their first signature. */
async function issueCertificateFrom(dataDir: string): Promise<string> {
  const ca = loadOrCreateOrganisationCa(configFor(dataDir));
  const userId = randomUUID();
  const username = `signer-${userId.slice(0, 8)}`;
  await database.db.insert(users).values({ id: userId, username, printedName: 'Li Wei', passwordHash: 'not used here' });
  const keys = generateUserKeyPair();
  const issued = issueUserCertificate(ca, { userId, username, printedName: 'Li Wei', publicKeyPem: keys.publicKeyPem, now: new Date() });
  await insertUserKey(database.db, {
    id: randomUUID(),
    userId,
    serialHex: issued.serialHex,
    certificatePem: issued.certificatePem,
    encryptedPrivateKey: { notUsedHere: true },
    issuedAt: new Date(),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
  });
  return issued.serialHex;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase('ca_continuity');
  database = connectDatabase(databaseUrl, { max: 2 });
});

afterAll(async () => {
  await database.close();
  await dropDatabase(databaseUrl);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the organisation CA a database was used with', () => {
  const original = path.join(scratch, 'original');

  it('is created on first start while the database holds no certificate', async () => {
    await expect(assertOrganisationCaContinuity(database.db, configFor(original))).resolves.toBeUndefined();
    expect(fs.existsSync(caFile(original))).toBe(false);
  });

  it('is accepted when it issued the certificates in the database', async () => {
    await issueCertificateFrom(original);
    await expect(assertOrganisationCaContinuity(database.db, configFor(original))).resolves.toBeUndefined();
  });

  it('is never replaced by a new one when DATA_DIR/pki is missing', async () => {
    const empty = freshDir('restored-without-pki');
    const error = await refusal(configFor(empty));
    expect(error.message).toContain(`${caFile(empty)} is missing`);
    expect(error.message).toContain('Restore DATA_DIR/pki from the backup');
    expect(fs.existsSync(caFile(empty))).toBe(false);
  });

  it('is told apart from another CA', async () => {
    const other = freshDir('other-ca');
    loadOrCreateOrganisationCa(configFor(other));
    const error = await refusal(configFor(other));
    expect(error.message).toContain('did not issue the certificates in the database');
  });

  it('is never half restored: a certificate without its key is refused, not paired with a new key', async () => {
    const half = freshDir('half');
    fs.mkdirSync(path.join(half, 'pki'));
    fs.copyFileSync(caFile(original), caFile(half));
    const error = await refusal(configFor(half));
    expect(error.message).toContain('half there');
    expect(() => loadOrCreateOrganisationCa(configFor(half))).toThrow(ConfigError);
    expect(fs.existsSync(path.join(half, 'pki', 'ca-key.pem'))).toBe(false);
  });

  it('stops every process before it creates a CA: the API, the worker and the PDF generator exit with a configuration error', () => {
    for (const command of ['api', 'worker', 'render-worker']) {
      const empty = freshDir(`cli-${command}`);
      const result = attestflow([command], {
        DATABASE_URL: databaseUrl,
        DATA_DIR: empty,
        // Never reached: the check comes first. A closed port makes a wrong order fail loudly.
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        PORT: '0',
      });
      expect({ command, code: result.code }).toEqual({ command, code: 2 });
      expect(result.output).toContain('holds no organisation CA');
      expect(fs.existsSync(caFile(empty))).toBe(false);
    }
  });
});
