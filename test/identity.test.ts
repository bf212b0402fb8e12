// Accounts, passwords, lockout, second factor and sessions (21 CFR 11.10(d), 11.100, 11.300).
import { sql } from 'drizzle-orm';
import { totpCode } from '../signatures/totp';
import { HttpSession, strongPassword } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let admin: HttpSession;
beforeAll(async () => {
  system = await startTestSystem('identity');
  admin = await system.session('admin');
});
afterAll(() => system?.close());

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return (await system.database.db.execute(query)).rows as T[];
}

/** An administrator creates an account; the person signs in with the one-time password. */
async function newUser(username: string, roles: string[], printedName = `Test ${username}`) {
  const created = await admin.post('/api/admin/users', { username, printedName, roles, reason: 'New starter in QA' });
  expect(created.status).toBe(201);
  system.people.passwords[username] = created.body.oneTimePassword;
  return created.body as { id: string; oneTimePassword: string };
}

describe('accounts (administrators create, disable, re-enable; ids never reused)', () => {
  test('creation, role change, disable and enable are audit events with the reason', async () => {
    const user = await newUser('alice', ['initiator']);
    expect((await admin.put(`/api/admin/users/${user.id}/roles`, { roles: ['initiator', 'qa'], reason: 'Moved to QA' })).status).toBe(204);
    expect((await admin.post(`/api/admin/users/${user.id}/disable`, { reason: 'Left the company' })).status).toBe(204);
    expect((await admin.post(`/api/admin/users/${user.id}/enable`, { reason: 'Rehired' })).status).toBe(204);
    const events = await rows<{ action: string; reason: string; old_value: unknown; new_value: unknown }>(
      sql`SELECT action, reason, old_value, new_value FROM audit_events WHERE entity_type = 'user' AND entity_id = ${user.id} ORDER BY seq`,
    );
    expect(events.map((e) => [e.action, e.reason])).toEqual([
      ['user.created', 'New starter in QA'],
      ['user.roles_changed', 'Moved to QA'],
      ['user.disabled', 'Left the company'],
      ['user.enabled', 'Rehired'],
    ]);
    expect(events[1]).toMatchObject({ old_value: { roles: ['initiator'] }, new_value: { roles: ['initiator', 'qa'] } });
  });

  test('a disabled user cannot sign in and loses open sessions; the username is never given again; users cannot be deleted', async () => {
    const user = await newUser('bob', ['initiator']);
    const bob = await system.session('bob');
    expect((await bob.get('/api/inbox')).status).toBe(200);
    await admin.post(`/api/admin/users/${user.id}/disable`, { reason: 'Left the company' });
    expect((await bob.get('/api/inbox')).body.code).toBe('not_authenticated');
    const login = await new HttpSession(system.baseUrl).post('/api/auth/login', { username: 'bob', password: system.people.passwords.bob });
    expect(login).toMatchObject({ status: 403, body: { code: 'user_inactive' } });
    const again = await admin.post('/api/admin/users', { username: 'bob', printedName: 'Another Bob', roles: [], reason: 'New starter' });
    expect(again).toMatchObject({ status: 409, body: { code: 'username_taken' } });
    const deletion = await system.database.db.execute(sql`DELETE FROM users WHERE id = ${user.id}`).catch((error: { cause?: Error }) => error.cause);
    expect((deletion as Error).message).toMatch(/DELETE on users is refused/);
  });

  test('only administrators reach administration; bad input is refused with 400', async () => {
    const qa = await system.session('qa');
    expect((await qa.get('/api/admin/users')).body.code).toBe('not_authorised');
    const bad = await admin.post('/api/admin/users', { username: 'Has Spaces', printedName: '', roles: ['emperor'], reason: '' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});

describe('passwords (11.300(a)-(b))', () => {
  test('the one-time password must be changed before anything else', async () => {
    await newUser('carol', ['initiator']);
    const carol = new HttpSession(system.baseUrl);
    const me = await carol.login('carol', system.people.passwords.carol!);
    expect(me.pending.passwordChange).toBe(true);
    expect((await carol.get('/api/inbox')).body.code).toBe('password_change_required');
  });

  test('policy: too short, common, containing the username, and reused passwords are refused', async () => {
    await newUser('dave', ['initiator']);
    const dave = new HttpSession(system.baseUrl);
    await dave.login('dave', system.people.passwords.dave!);
    const attempt = (newPassword: string) => dave.post('/api/auth/password', { currentPassword: system.people.passwords.dave, newPassword });
    for (const [password, problem] of [
      ['Sh0rt!', 'too_short'],
      ['Password123!', 'common_password'],
      ['dave-is-my-name-2026', 'contains_username'],
      [system.people.passwords.dave!, 'reused'],
    ] as const) {
      const refused = await attempt(password);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('password_rejected');
      expect(refused.body.details.problems.map((p: { code: string }) => p.code)).toContain(problem);
    }
    const first = strongPassword();
    expect((await attempt(first)).status).toBe(204);
    system.people.passwords.dave = first;
    // History: going back to the previous password is refused.
    const back = await dave.post('/api/auth/password', { currentPassword: first, newPassword: first });
    expect(back.body.details.problems.map((p: { code: string }) => p.code)).toContain('reused');
  });

  test('an expired password forces a change', async () => {
    await newUser('erin', ['initiator']);
    const erin = await system.session('erin');
    await admin.put('/api/admin/password-policy', {
      policy: { minLength: 12, maxAgeDays: 30, historyCount: 5, lockoutThreshold: 5, requireTotpForRoles: [] },
      reason: 'Quarterly review of policy',
    });
    await system.database.db.execute(sql`UPDATE users SET password_changed_at = now() - interval '31 days' WHERE username = 'erin'`);
    expect((await erin.get('/api/inbox')).body.code).toBe('password_change_required');
    expect((await admin.get('/api/admin/password-policy')).body).toMatchObject({ maxAgeDays: 30, version: expect.any(Number) });
  });
});

describe('lockout and alerts (11.300(d))', () => {
  test('consecutive failures at login lock the account, raise an alert, and audit it; an administrator unlocks', async () => {
    const user = await newUser('frank', ['initiator']);
    const anonymous = new HttpSession(system.baseUrl);
    for (let i = 0; i < 4; i++)
      expect((await anonymous.post('/api/auth/login', { username: 'frank', password: `wrong-${i}` })).body.code).toBe('invalid_credentials');
    expect((await anonymous.post('/api/auth/login', { username: 'frank', password: 'wrong-5' })).body.code).toBe('account_locked');
    // Even the right password is refused while locked.
    expect((await anonymous.post('/api/auth/login', { username: 'frank', password: system.people.passwords.frank })).status).toBe(423);
    const alerts = (await admin.get('/api/admin/alerts?open=true')).body as { kind: string; userId: string; message: string }[];
    expect(alerts).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'user.locked', userId: user.id })]));
    const locked = await rows<{ action: string }>(sql`SELECT action FROM audit_events WHERE entity_id = ${user.id} AND action = 'user.locked'`);
    expect(locked).toHaveLength(1);
    expect((await admin.post(`/api/admin/users/${user.id}/unlock`, { reason: 'Identity confirmed by phone' })).status).toBe(204);
    expect((await anonymous.post('/api/auth/login', { username: 'frank', password: system.people.passwords.frank })).status).toBe(200);
  });
});

