// Issue 11, item 7: usernames could be discovered by timing (unknown user 17.6 ms vs an existing
// user with a wrong password 79.5 ms, medians of 50): only an existing user's password was checked.
// Now every sign-in attempt does exactly one argon2id verification, against a dummy hash when
// there is no such user. Shown by counting the verifications in this process (the API runs in
// it), never by timing; the latencies side by side are in `BENCH_ONLY=login npm run bench`.
import argon2 from 'argon2';
import { sql } from 'drizzle-orm';
import { addPerson } from './support/accounts';
import { HttpSession, type People } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let admin: HttpSession;
let people: People;
beforeAll(async () => {
  system = await startTestSystem('username_discovery');
  admin = await system.session('admin');
  people = system.people;
});
afterAll(() => system?.close());
afterEach(() => jest.restoreAllMocks());

/** The argon2 verifications made while `attempt` runs, and its answer. */
async function verificationsDuring(attempt: () => Promise<{ status: number; body: any }>) {
  const verify = jest.spyOn(argon2, 'verify');
  const answer = await attempt();
  const hashes = verify.mock.calls.map((call) => call[0]);
  verify.mockRestore();
  return { answer, hashes };
}

const login = (username: string, password: string) => () => new HttpSession(system.baseUrl).post('/api/auth/login', { username, password });

test('every sign-in attempt verifies exactly one argon2id hash: unknown, wrong password, right password, locked, disabled', async () => {
  const disabledId = await addPerson(admin, people, { username: 'dora', roles: ['initiator'], trained: false });
  const lockedId = await addPerson(admin, people, { username: 'lars', roles: ['initiator'], trained: false });
  await people.session('dora');
  await people.session('lars');
  expect((await admin.post(`/api/admin/users/${disabledId}/disable`, { reason: 'Left the company' })).status).toBe(204);
  await system.database.db.execute(sql`UPDATE users SET locked_at = now() WHERE id = ${lockedId}`);

  const attempts = {
    unknown: await verificationsDuring(login('nobody-here', 'a guess')),
    unknownAgain: await verificationsDuring(login('nobody-else', 'another guess')),
    wrongPassword: await verificationsDuring(login('initiator', 'a guess')),
    rightPassword: await verificationsDuring(login('initiator', people.passwords.initiator!)),
    lockedWrong: await verificationsDuring(login('lars', 'a guess')),
    lockedRight: await verificationsDuring(login('lars', people.passwords.lars!)),
    disabledWrong: await verificationsDuring(login('dora', 'a guess')),
    disabledRight: await verificationsDuring(login('dora', people.passwords.dora!)),
  };
  expect(Object.fromEntries(Object.entries(attempts).map(([name, { answer }]) => [name, answer.status]))).toEqual({
    unknown: 401,
    unknownAgain: 401,
    wrongPassword: 401,
    rightPassword: 200,
    lockedWrong: 423,
    lockedRight: 423,
    disabledWrong: 401,
    disabledRight: 403,
  });
  for (const { hashes } of Object.values(attempts)) {
    expect(hashes).toHaveLength(1);
    expect(hashes[0]).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  }
  // The unknown usernames were checked against one dummy hash, made once, that is nobody's.
  const dummy = attempts.unknown.hashes[0];
  expect(attempts.unknownAgain.hashes[0]).toBe(dummy);
  const { rows } = await system.database.db.execute(sql`SELECT count(*)::int AS n FROM users WHERE password_hash = ${dummy}`);
  expect(rows[0]).toEqual({ n: 0 });
});
