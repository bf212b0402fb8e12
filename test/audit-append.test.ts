// 11.10(e): the audit trail's write side, against the real PostgreSQL. appendAuditEvent appends in
// one statement (the function of migration 0019: chain lock, head, hash, insert); these tests show
// that appends from several connections at once still form one strictly serial, gapless chain that
// verifies end to end, that an append rolled back while others wait leaves no hole and no fork, that
// the hash the database computes is the verifier's canonical hash whatever the content, and that a
// database computing any other hash fails the append. Order is driven by advisory locks held by the
// test (a barrier), never by sleeps: the test polls pg_locks until the waiters it expects are waiting.
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { connectDatabase, type DatabaseHandle, type Executor } from '../db/client';
import { appendAuditEvent, auditEventContent, listAuditEventsAfter, verifyAuditChain, type AuditEventInput } from '../db/repositories';
import { auditEventHash, type JsonValue } from '../signatures';
import { createTestDatabase, dropDatabase } from './support/test-database';

/** The chain's lock key, as migration 0019 takes it. */
const CHAIN_LOCK = 0x4155_4449;
let url: string;
let handle: DatabaseHandle;
let barrier: Client;

beforeAll(async () => {
  url = await createTestDatabase('audit_append');
  handle = connectDatabase(url, { max: 12 });
  barrier = new Client({ connectionString: url });
  await barrier.connect();
});
afterAll(async () => {
  await barrier?.end();
  await handle?.close();
  if (url) await dropDatabase(url);
});

function event(action: string, entityId: string, values: { oldValue?: JsonValue; newValue?: JsonValue; reason?: string } = {}): AuditEventInput {
  return { occurredAt: new Date(), actorId: null, actorName: 'Test Runner', action, entityType: 'test', entityId, ...values };
}

/** Backends of this database waiting (not yet granted) for the advisory lock with this bigint key. */
async function waitingFor(key: number): Promise<number> {
  const { rows } = await barrier.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
     WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2 AND objsubid = 1
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [Math.floor(key / 2 ** 32), key % 2 ** 32],
  );
  return rows[0]!.n;
}

