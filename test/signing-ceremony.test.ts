// The signing ceremony and per-signer signatures (11.50, 11.70, 11.100, 11.200, 11.300(c)).
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { currentUserKey, findUserByUsername } from '../db/repositories';
import { manifestBytes, openPrivateKey, signDetachedCms, signManifestCms, type EncryptedKey, type SignatureManifest } from '../signatures/pki';
import { changeAwaitingApproval } from './support/change-control-thread';
import { attestflow } from './support/cli';
import { HttpSession } from './support/http-session';
import { addPerson } from './support/accounts';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let admin: HttpSession;
beforeAll(async () => {
  system = await startTestSystem('signing');
  admin = await system.session('admin');
});
afterAll(() => system?.close());

async function count(table: string, where: ReturnType<typeof sql>): Promise<number> {
  return ((await system.database.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE ${where}`)).rows[0] as { n: number }).n;
}

/** A change control submitted with its impact assessment by the demo initiator, waiting for QA's approval. */
async function submitted(): Promise<{ id: string; version: number; contentHash: string; number: string }> {
  const result = await changeAwaitingApproval(await system.session('initiator'));
  return result as { id: string; version: number; contentHash: string; number: string };
}

function signBody(session: HttpSession, username: string, change: { version: number; contentHash: string }, extra: Record<string, unknown> = {}) {
  return {
    signatureId: randomUUID(),
    ...system.people.credentials(session, username),
    meaning: 'approved',
    recordVersion: change.version,
    contentHash: change.contentHash,
    ...extra,
  };
}

/** A QA person created by the administrator, trained on the SOP the step requires. */
function qaPerson(username: string, printedName: string, trained = true): Promise<string> {
  return addPerson(admin, system.people, { username, printedName, roles: ['qa'], trained });
}

const verification = (signatureId: string) => admin.get(`/api/signatures/${signatureId}/verification`);

describe('re-authentication (11.200(a))', () => {
  test('the password of another user is refused and audited; nothing is signed', async () => {
    const change = await submitted();
    const qa = await system.people.signer('qa');
    await system.people.signer('qa2');
    const body = signBody(qa, 'qa', change, { password: system.people.passwords.qa2 });
    const refused = await qa.post(`/api/change-controls/${change.id}/sign`, body);
    expect(refused).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(0);
    expect(await count('audit_events', sql`action = 'signature.failed' AND entity_id = ${body.signatureId}`)).toBe(1);
  });

  test('the first signature of a session needs the username too, and the right one', async () => {
    const change = await submitted();
    const qa = await system.people.signer('qa');
    const fresh = await system.people.session('qa');
    // The browser app's signing dialog asks for the username when the API says the session needs it.
    expect((await fresh.get('/api/auth/me')).body.signatureNeedsUsername).toBe(true);
    const without = await fresh.post(`/api/change-controls/${change.id}/sign`, { ...signBody(fresh, 'qa', change), username: undefined });
    expect(without).toMatchObject({ status: 400, body: { code: 'username_required' } });
    const wrongUser = await fresh.post(`/api/change-controls/${change.id}/sign`, { ...signBody(fresh, 'qa', change), username: 'qa2' });
    expect(wrongUser).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect(qa).toBeDefined();
    expect((await fresh.get('/api/auth/me')).body.signatureNeedsUsername).toBe(true);
    const ok = await fresh.post(`/api/change-controls/${change.id}/sign`, signBody(fresh, 'qa', change));
    expect(ok.status).toBe(200);
    expect((await fresh.get('/api/auth/me')).body.signatureNeedsUsername).toBe(false);
  });

  test('failed signing attempts count toward lockout: the account locks, an alert is raised', async () => {
    const userId = await qaPerson('lockme', 'Lock Me');
    const session = await system.people.signer('lockme');
    const change = await submitted();
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'lockme', change, { password: `wrong-${i}` }))).body.code);
    expect(codes).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'account_locked']);
    const alerts = (await admin.get('/api/admin/alerts?open=true')).body as { kind: string; userId: string }[];
    expect(alerts).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'user.locked', userId })]));
    const login = await new HttpSession(system.baseUrl).post('/api/auth/login', { username: 'lockme', password: system.people.passwords.lockme });
    expect(login).toMatchObject({ status: 423, body: { code: 'account_locked' } });
  });

  test('a disabled user cannot sign', async () => {
    const userId = await qaPerson('leaver', 'Lee Leaver');
    const session = await system.people.signer('leaver');
    await admin.post(`/api/admin/users/${userId}/disable`, { reason: 'Left the company' });
    const change = await submitted();
    const refused = await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'leaver', change));
    expect(refused.body.code).toBe('not_authenticated');
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(0);
  });
});

describe('authority (11.10(g), (i), (j))', () => {
  test('the e-signature policy must be acknowledged (with a signature) before the first signature', async () => {
    await qaPerson('newbie', 'Nia Newbie');
    const session = await system.people.session('newbie');
    const change = await submitted();
    const refused = await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'newbie', change));
    expect(refused).toMatchObject({ status: 403, body: { code: 'policy_not_acknowledged' } });
    const policy = await session.get('/api/esignature-policy');
    expect(policy.body).toMatchObject({ version: '1', acknowledgement: null, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const ack = await session.post('/api/esignature-policy/acknowledgements', {
      signatureId: randomUUID(),
      password: system.people.passwords.newbie,
      username: 'newbie',
    });
    expect(ack.status).toBe(201);
    const ok = await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'newbie', change));
    expect(ok.status).toBe(200);
  });

  test('a signer without current training on the required SOP is refused; once trained, accepted', async () => {
    const userId = await qaPerson('untrained', 'Una Trained', false);
    const session = await system.people.signer('untrained');
    const change = await submitted();
    const refused = await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'untrained', change));
    expect(refused).toMatchObject({ status: 403, body: { code: 'training_required' } });
    expect(refused.body.message).toContain('SOP-QA-007');
    const expired = await admin.post('/api/admin/training-records', {
      userId,
      documentNumber: 'SOP-QA-007',
      revision: 1,
      trainedAt: '2024-01-01T00:00:00.000Z',
      expiresAt: '2025-01-01T00:00:00.000Z',
      reason: 'Old training record',
    });
    expect(expired.status).toBe(201);
    expect((await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'untrained', change))).body.code).toBe('training_required');
    await admin.post('/api/admin/training-records', {
      userId,
      documentNumber: 'SOP-QA-007',
      revision: 2,
      trainedAt: new Date().toISOString(),
      reason: 'Retrained',
    });
    expect((await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'untrained', change))).status).toBe(200);
  });

  test('a meaning the step does not accept is refused', async () => {
    const change = await submitted();
    const qa = await system.people.signer('qa');
    const refused = await qa.post(`/api/change-controls/${change.id}/sign`, signBody(qa, 'qa', change, { meaning: 'released' }));
    expect(refused).toMatchObject({ status: 400, body: { code: 'unknown_meaning' } });
  });
});

describe('the stored signature (11.50, 11.70)', () => {
  let signatureId: string;
  let change: { id: string; number: string };

  beforeAll(async () => {
    change = await submitted();
    const qa = await system.people.signer('qa');
    const signed = await qa.post(`/api/change-controls/${change.id}/sign`, signBody(qa, 'qa', change as never, { comment: 'Supplier data sheet attached.' }));
    expect(signed.status).toBe(200);
    signatureId = signed.body.signature.id;
  });

  test('openssl cms -verify accepts the signer\u2019s CMS over the canonical manifest against the organisation CA', async () => {
    const exported = await admin.get(`/api/signatures/${signatureId}`);
    const ca = await fetch(`${system.baseUrl}/api/pki/ca.pem`).then((r) => r.text());
    expect(ca).toContain('BEGIN CERTIFICATE');
    const dir = fs.mkdtempSync(path.join(system.dataDir, 'openssl-'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), ca);
    fs.writeFileSync(path.join(dir, 'manifest.json'), manifestBytes(exported.body.signature.manifest));
    fs.writeFileSync(path.join(dir, 'signature.der'), Buffer.from(exported.body.signature.cms, 'base64'));
    const run = (content: string) =>
      spawnSync(
        'openssl',
        [
          'cms',
          '-verify',
          '-binary',
          '-inform',
          'DER',
          '-in',
          path.join(dir, 'signature.der'),
          '-content',
          content,
          '-CAfile',
          path.join(dir, 'ca.pem'),
          '-purpose',
          'any',
          '-out',
          '/dev/null',
        ],
        { encoding: 'utf8' },
      );
    const ok = run(path.join(dir, 'manifest.json'));
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('Verification successful');
    const altered = Buffer.from(fs.readFileSync(path.join(dir, 'manifest.json')));
    altered[10] = altered[10]! ^ 1;
    fs.writeFileSync(path.join(dir, 'altered.json'), altered);
    expect(run(path.join(dir, 'altered.json')).status).not.toBe(0);
  });

  test('verification by the API and by `attestflow verify` says VALID', async () => {
    const api = await verification(signatureId);
    expect(api.body.valid).toBe(true);
    const cli = attestflow(['verify', signatureId], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
    expect(cli.code).toBe(0);
    expect(cli.output).toContain('VERDICT: VALID');
    expect(cli.output).toContain('Quentin Adeyemi');
  });

  test('a signature copied onto another record fails verification', async () => {
    const other = await submitted();
    const copyId = randomUUID();
    await system.database.db.execute(sql`
      INSERT INTO signatures (id, record_id, record_version, content_hash, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, manifest, cms, certificate_serial)
      SELECT ${copyId}, ${other.id}, record_version, ${other.contentHash}, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, manifest, cms, certificate_serial
      FROM signatures WHERE id = ${signatureId}`);
    const api = await verification(copyId);
    expect(api.body.valid).toBe(false);
    expect(api.body.verdict).toContain('FAIL');
    const cli = attestflow(['verify', copyId], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });
    expect(cli.code).toBe(1);
    expect(cli.output).toContain('VERDICT: INVALID');
  });

  test('a manifest re-signed by someone else\u2019s key (an administrator forging a signature) fails verification', async () => {
    const adminUser = (await findUserByUsername(system.database.db, 'admin'))!;
    const adminKey = (await currentUserKey(system.database.db, adminUser.id))!;
    const privateKeyPem = await openPrivateKey(adminKey.encryptedPrivateKey as EncryptedKey, system.people.passwords.admin!);
    const exported = await admin.get(`/api/signatures/${signatureId}`);
    const forgedId = randomUUID();
    const manifest: SignatureManifest = { ...exported.body.signature.manifest, signatureId: forgedId };
    expect(() =>
      signManifestCms({ manifest, certificatePem: adminKey.certificatePem, privateKeyPem, caCertificatePem: exported.body.caCertificatePem }),
    ).toThrow();
    // Bypassing that guard: a valid CMS by the administrator's own certificate over QA's manifest.
    const forgedCms = signDetachedCms({
      content: manifestBytes(manifest),
      signingTime: new Date(manifest.signedAt),
      certificatePem: adminKey.certificatePem,
      privateKeyPem,
      caCertificatePem: exported.body.caCertificatePem,
    });
    await system.database.db.execute(sql`
      INSERT INTO signatures (id, record_id, record_version, content_hash, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, manifest, cms, certificate_serial)
      SELECT ${forgedId}, record_id, record_version, content_hash, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, ${JSON.stringify(manifest)}::jsonb, ${forgedCms}, ${adminKey.serialHex}
      FROM signatures WHERE id = ${signatureId}`);
    const forged = await verification(forgedId);
    expect(forged.body.valid).toBe(false);
    expect(forged.body.checks[0]).toMatchObject({ ok: false });
    // The signer's own key cannot be opened without the signer's password.
    const qaKey = (await currentUserKey(system.database.db, manifest.signerId))!;
    await expect(openPrivateKey(qaKey.encryptedPrivateKey as EncryptedKey, system.people.passwords.admin!)).rejects.toThrow();
  });
});

describe('names and comments are kept exactly', () => {
  test('very long and non-ASCII printed names and comments round-trip and verify', async () => {
    const printedName = `Zoë Ñúñez-Øster 张伟 ${'Ł'.repeat(300)}`;
    await qaPerson('unicode', printedName);
    const session = await system.people.signer('unicode');
    const change = await submitted();
    const comment = `${'审核通过。'.repeat(1000)} — Größe ✓ 🚀 ${'x'.repeat(4000)}`.slice(0, 4000);
    const signed = await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'unicode', change, { comment }));
    expect(signed.status).toBe(200);
    expect(signed.body.signature.printedName).toBe(printedName);
    expect(signed.body.signature.comment).toBe(comment);
    const stored = (await system.database.db.execute(sql`SELECT printed_name, comment FROM signatures WHERE id = ${signed.body.signature.id}`)).rows[0] as {
      printed_name: string;
      comment: string;
    };
    expect(stored).toEqual({ printed_name: printedName, comment });
    expect((await verification(signed.body.signature.id)).body.valid).toBe(true);
  });
});

describe('loss management (11.300(c))', () => {
  test('an administrator reset revokes the certificate (published in the CRL); old signatures stay valid; a new key comes with the next password', async () => {
    const userId = await qaPerson('resetme', 'Rita Reset');
    const session = await system.people.signer('resetme');
    const change = await submitted();
    const signed = await session.post(`/api/change-controls/${change.id}/sign`, signBody(session, 'resetme', change));
    expect(signed.status).toBe(200);
    const oldKey = (await currentUserKey(system.database.db, userId))!;

    const reset = await admin.post(`/api/admin/users/${userId}/reset-password`, { reason: 'Password disclosed' });
    expect(reset.status).toBe(200);
    system.people.passwords.resetme = reset.body.oneTimePassword;
    expect((await session.get('/api/inbox')).body.code).toBe('not_authenticated');

    const crl = await fetch(`${system.baseUrl}/api/pki/crl.pem`).then((r) => r.text());
    const crlFile = path.join(system.dataDir, 'crl.pem');
    fs.writeFileSync(crlFile, crl);
    const text = spawnSync('openssl', ['crl', '-in', crlFile, '-noout', '-text'], { encoding: 'utf8' }).stdout.toUpperCase();
    expect(text).toContain(oldKey.serialHex.toUpperCase().replace(/^0+/, ''));

    expect((await verification(signed.body.signature.id)).body.valid).toBe(true);

    // Rita has no authenticator or recovery code: a second administrator approves the reset
    // (test/password-reset.test.ts shows that the resetting administrator alone cannot complete it).
    const second = await admin.post('/api/admin/users', {
      username: 'admin-second',
      printedName: 'Second Admin',
      roles: ['administrator'],
      reason: 'Four-eyes rule',
    });
    system.people.passwords['admin-second'] = second.body.oneTimePassword;
    const admin2 = await system.session('admin-second');
    expect((await admin2.post(`/api/admin/users/${userId}/reset-password/approve`, { reason: 'Identity checked in person' })).status).toBe(200);

    const again = await system.people.signer('resetme');
    const newKey = (await currentUserKey(system.database.db, userId))!;
    expect(newKey.serialHex).not.toBe(oldKey.serialHex);
    const next = await submitted();
    expect((await again.post(`/api/change-controls/${next.id}/sign`, signBody(again, 'resetme', next))).status).toBe(200);
  });
});
