// Issue 11, item 6: there was no rate limiting (100 sign-ins in 1.6 s, all answered 401, each
// appending an audit row). Sign-in, e-signatures, TOTP codes and password resets are now throttled
// per account and per client address (counters in Redis), answering 429 rate_limited with
// Retry-After before anything runs. This file runs the real default limits throughout; requests
// come from distinct loopback addresses (127.0.0.x) so that each test has clients of its own.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config/config';
import { addPerson } from './support/accounts';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

const DEFAULTS = loadConfig({}).rateLimits;
// The per-client limits test-system raises for the rest of the suite, back to their defaults ('' = unset).
const DEFAULT_LIMITS_ENV = Object.fromEntries(['LOGIN', 'SIGNING', 'TOTP', 'PASSWORD_RESET'].map((action) => [`RATE_LIMIT_${action}_PER_CLIENT`, '']));

let system: TestSystem;
let admin: HttpSession;
beforeAll(async () => {
  system = await startTestSystem('rate_limits', { env: DEFAULT_LIMITS_ENV });
  admin = await system.session('admin');
});
afterAll(() => system?.close());

interface Answer {
  status: number;
  body: any;
  retryAfter: string | undefined;
}

/** A POST from the client address `from` (a loopback address of its own), on a connection of its own. */
function post(from: string, path: string, body: unknown, session?: HttpSession): Promise<Answer> {
  const url = new URL(path, system.baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'user-agent': 'attestflow-test/1.0',
          ...(session?.cookie ? { cookie: session.cookie } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const header = response.headers['retry-after'];
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, retryAfter: Array.isArray(header) ? header[0] : header });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const times = <T>(n: number, each: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => each(i)));

function statuses(answers: Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

async function auditActions(afterSeq: number): Promise<Record<string, number>> {
  const { rows } = await system.database.db.execute(sql`SELECT action, count(*)::int AS n FROM audit_events WHERE seq > ${afterSeq} GROUP BY action`);
  return Object.fromEntries((rows as Array<{ action: string; n: number }>).map((r) => [r.action, r.n]));
}

async function lastSeq(): Promise<number> {
  const { rows } = await system.database.db.execute(sql`SELECT coalesce(max(seq), 0)::int AS seq FROM audit_events`);
  return (rows[0] as { seq: number }).seq;
}

function expectRateLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/try again in \d+ s/) });
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(answer.retryAfter)).toBeLessThanOrEqual(answer.body.details.retryAfterSeconds);
}

test('the defaults a site starts with', () => {
  expect(DEFAULTS.login).toEqual({ perAccount: { limit: 30, windowMs: 15 * 60_000 }, perClient: { limit: 60, windowMs: 60_000 } });
  expect(system.config.rateLimits).toEqual(DEFAULTS);
});

describe('sign-in', () => {
  test('100 concurrent wrong sign-ins for one account: as many as the limit are checked and audited, the rest answer 429 and change nothing', async () => {
    expect(DEFAULTS.login.perClient.limit).toBeGreaterThanOrEqual(DEFAULTS.login.perAccount.limit);
    const before = await lastSeq();
    const answers = await times(100, () => post('127.0.0.2', '/api/auth/login', { username: 'mallory-target', password: 'guess' }));
    expect(statuses(answers)).toEqual({ 401: DEFAULTS.login.perAccount.limit, 429: 100 - DEFAULTS.login.perAccount.limit });
    for (const answer of answers.filter((a) => a.status === 429)) expectRateLimited(answer);
    // The per-client limit's worth passed it, the per-account limit's worth of those the other: only those were checked.
    expect(await auditActions(before)).toEqual({ 'login.failed': DEFAULTS.login.perAccount.limit });
  });

  test('the per-account limit holds across client addresses, also for the right password', async () => {
    await addPerson(admin, system.people, { username: 'roaming', roles: ['initiator'], trained: false });
    await system.people.session('roaming'); // first sign-in and password change: 1 of the limit
    const { limit } = DEFAULTS.login.perAccount;
    const { lockoutThreshold } = (await admin.get('/api/admin/password-policy')).body as { lockoutThreshold: number };
    const before = await lastSeq();
    const answers: Answer[] = [];
    // One request from each address, in turn: no address comes near its own limit.
    for (let i = 0; i < limit + 1; i++) answers.push(await post(`127.0.1.${i + 1}`, '/api/auth/login', { username: 'roaming', password: `wrong-${i}` }));
    const sessions = async () =>
      (await system.database.db.execute(sql`SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'roaming'`)).rows[0];
    const sessionsBefore = await sessions();
    const right = await post('127.0.1.50', '/api/auth/login', { username: 'roaming', password: system.people.passwords.roaming });
    expect(await sessions()).toEqual(sessionsBefore);
    // limit - 1 checked (the failure that reaches the threshold locks the account: 423), then refused unchecked.
    const checked = limit - 1;
    expect(answers.slice(0, checked).map((a) => a.status)).toEqual([
      ...Array<number>(lockoutThreshold - 1).fill(401),
      ...Array<number>(checked - lockoutThreshold + 1).fill(423),
    ]);
    for (const answer of [...answers.slice(checked), right]) expectRateLimited(answer);
    expect(await auditActions(before)).toEqual({ 'login.failed': lockoutThreshold, 'user.locked': 1, 'login.refused': checked - lockoutThreshold });
  });

  test('concurrent wrong passwords within the limit all count: the account locks once, with one alert', async () => {
    const id = await addPerson(admin, system.people, { username: 'burst', roles: ['initiator'], trained: false });
    await system.people.session('burst');
    const { lockoutThreshold } = (await admin.get('/api/admin/password-policy')).body as { lockoutThreshold: number };
    const attempts = lockoutThreshold + 3;
    expect(attempts).toBeLessThan(DEFAULTS.login.perAccount.limit);
    const answers = await times(attempts, (i) => post('127.0.6.1', '/api/auth/login', { username: 'burst', password: `wrong-${i}` }));
    expect(statuses(answers)).toEqual({ 401: lockoutThreshold - 1, 423: 4 });
    const { rows } = await system.database.db.execute(
      sql`SELECT locked_at IS NOT NULL AS locked, (SELECT count(*)::int FROM audit_events WHERE action = 'user.locked' AND entity_id = ${id}) AS lock_events,
                 (SELECT count(*)::int FROM alerts WHERE user_id = ${id}) AS alerts FROM users WHERE id = ${id}`,
    );
    expect(rows[0]).toEqual({ locked: true, lock_events: 1, alerts: 1 });
    // Refusals of the locked account at the same moment are each audited, in one unbroken chain.
    const seq = await lastSeq();
    const refused = await times(10, (i) => post('127.0.6.2', '/api/auth/login', { username: 'burst', password: `again-${i}` }));
    expect(statuses(refused)).toEqual({ 423: 10 });
    expect(await auditActions(seq)).toEqual({ 'login.refused': 10 });
    expect((await admin.get('/api/admin/audit/verify')).body).toMatchObject({ intact: true, firstBreak: null, problems: [] });
  });

  test('the per-client limit holds across accounts', async () => {
    const before = await lastSeq();
    const sprayed = DEFAULTS.login.perClient.limit + 5;
    const answers = await times(sprayed, (i) => post('127.0.2.1', '/api/auth/login', { username: `sprayed-${i}`, password: 'Winter2026!' }));
    expect(statuses(answers)).toEqual({ 401: DEFAULTS.login.perClient.limit, 429: 5 });
    expect(await auditActions(before)).toEqual({ 'login.failed': DEFAULTS.login.perClient.limit });
    // Another address is not affected.
    expect((await post('127.0.2.2', '/api/auth/login', { username: 'sprayed-0', password: 'Winter2026!' })).status).toBe(401);
  });
});

