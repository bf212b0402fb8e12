// 11.10(a), 11.10(e): an audit row edited or deleted behind the application's back (a database
// superuser disabling the triggers) is found and named by `attestflow audit verify` and the API.
import { sql } from 'drizzle-orm';
import { auditEventContent, listAuditEventsAfter } from '../db/repositories';
import { auditEventHash, planChainRanges, type ChainRange } from '../signatures';
import { runChangeControlThread } from './support/change-control-thread';
import { attestflow } from './support/cli';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem('audit_tamper');
  await runChangeControlThread(system.people);
});
afterAll(() => system?.close());

const verify = (...args: string[]) => attestflow(['audit', 'verify', ...args], { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir });

/** The seq ranges `audit verify --threads 3` walks in three worker threads (planChainRanges over the live chain). */
const THREADS = 3;
async function threadRanges(): Promise<ChainRange[]> {
  const [bounds] = (await system.database.db.execute(sql`SELECT min(seq) AS first, max(seq) AS last FROM audit_events`)).rows as {
    first: string;
    last: string;
  }[];
  const ranges = planChainRanges(Number(bounds!.first), Number(bounds!.last), THREADS);
  expect(ranges).toHaveLength(THREADS);
  return ranges;
}

/** Edits one column of one event (its stored hash left as it was), and returns how to put it back. */
async function editActorName(seq: number, rehash = false): Promise<() => Promise<void>> {
  const [row] = await listAuditEventsAfter(system.database.db, seq - 1, 1);
  const forged = { ...auditEventContent(row!), actorName: 'Someone Else' };
  const hash = rehash ? auditEventHash(forged) : row!.hash;
  await asSuperuser(sql`UPDATE audit_events SET actor_name = ${forged.actorName}, hash = ${hash} WHERE seq = ${seq}`);
  return () => asSuperuser(sql`UPDATE audit_events SET actor_name = ${row!.actorName}, hash = ${row!.hash} WHERE seq = ${seq}`);
}

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

describe('with three worker threads, each walking a seq range', () => {
  test('a break inside a range is named as one walk names it', async () => {
    const [, middle] = await threadRanges();
    const seq = middle!.after! + Math.floor((middle!.upTo! - middle!.after!) / 2) + 1;
    const restore = await editActorName(seq);
    const threaded = verify('--threads', String(THREADS));
    const single = verify('--threads', '1');
    await restore();
    expect(threaded.code).toBe(1);
    expect(threaded.output).toContain(`AUDIT TRAIL BROKEN: event ${seq} was altered: its content no longer matches its hash.`);
    const problems = (output: string) => output.split('\n').filter((line) => line.startsWith('AUDIT TRAIL BROKEN'));
    expect(problems(threaded.output)).toEqual(problems(single.output));
  });

  test('exactly at a range boundary: the last event of a range re-hashed, the next range’s first link breaks', async () => {
    const [first] = await threadRanges();
    const last = first!.upTo!;
    const restore = await editActorName(last, true);
    const result = verify('--threads', String(THREADS));
    await restore();
    expect(result.code).toBe(1);
    expect(result.output).toContain(`event ${last + 1} does not carry the hash of event ${last} (event ${last} was altered, or ${last + 1} re-linked)`);
  });

  test('exactly at a range boundary: the first event of a range altered', async () => {
    const [, second] = await threadRanges();
    const seq = second!.after! + 1;
    const restore = await editActorName(seq);
    const result = verify('--threads', String(THREADS));
    await restore();
    expect(result.code).toBe(1);
    expect(result.output).toContain(`event ${seq} was altered: its content no longer matches its hash`);
  });

  test('a break in the last range, and with a second one in an earlier range the earlier is named; put back, the trail is intact', async () => {
    const [, middle, lastRange] = await threadRanges();
    const late = lastRange!.after! + 2;
    const restoreLate = await editActorName(late);
    const alone = verify('--threads', String(THREADS));
    const early = middle!.after! + 1;
    const restoreEarly = await editActorName(early);
    const both = verify('--threads', String(THREADS));
    await restoreEarly();
    await restoreLate();
    expect(alone.output).toContain(`event ${late} was altered`);
    expect(both.output).toContain(`event ${early} was altered`);
    expect(both.output).not.toContain(`event ${late} was altered`);
    const intact = verify('--threads', String(THREADS));
    expect(intact.code).toBe(0);
    expect(intact.output).toMatch(/Audit trail intact: \d+ events/);
  });
});

test('a deleted event is named as missing', async () => {
  const [row] = (await system.database.db.execute(sql`SELECT seq FROM audit_events WHERE action = 'record.submitted' LIMIT 1`)).rows as { seq: number }[];
  await asSuperuser(sql`DELETE FROM audit_events WHERE seq = ${row!.seq}`);
  const result = verify();
  expect(result.code).toBe(1);
  expect(result.output).toContain(`event ${row!.seq} is missing`);
  // With threads too: the same event named; then with the first event of the second range gone as well.
  expect(verify('--threads', String(THREADS)).output).toContain(`event ${row!.seq} is missing`);
  const [, second] = await threadRanges();
  const boundary = second!.after! + 1;
  await asSuperuser(sql`DELETE FROM audit_events WHERE seq = ${boundary}`);
  const missing = Math.min(Number(row!.seq), boundary);
  const [next] = (await system.database.db.execute(sql`SELECT min(seq) AS seq FROM audit_events WHERE seq > ${missing}`)).rows as { seq: string }[];
  expect(verify('--threads', String(THREADS)).output).toContain(`event ${missing} is missing (the next event found is ${next!.seq})`);
});
