// An administrator's password reset (11.300(c)) must not let the administrator sign in the person's
// name (11.200(a)): the reset stays pending until the person completes it with a factor the
// administrator cannot read, or a second, different administrator approves it; until then the
// session opened with the one-time password can do nothing else and no signing key exists.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { currentUserKey } from '../db/repositories';
import { totpCode } from '../signatures/totp';
import { changeAwaitingApproval } from './support/change-control-thread';
import { HttpSession, strongPassword } from './support/http-session';
import { addPerson } from './support/accounts';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let admin: HttpSession;
let admin2: HttpSession;
let admin2Id: string;
beforeAll(async () => {
  system = await startTestSystem('password-reset');
  admin = await system.session('admin');
  const created = await admin.post('/api/admin/users', {
    username: 'admin2',
    printedName: 'Beatriz Second',
    roles: ['administrator'],
    reason: 'Second administrator (four-eyes rule)',
  });
  expect(created.status).toBe(201);
  admin2Id = created.body.id;
  system.people.passwords.admin2 = created.body.oneTimePassword;
  admin2 = await system.session('admin2');
});
afterAll(() => system?.close());

async function count(where: ReturnType<typeof sql>, table = 'audit_events'): Promise<number> {
  return ((await system.database.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE ${where}`)).rows[0] as { n: number }).n;
}

async function submitted(): Promise<{ id: string; version: number; contentHash: string }> {
  return (await changeAwaitingApproval(await system.session('initiator'))) as { id: string; version: number; contentHash: string };
}

const signBody = (password: string, username: string | undefined, change: { version: number; contentHash: string }) => ({
  signatureId: randomUUID(),
  password,
  ...(username ? { username } : {}),
  meaning: 'approved',
  recordVersion: change.version,
  contentHash: change.contentHash,
});

/** A QA person created by the administrator, trained, signed in once (password set, policy acknowledged). */
async function qaSigner(username: string): Promise<{ id: string; session: HttpSession }> {
  const id = await addPerson(admin, system.people, { username, roles: ['qa'] });
  return { id, session: await system.people.signer(username) };
}

async function reset(userId: string) {
  const response = await admin.post(`/api/admin/users/${userId}/reset-password`, { reason: 'Password forgotten' });
  expect(response.status).toBe(200);
  return response.body as { oneTimePassword: string; resetId: string; completion: { factors: string[]; secondAdministratorNeeded: boolean } };
}

describe('the administrator cannot complete a reset (11.200(a), 11.300(c))', () => {
  test('with the one-time password the administrator can do nothing but try to complete the reset, and cannot: no key, nothing signed', async () => {
    const { id } = await qaSigner('rita');
    const { oneTimePassword, completion } = await reset(id);
    expect(completion).toEqual({ factors: ['second_administrator'], secondAdministratorNeeded: true });
    expect(await currentUserKey(system.database.db, id)).toBeUndefined();

    // The administrator's journey of before: sign in as rita, set a password, sign.
    const impostor = new HttpSession(system.baseUrl);
    const me = await impostor.login('rita', oneTimePassword);
    expect(me.pending).toMatchObject({ passwordChange: true, credentialReset: { factors: ['second_administrator'], approvedBySecondAdministrator: false } });
    expect((await impostor.get('/api/inbox')).body.code).toBe('reset_pending');
    expect((await impostor.post('/api/auth/totp', { password: oneTimePassword })).body.code).toBe('reset_pending');
    const change = await submitted();
    const sign = await impostor.post(`/api/change-controls/${change.id}/sign`, signBody(oneTimePassword, 'rita', change));
    expect(sign).toMatchObject({ status: 403, body: { code: 'reset_pending' } });
    const set = await impostor.post('/api/auth/password', { currentPassword: oneTimePassword, newPassword: strongPassword() });
    expect(set).toMatchObject({ status: 403, body: { code: 'reset_factor_required', details: { factors: ['second_administrator'] } } });
    // A made-up code is a failed attempt, not a completion.
    const guessed = await impostor.post('/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: strongPassword(),
      recoveryCode: 'abcd-efgh-jkmn',
    });
    expect(guessed).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    // The administrator who reset cannot approve their own reset.
    expect(await admin.post(`/api/admin/users/${id}/reset-password/approve`, { reason: 'I checked' })).toMatchObject({
      status: 403,
      body: { code: 'same_administrator' },
    });

    expect(await currentUserKey(system.database.db, id)).toBeUndefined();
    expect(await count(sql`record_id = ${change.id}`, 'signatures')).toBe(0);
    expect(await count(sql`entity_id = ${id} AND action = 'password_reset.completion_refused'`)).toBe(1);
    expect(await count(sql`entity_id = ${id} AND action = 'password_reset.factor_failed'`)).toBe(1);
    expect(await count(sql`entity_id = ${id} AND action = 'user.password_reset' AND new_value->>'resetPending' = 'true'`)).toBe(1);
  });
});

describe('the person completes the reset and signs again', () => {
  test('without TOTP or recovery codes: after a second, different administrator approves (named in the audit trail)', async () => {
    const { id } = await qaSigner('sam');
    const { oneTimePassword } = await reset(id);
    const approved = await admin2.post(`/api/admin/users/${id}/reset-password/approve`, { reason: 'Identity checked in person (badge)' });
    expect(approved).toMatchObject({ status: 200, body: { approvedBy: admin2Id } });
    expect((await admin2.post(`/api/admin/users/${id}/reset-password/approve`, { reason: 'again' })).body.code).toBe('step_not_allowed');

    const sam = new HttpSession(system.baseUrl);
    expect((await sam.login('sam', oneTimePassword)).pending.credentialReset.approvedBySecondAdministrator).toBe(true);
    const password = strongPassword();
    expect((await sam.post('/api/auth/password', { currentPassword: oneTimePassword, newPassword: password })).status).toBe(204);
    expect(await currentUserKey(system.database.db, id)).toBeDefined();
    expect((await sam.get('/api/auth/me')).body.pending.credentialReset).toBeUndefined();

    const change = await submitted();
    expect((await sam.post(`/api/change-controls/${change.id}/sign`, signBody(password, 'sam', change))).status).toBe(200);
    expect(
      await count(
        sql`entity_id = ${id} AND action = 'user.password_reset_approved' AND actor_id = ${admin2Id} AND reason = 'Identity checked in person (badge)'`,
      ),
    ).toBe(1);
    expect(
      await count(
        sql`entity_id = ${id} AND action = 'user.password_reset_completed' AND actor_id = ${id} AND new_value->>'completedWith' = 'second_administrator'`,
      ),
    ).toBe(1);
    // A completed reset cannot be approved or completed again.
    expect((await admin2.post(`/api/admin/users/${id}/reset-password/approve`, { reason: 'late' })).body.code).toBe('step_not_allowed');
  });

  test('with TOTP: the administrator alone cannot even sign in; the person completes with a code and signs', async () => {
    const { id, session } = await qaSigner('tom');
    const secret: string = (await session.post('/api/auth/totp', { password: system.people.passwords.tom })).body.secret;
    const confirmed = await session.post('/api/auth/totp/confirm', { code: totpCode(secret, new Date()) });
    expect(confirmed.status).toBe(200);
    const recoveryCodes: string[] = confirmed.body.recoveryCodes;
    const oldKey = (await currentUserKey(system.database.db, id))!;

    const { oneTimePassword, completion } = await reset(id);
    expect(completion).toEqual({ factors: ['totp', 'recovery_code', 'second_administrator'], secondAdministratorNeeded: false });
    expect((await new HttpSession(system.baseUrl).post('/api/auth/login', { username: 'tom', password: oneTimePassword })).body.code).toBe('totp_required');

    const tom = new HttpSession(system.baseUrl);
    await tom.login('tom', oneTimePassword, { recoveryCode: recoveryCodes[0]! });
    const password = strongPassword();
    expect((await tom.post('/api/auth/password', { currentPassword: oneTimePassword, newPassword: password })).body.code).toBe('reset_factor_required');
    expect((await tom.post('/api/auth/password', { currentPassword: oneTimePassword, newPassword: password, totpCode: '000000' })).body.code).toBe(
      'invalid_credentials',
    );
    const completed = await tom.post('/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: password,
      totpCode: totpCode(secret, new Date(Date.now() + 30_000)),
    });
    // The code of the next period: the current one was used up by the enrolment.
    expect(completed.status).toBe(204);
    const newKey = (await currentUserKey(system.database.db, id))!;
    expect(newKey.serialHex).not.toBe(oldKey.serialHex);
    expect(await count(sql`entity_id = ${id} AND action = 'user.password_reset_completed' AND new_value->>'completedWith' = 'totp'`)).toBe(1);

    const again = new HttpSession(system.baseUrl);
    await again.login('tom', password, { recoveryCode: recoveryCodes[1]! });
    const change = await submitted();
    expect((await again.post(`/api/change-controls/${change.id}/sign`, signBody(password, 'tom', change))).status).toBe(200);

    // A second reset, completed with a recovery code; a used one is refused.
    const second = await reset(id);
    const tom2 = new HttpSession(system.baseUrl);
    await tom2.login('tom', second.oneTimePassword, { recoveryCode: recoveryCodes[2]! });
    const password2 = strongPassword();
    expect(
      (await tom2.post('/api/auth/password', { currentPassword: second.oneTimePassword, newPassword: password2, recoveryCode: recoveryCodes[0] })).body.code,
    ).toBe('invalid_credentials');
    expect(
      (await tom2.post('/api/auth/password', { currentPassword: second.oneTimePassword, newPassword: password2, recoveryCode: recoveryCodes[3] })).status,
    ).toBe(204);
    expect(await count(sql`entity_id = ${id} AND action = 'user.password_reset_completed' AND new_value->>'completedWith' = 'recovery_code'`)).toBe(1);
    const third = new HttpSession(system.baseUrl);
    await third.login('tom', password2, { recoveryCode: recoveryCodes[4]! });
    const next = await submitted();
    expect((await third.post(`/api/change-controls/${next.id}/sign`, signBody(password2, 'tom', next))).status).toBe(200);
  });
});