describe('second factor (11.300(e))', () => {
  test('TOTP enrolment, login with a code, refusal of a wrong or reused code, one-time recovery codes; every use audited', async () => {
    await newUser('grace', ['initiator']);
    const grace = await system.session('grace');
    const enrol = await grace.post('/api/auth/totp', { password: system.people.passwords.grace });
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const secret: string = enrol.body.secret;
    const confirmed = await grace.post('/api/auth/totp/confirm', { code: totpCode(secret, new Date()) });
    expect(confirmed.status).toBe(200);
    const recoveryCodes: string[] = confirmed.body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);

    const session = new HttpSession(system.baseUrl);
    const password = system.people.passwords.grace!;
    expect((await session.post('/api/auth/login', { username: 'grace', password })).body.code).toBe('totp_required');
    expect((await session.post('/api/auth/login', { username: 'grace', password, totpCode: '000000' })).body.code).toBe('invalid_credentials');
    const next = totpCode(secret, new Date(Date.now() + 30_000));
    expect((await session.post('/api/auth/login', { username: 'grace', password, totpCode: next })).status).toBe(200);
    expect((await session.post('/api/auth/login', { username: 'grace', password, totpCode: next })).body.code).toBe('invalid_credentials');
    expect((await session.post('/api/auth/login', { username: 'grace', password, recoveryCode: recoveryCodes[0] })).status).toBe(200);
    expect((await session.post('/api/auth/login', { username: 'grace', password, recoveryCode: recoveryCodes[0] })).body.code).toBe('invalid_credentials');
    const actions = (await rows<{ action: string }>(sql`SELECT action FROM audit_events WHERE actor_name = 'Test grace' ORDER BY seq`)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['totp.enrolled', 'totp.used', 'totp.failed', 'recovery_code.used']));
  });
});

describe('sessions (11.10(d))', () => {
  test("a password change ends the person's other sessions; the session that changed it stays", async () => {
    await newUser('ursula', ['initiator']);
    const first = await system.people.session('ursula');
    const other = new HttpSession(system.baseUrl);
    await other.login('ursula', system.people.passwords.ursula!);
    expect((await other.get('/api/auth/me')).status).toBe(200);
    const next = strongPassword();
    expect((await first.post('/api/auth/password', { currentPassword: system.people.passwords.ursula, newPassword: next })).status).toBe(204);
    system.people.passwords.ursula = next;
    expect((await first.get('/api/auth/me')).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    const [event] = await rows<{ new_value: { otherSessionsEnded: number } }>(
      sql`SELECT new_value FROM audit_events WHERE action = 'password.changed' AND entity_id = (SELECT id::text FROM users WHERE username = 'ursula') ORDER BY seq DESC LIMIT 1`,
    );
    expect(event!.new_value.otherSessionsEnded).toBe(1);
  });

  test('idle timeout, logout, and revocation by an administrator end a session', async () => {
    const user = await newUser('heidi', ['initiator']);
    const heidi = await system.session('heidi');
    await system.database.db.execute(sql`UPDATE sessions SET last_seen_at = now() - interval '16 minutes' WHERE user_id = ${user.id} AND ended_at IS NULL`);
    expect((await heidi.get('/api/inbox')).body.code).toBe('session_expired');

    const again = await system.session('heidi');
    expect((await admin.post(`/api/admin/users/${user.id}/revoke-sessions`, { reason: 'Laptop stolen' })).body.sessionsEnded).toBe(1);
    expect((await again.get('/api/inbox')).body.code).toBe('not_authenticated');

    const third = await system.session('heidi');
    expect((await third.post('/api/auth/logout')).status).toBe(204);
    expect((await third.get('/api/inbox')).body.code).toBe('not_authenticated');
    const reasons = await rows<{ end_reason: string }>(sql`SELECT end_reason FROM sessions WHERE user_id = ${user.id} ORDER BY created_at`);
    expect(reasons.map((r) => r.end_reason)).toEqual(expect.arrayContaining(['idle_timeout', 'revoked', 'logout']));
  });
});