/** Polls until `count` backends wait for the lock; no deadline (Jest's test timeout is the bound). */
async function untilWaiting(key: number, count: number): Promise<void> {
  while ((await waitingFor(key)) < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Wait here, inside the transaction, until the test lets go of the barrier. */
const passBarrier = (tx: Executor, key: number) => tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${key})`);

class RolledBackOnPurpose extends Error {}

/** Runs the transaction; a RolledBackOnPurpose ends it in a rollback, anything else fails the test. */
function outcomeOf(run: Promise<unknown>): Promise<'committed' | 'rolled back'> {
  return run.then(
    () => 'committed' as const,
    (error: unknown) => (error instanceof RolledBackOnPurpose ? ('rolled back' as const) : Promise.reject(error)),
  );
}

async function headSeq(): Promise<number> {
  const { rows } = await barrier.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM audit_events');
  return Number(rows[0]!.seq ?? 0);
}

async function eventsOf(action: string): Promise<{ seq: number; entityId: string; prevHash: string }[]> {
  const { rows } = await barrier.query<{ seq: string; entity_id: string; prev_hash: string }>(
    'SELECT seq, entity_id, prev_hash FROM audit_events WHERE action = $1 ORDER BY seq',
    [action],
  );
  return rows.map((r) => ({ seq: Number(r.seq), entityId: r.entity_id, prevHash: r.prev_hash }));
}

async function expectIntactChain(): Promise<void> {
  const head = await headSeq();
  const report = await verifyAuditChain(handle.pool);
  expect(report).toEqual({ eventsChecked: head, lastSeq: head, intact: true, firstBreak: null });
  // No fork: no two events continue the same one.
  const { rows: forks } = await barrier.query('SELECT prev_hash FROM audit_events GROUP BY prev_hash HAVING count(*) > 1');
  expect(forks).toEqual([]);
}

test('appends from 6 connections at once, some rolled back, form one serial, gapless chain that verifies end to end', async () => {
  const before = await headSeq();
  const workers = 6;
  const rounds = 4;
  const barrierKey = 4_711_019;
  await barrier.query('SELECT pg_advisory_lock($1)', [barrierKey]);
  // Each worker: `rounds` transactions in a row, each appending two events; every third rolls back
  // after appending. The first transactions of all workers wait at the barrier, on their own connections.
  const plans = Array.from({ length: workers }, (_, w) => Array.from({ length: rounds }, (_, r) => ({ label: `w${w}-r${r}`, rollback: (w + r) % 3 === 0 })));
  const runs = plans.map(async (transactions) => {
    const outcomes: { label: string; outcome: 'committed' | 'rolled back' }[] = [];
    for (const t of transactions) {
      const outcome = await outcomeOf(
        handle.db.transaction(async (tx) => {
          await passBarrier(tx, barrierKey);
          await appendAuditEvent(tx, event('test.concurrent', `${t.label}-a`, { newValue: { label: t.label, part: 'a' } }));
          await appendAuditEvent(tx, event('test.concurrent', `${t.label}-b`, { newValue: { label: t.label, part: 'b' } }));
          if (t.rollback) throw new RolledBackOnPurpose();
        }),
      );
      outcomes.push({ label: t.label, outcome });
    }
    return outcomes;
  });
  await untilWaiting(barrierKey, workers);
  await barrier.query('SELECT pg_advisory_unlock($1)', [barrierKey]);
  const outcomes = (await Promise.all(runs)).flat();

  expect(outcomes.sort((x, y) => x.label.localeCompare(y.label))).toEqual(
    plans
      .flat()
      .map((t) => ({ label: t.label, outcome: t.rollback ? 'rolled back' : 'committed' }))
      .sort((x, y) => x.label.localeCompare(y.label)),
  );
  const committed = outcomes.filter((o) => o.outcome === 'committed').map((o) => o.label);
  const appended = await eventsOf('test.concurrent');
  // Exactly the committed events, right after what was there, numbered without a gap.
  expect(appended.map((e) => e.seq)).toEqual(Array.from({ length: committed.length * 2 }, (_, i) => before + 1 + i));
  expect(appended.map((e) => e.entityId).sort()).toEqual(committed.flatMap((label) => [`${label}-a`, `${label}-b`]).sort());
  // Strictly serial: a transaction's two events are neighbours, never interleaved with another's.
  for (let i = 0; i < appended.length; i += 2) {
    expect([appended[i]!.entityId, appended[i + 1]!.entityId]).toEqual([appended[i]!.entityId, appended[i]!.entityId.replace(/-a$/, '-b')]);
  }
  await expectIntactChain();
});

test('an append rolled back while 4 others wait for the chain leaves no hole and no fork', async () => {
  const before = await headSeq();
  const { rows: head } = await barrier.query<{ hash: string }>('SELECT hash FROM audit_events WHERE seq = $1', [before]);
  const barrierKey = 4_711_020;
  await barrier.query('SELECT pg_advisory_lock($1)', [barrierKey]);
  // The holder appends (taking the chain's lock), then waits at the barrier, then rolls back.
  const holder = outcomeOf(
    handle.db.transaction(async (tx) => {
      await appendAuditEvent(tx, event('test.rollback', 'holder'));
      await passBarrier(tx, barrierKey);
      throw new RolledBackOnPurpose();
    }),
  );
  await untilWaiting(barrierKey, 1);
  // Four appends on their own connections, all waiting for the holder's lock on the chain.
  const waiters = ['w1', 'w2', 'w3', 'w4'].map((label) => outcomeOf(handle.db.transaction((tx) => appendAuditEvent(tx, event('test.rollback', label)))));
  await untilWaiting(CHAIN_LOCK, 4);
  expect(await headSeq()).toBe(before);
  await barrier.query('SELECT pg_advisory_unlock($1)', [barrierKey]);

  expect(await holder).toBe('rolled back');
  expect(await Promise.all(waiters)).toEqual(['committed', 'committed', 'committed', 'committed']);
  const appended = await eventsOf('test.rollback');
  expect(appended.map((e) => e.entityId).sort()).toEqual(['w1', 'w2', 'w3', 'w4']);
  // The holder's number went to the first waiter, which continues the event before the holder's.
  expect(appended.map((e) => e.seq)).toEqual([before + 1, before + 2, before + 3, before + 4]);
  expect(appended[0]!.prevHash).toBe(head[0]!.hash);
  await expectIntactChain();
});

test('the hash the database computes is the canonical hash the verifier computes, whatever the content', async () => {
  const awkward: AuditEventInput[] = [
    event('test.content', 'plain'),
    {
      ...event('test.content', 'awkward "quoted" \\ back\nslash'),
      actorId: 'b3c8a1e2-0000-4000-8000-000000000001',
      actorName: 'Zoë Ångström 审批 \ud83d\ude00',
      recordId: 'b3c8a1e2-0000-4000-8000-000000000002',
      oldValue: { prevHash: 'f'.repeat(64), seq: 7, '10': 'index-like key', nested: [{ userAgent: '","seq":1,"userAgent":"' }] },
      newValue: { b: [1, 0.1, 1e21, -0, 5e-324, 123456789.123, { z: null, a: 'é' }], a: '"prevHash":"', '': 'empty key', t: true },
      reason: '","reason":null,"recordId":null,"seq":2,"userAgent":null}',
      clientIp: '::1',
      userAgent: 'line\nbreak "quoted" \u0001 \u2028',
    },
    { ...event('test.content', 'array'), oldValue: [1, 'two', [3]], newValue: 'a bare string' },
    // Bare strings that are themselves JSON text: a part number, a flag, a list, as strings.
    { ...event('test.content', 'json-like strings'), oldValue: '1010', newValue: 'true' },
    { ...event('test.content', 'json-like strings 2'), oldValue: 'null', newValue: '["x"]' },
  ];
  const before = await headSeq();
  const returned = [];
  for (const input of awkward) returned.push(await handle.db.transaction((tx) => appendAuditEvent(tx, input)));
  const stored = await listAuditEventsAfter(handle.db, before, 10);
  expect(stored.map((row) => [row.seq, row.prevHash, row.hash])).toEqual(returned.map((row) => [row.seq, row.prevHash, row.hash]));
  for (const row of stored) expect(auditEventHash(auditEventContent(row))).toBe(row.hash);
  // Read back as JSON wrote it (-0 is 0 in JSON): a JSON string stays a string, never parsed a
  // second time into 1010 or true.
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as unknown;
  expect(stored.map((row) => [row.oldValue ?? null, row.newValue ?? null])).toEqual(awkward.map((e) => [asJson(e.oldValue), asJson(e.newValue)]));
  await expectIntactChain();
});

test('a database that hashes anything else than the canonical JSON fails the append, and the transaction with it', async () => {
  const { rows } = await barrier.query<{ def: string }>("SELECT pg_get_functiondef('attestflow_append_audit_event'::regproc) AS def");
  const original = rows[0]!.def;
  const altered = original.replace("p_canonical_after_seq, 'UTF8'", "p_canonical_after_seq || ' ', 'UTF8'");
  expect(altered).not.toBe(original);
  const before = await headSeq();
  await barrier.query('CREATE TABLE written_with_the_event (label text)');
  await barrier.query(altered);
  try {
    const attempt = handle.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO written_with_the_event VALUES ('the change the event records')`);
      await appendAuditEvent(tx, event('test.altered', 'one'));
    });
    await expect(attempt).rejects.toThrow(/not the canonical hash of the event; nothing is appended/);
  } finally {
    await barrier.query(original);
  }
  expect(await headSeq()).toBe(before);
  expect(await eventsOf('test.altered')).toEqual([]);
  expect((await barrier.query('SELECT * FROM written_with_the_event')).rows).toEqual([]);
  await handle.db.transaction((tx) => appendAuditEvent(tx, event('test.altered', 'after the function is put back')));
  await expectIntactChain();
});

test('the append is a named statement on the transaction’s own connection, parsed once per connection', async () => {
  const prepared = (tx: Executor) =>
    tx.execute<{ name: string; parameters: number }>(
      sql`SELECT name, cardinality(parameter_types) AS parameters FROM pg_prepared_statements WHERE name = 'attestflow_append_audit_event'`,
    );
  const [before, after, again] = await handle.db.transaction(async (tx) => {
    const first = (await prepared(tx)).rows;
    await appendAuditEvent(tx, event('test.named', 'first'));
    const second = (await prepared(tx)).rows;
    await appendAuditEvent(tx, event('test.named', 'second'));
    return [first, second, (await prepared(tx)).rows];
  });
  // A connection of the pool may have appended before this test; after the first append it has the statement, once.
  expect(before.length).toBeLessThanOrEqual(1);
  expect(after).toEqual([{ name: 'attestflow_append_audit_event', parameters: 15 }]);
  expect(again).toEqual(after);
  expect((await eventsOf('test.named')).map((e) => e.entityId)).toEqual(['first', 'second']);
  await expectIntactChain();
});