describe('e-signatures', () => {
  // Bodies the validation refuses (400) after the throttle has counted them: no password is checked,
  // so nothing is locked, and each route's count is visible.
  const record = randomUUID();

  test('one account: signing and rejecting on any process and acknowledging the policy share one count', async () => {
    const engineering = await system.session('engineering');
    const before = await lastSeq();
    const { limit } = DEFAULTS.signing.perAccount;
    const routes = [
      `/api/change-controls/${record}/sign`,
      `/api/capas/${record}/reject`,
      `/api/document-revisions/${record}/sign`,
      '/api/esignature-policy/acknowledgements',
    ];
    const answers = await times(limit + 10, (i) => post('127.0.3.1', routes[i % routes.length]!, {}, engineering));
    expect(statuses(answers)).toEqual({ 400: limit, 429: 10 });
    expect(await auditActions(before)).toEqual({});
  });

  test('one client address: the per-client limit holds across accounts', async () => {
    const sessions = [await system.session('qa'), await system.session('production'), await system.session('qa2')];
    const { limit } = DEFAULTS.signing.perClient;
    const each = Math.ceil((limit + 15) / sessions.length);
    expect(each).toBeLessThan(DEFAULTS.signing.perAccount.limit);
    const answers = (await Promise.all(sessions.map((s) => times(each, () => post('127.0.3.2', `/api/change-controls/${record}/sign`, {}, s))))).flat();
    expect(statuses(answers)).toEqual({ 400: limit, 429: each * sessions.length - limit });
  });
});

describe('TOTP codes', () => {
  test('codes tried at enrolment and at sign-in count together per account; a sign-in without a code is not a TOTP attempt', async () => {
    await addPerson(admin, system.people, { username: 'tina', roles: ['initiator'], trained: false });
    const tina = await system.people.session('tina');
    const password = system.people.passwords.tina!;
    const { limit } = DEFAULTS.totp.perAccount;
    expect((await post('127.0.4.1', '/api/auth/totp', { password }, tina)).status).toBe(200); // 1
    for (let i = 0; i < limit - 2; i++) expect((await post('127.0.4.1', '/api/auth/totp/confirm', { code: 'abcdef' }, tina)).status).toBe(400);
    // Not yet enrolled, so the code is not needed, but it was offered: the limit's last request.
    expect((await post('127.0.4.2', '/api/auth/login', { username: 'tina', password, totpCode: '123456' })).status).toBe(200);
    expectRateLimited(await post('127.0.4.1', '/api/auth/totp/confirm', { code: '123456' }, tina));
    expectRateLimited(await post('127.0.4.2', '/api/auth/login', { username: 'tina', password, totpCode: '123456' }));
    expect((await post('127.0.4.2', '/api/auth/login', { username: 'tina', password })).status).toBe(200);
  });
});

describe('password resets', () => {
  test("an administrator's resets and approvals share one count per administrator", async () => {
    // The administrator's own password change at first sign-in was the first of the count.
    const limit = DEFAULTS.password_reset.perAccount.limit - 1;
    const answers = await times(limit + 3, (i) => post('127.0.5.1', `/api/admin/users/${randomUUID()}/reset-password${i % 2 ? '/approve' : ''}`, {}, admin));
    expect(statuses(answers)).toEqual({ 400: limit, 429: 3 });
  });
});
