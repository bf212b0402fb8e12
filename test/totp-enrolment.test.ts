// Issue 11, item 6: starting TOTP enrolment needed no password (whoever sat at an unattended
// session could bind their own authenticator to it), and 30 wrong confirmation codes went
// unlimited and unaudited. Enrolment now starts only with the current password, and each wrong
// code is an audited failed attempt that counts toward lockout, like a wrong password.
import { sql } from 'drizzle-orm';
import { totpCode } from '../signatures/totp';
import { addPerson } from './support/accounts';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let admin: HttpSession;
beforeAll(async () => {
  system = await startTestSystem('totp_enrolment');
  admin = await system.session('admin');
});
afterAll(() => system?.close());

async function count(where: ReturnType<typeof sql>, table = 'audit_events'): Promise<number> {
  return ((await system.database.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE ${where}`)).rows[0] as { n: number }).n;
}

async function person(username: string): Promise<{ id: string; session: HttpSession; password: string }> {
  const id = await addPerson(admin, system.people, { username, roles: ['initiator'], trained: false });
  const session = await system.people.session(username);
  return { id, session, password: system.people.passwords[username]! };
}

const failedAttempts = async (id: string) =>
  (await system.database.db.execute(sql`SELECT failed_attempts AS n, locked_at FROM users WHERE id = ${id}`)).rows[0] as { n: number; locked_at: Date | null };

test('enrolment starts only with the current password; without it or with a wrong one nothing is enrolled', async () => {
  const { id, session, password } = await person('olga');
  const events = await count(sql`actor_id = ${id}`);

  const without = await session.post('/api/auth/totp');
  expect(without).toMatchObject({ status: 400, body: { code: 'password_required', message: expect.stringContaining('current password') } });
  expect(await count(sql`user_id = ${id}`, 'user_totp')).toBe(0);
  expect(await count(sql`actor_id = ${id}`)).toBe(events);

  const wrong = await session.post('/api/auth/totp', { password: 'not my password' });
  expect(wrong).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
  expect(await count(sql`user_id = ${id}`, 'user_totp')).toBe(0);
  // A wrong password here is a failed attempt like any other: audited, counted toward lockout.
  expect(await count(sql`actor_id = ${id} AND action = 'signature.failed' AND new_value->>'attemptedAction' = 'totp_enrolment'`)).toBe(1);
  expect((await failedAttempts(id)).n).toBe(1);

  const started = await session.post('/api/auth/totp', { password });
  expect(started.status).toBe(200);
  expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  expect((await failedAttempts(id)).n).toBe(0);
  expect(await count(sql`actor_id = ${id} AND action = 'totp.enrolment_started'`)).toBe(1);
  const confirmed = await session.post('/api/auth/totp/confirm', { code: totpCode(started.body.secret, new Date()) });
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.recoveryCodes).toHaveLength(10);
});

test('each wrong confirmation code is audited and counts toward lockout; the threshold locks the account', async () => {
  const { id, session, password } = await person('oscar');
  const { lockoutThreshold } = (await admin.get('/api/admin/password-policy')).body as { lockoutThreshold: number };
  const { secret } = (await session.post('/api/auth/totp', { password })).body as { secret: string };
  const right = totpCode(secret, new Date());
  const wrong = right === '000000' ? '111111' : '000000';

  for (let i = 1; i < lockoutThreshold; i++) {
    expect(await session.post('/api/auth/totp/confirm', { code: wrong })).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect((await failedAttempts(id)).n).toBe(i);
  }
  expect(await count(sql`actor_id = ${id} AND action = 'totp.enrolment_failed'`)).toBe(lockoutThreshold - 1);
  const locking = await session.post('/api/auth/totp/confirm', { code: wrong });
  expect(locking).toMatchObject({ status: 423, body: { code: 'account_locked' } });
  expect(await count(sql`actor_id = ${id} AND action = 'totp.enrolment_failed' AND (new_value->>'consecutiveFailures')::int = ${lockoutThreshold}`)).toBe(1);
  expect(await count(sql`entity_id = ${id} AND action = 'user.locked'`)).toBe(1);
  expect(await count(sql`user_id = ${id} AND kind = 'user.locked'`, 'alerts')).toBe(1);
  expect((await failedAttempts(id)).locked_at).not.toBeNull();
  // Locked: the session ends and the right code no longer enrols anything.
  expect((await session.post('/api/auth/totp/confirm', { code: right })).status).toBe(401);
  expect(await count(sql`user_id = ${id} AND confirmed_at IS NOT NULL`, 'user_totp')).toBe(0);
});
