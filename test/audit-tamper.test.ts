// 11.10(a), 11.10(e): an audit row edited or deleted behind the application's back (a database
// superuser disabling the triggers) is found and named by `attestflow audit verify` and the API.
import { sql } from 'drizzle-orm';
import { runChangeControlThread } from './support/change-control-thread';
import { attestflow } from './support/cli';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem('audit_tamper');
  await runChangeControlThread(system.people);
});
afterAll(() => system?.close());

const verify = () => attestflow(['audit', 'verify'], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });

/** What a malicious database administrator can do: switch the protection off for a moment. */
async function asSuperuser(statement: ReturnType<typeof sql>): Promise<void> {
  await system.database.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_events DISABLE TRIGGER USER`);
    await tx.execute(statement);
    await tx.execute(sql`ALTER TABLE audit_events ENABLE TRIGGER USER`);
  });
}

test('an intact trail verifies', async () => {
  const result = verify();
  expect(result.code).toBe(0);
  expect(result.output).toMatch(/Audit trail intact: \d+ events/);
});

test('an edited event is named by its number, by the CLI and by the administrators\u2019 API', async () => {
  const [row] = (await system.database.db.execute(sql`SELECT seq, reason FROM audit_events WHERE action = 'signature.applied' LIMIT 1`)).rows as {
    seq: number;
    reason: string | null;
  }[];
  await asSuperuser(sql`UPDATE audit_events SET actor_name = 'Someone Else' WHERE seq = ${row!.seq}`);
  const result = verify();
  expect(result.code).toBe(1);
  expect(result.output).toContain(`event ${row!.seq} was altered`);
  const admin = await system.session('admin');
  const api = await admin.get('/api/admin/audit/verify');
  expect(api.body).toMatchObject({ intact: false, firstBreak: { kind: 'hash_mismatch', seq: Number(row!.seq) } });
  // Put it back: the chain verifies again.
  const [original] = (await system.database.db.execute(sql`SELECT printed_name FROM signatures LIMIT 1`)).rows as { printed_name: string }[];
  await asSuperuser(sql`UPDATE audit_events SET actor_name = ${original!.printed_name} WHERE seq = ${row!.seq}`);
  expect(verify().code).toBe(0);
});

test('a deleted event is named as missing', async () => {
  const [row] = (await system.database.db.execute(sql`SELECT seq FROM audit_events WHERE action = 'record.submitted' LIMIT 1`)).rows as { seq: number }[];
  await asSuperuser(sql`DELETE FROM audit_events WHERE seq = ${row!.seq}`);
  const result = verify();
  expect(result.code).toBe(1);
  expect(result.output).toContain(`event ${row!.seq} is missing`);
});
