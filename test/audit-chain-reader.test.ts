// 11.10(a), 11.10(e): `attestflow audit verify` rebuilds each event's canonical JSON from the bytes
// of a binary COPY (db/repositories/audit-chain-reader.ts) instead of from the ORM's objects. The
// hash only means something if those bytes are exactly the ones the event was hashed over: here both
// are compared, through the real PostgreSQL, on awkward values.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { appendAuditEvent, verifyAuditChain, type AuditEventInput } from '../db/repositories';
import { copyCanonicalAuditEvents } from '../db/repositories/audit-chain-reader';
import { auditEventCanonicalJson, type AuditEventContent, type JsonValue } from '../signatures';
import { createTestDatabase, dropDatabase } from './support/test-database';

let url: string;
let database: DatabaseHandle;
beforeAll(async () => {
  url = await createTestDatabase('audit_chain_reader');
  database = connectDatabase(url, { max: 2 });
});
afterAll(async () => {
  await database?.close();
  if (url) await dropDatabase(url);
});

const ESCAPES = 'quote " backslash \\ slash / controls \u0001\u0008\u0009\u000a\u000b\u000c\u000d\u001b\u001f del \u007f';
const UNICODE = 'Zoë Ångström · Łukasz Żółć · 审批 · emoji 😀 · U+2028 \u2028 U+FFFF \uffff · combining e\u0301';
const AWKWARD_VALUES: (JsonValue | null)[] = [
  null,
  {},
  [],
  'a bare string',
  42,
  true,
  { status: 'draft' },
  { '10': 'index-like key', '2': 'another', a: 1, B: 2, é: 3, '😀': 4, '\uffff': 5, ü: 6, '': 7, ' ': 8, 'a"b': 9, 'a\\b': 10, 'a\nb': 11 },
  { numbers: [0, -0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 333333333.3333333, 123456789012345680000, -1.5, 2 ** 53 + 2, 1e15, 123456] },
  { text: ESCAPES, more: UNICODE, nested: { deeper: { deepest: [null, { z: null, a: [[], {}] }, 'x'] } } },
  [1, 'two', { three: 3 }, [4, [5]], null, false],
];

/** Values that make JSON.stringify, JSON.parse, jsonb and the reader each do something different. */
function awkwardEvents(): AuditEventInput[] {
  const times = [
    '2026-12-07T11:02:00.000Z',
    '2026-12-07T11:02:00.007Z',
    '2026-12-07T11:02:00.070Z',
    '2026-12-07T11:02:59.999Z',
    '1999-12-31T23:59:59.999Z', // before PostgreSQL's epoch
    '1969-07-20T20:17:40.001Z', // before the Unix epoch
    '0999-03-01T00:00:00.500Z',
    '9999-12-31T23:59:59.999Z',
  ];
  const events: AuditEventInput[] = [];
  AWKWARD_VALUES.forEach((value, i) => {
    events.push({
      occurredAt: new Date(times[i % times.length]!),
      actorId: i % 2 ? randomUUID() : null,
      actorName: [UNICODE, ESCAPES, '', 'Ines "Nessa" Ortega', 'tab\tonly', 'back\\slash only'][i % 6]!,
      action: i % 3 ? 'record.updated' : ESCAPES,
      entityType: 'change_control',
      entityId: i % 2 ? `CC-2026-${i}` : '',
      recordId: i % 3 ? randomUUID() : null,
      oldValue: AWKWARD_VALUES[(i + 3) % AWKWARD_VALUES.length]!,
      newValue: value,
      reason: [null, ESCAPES, UNICODE, ''][i % 4]!,
      clientIp: i % 2 ? '10.0.0.1' : null,
      userAgent: i % 2 ? null : 'Mozilla/5.0 "quoted" \\ agent',
    });
  });
  return events;
}

/** A small deterministic generator (mulberry32), as in canonical-json.spec.ts. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const PIECES = ['', 'a', 'é', '\u20ac', '\ud83d\ude00', '"\\', '"', '\\', '\r\n\t', '\u0001', '审批', '1', '10', '-1', 'seq', ' '];
const NUMBERS = [0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, 333333333.3333333, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, -1.5e-300, 1e300];
function generated(next: () => number, depth: number): JsonValue {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  switch (Math.floor(next() * (depth > 3 ? 3 : 5))) {
    case 0:
      return pick(PIECES) + pick(PIECES);
    case 1:
      return pick(NUMBERS);
    case 2:
      return pick([true, false, null]);
    case 3:
      return Array.from({ length: Math.floor(next() * 4) }, () => generated(next, depth + 1));
    default: {
      const object: Record<string, JsonValue> = {};
      for (let i = Math.floor(next() * 6); i > 0; i--) object[pick(PIECES) + pick(PIECES)] = generated(next, depth + 1);
      return object;
    }
  }
}

async function append(events: AuditEventInput[]): Promise<void> {
  for (const event of events) await database.db.transaction((tx) => appendAuditEvent(tx, event));
}

/** The canonical JSON of every event as the reader rebuilds it, next to the ORM's row → content → canonical JSON. */
async function bothWays(): Promise<{ seq: number; reader: string; reference: string }[]> {
  const fromReader = new Map<number, string>();
  const client = await database.pool.connect();
  try {
    await copyCanonicalAuditEvents(client, { after: null, upTo: null }, (seq, _prev, _hash, canonical) => {
      fromReader.set(seq, Buffer.from(canonical).toString('utf8'));
      return true;
    });
  } finally {
    client.release();
  }
  // The driver's own decoding (jsonb through JSON.parse once), as verification read rows before.
  // Not the ORM's select: drizzle parses a jsonb that holds a string a second time, so the string
  // "1010" comes back as the number 1010 (see the second test).
  const { rows } = await database.pool.query<RawRow>(`SELECT * FROM audit_events ORDER BY seq`);
  expect(fromReader.size).toBe(rows.length);
  return rows.map((row) => {
    const content: AuditEventContent = {
      seq: Number(row.seq),
      occurredAt: row.occurred_at.toISOString(),
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      recordId: row.record_id,
      oldValue: row.old_value,
      newValue: row.new_value,
      reason: row.reason,
      clientIp: row.client_ip,
      userAgent: row.user_agent,
      prevHash: row.prev_hash,
    };
    return { seq: content.seq, reader: fromReader.get(content.seq)!, reference: auditEventCanonicalJson(content) };
  });
}

interface RawRow {
  seq: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  record_id: string | null;
  old_value: JsonValue | null;
  new_value: JsonValue | null;
  reason: string | null;
  client_ip: string | null;
  user_agent: string | null;
  prev_hash: string;
}

test('awkward text, timestamps and JSON: the reader gives the bytes the hash was taken over, and the chain verifies', async () => {
  await append(awkwardEvents());
  const compared = await bothWays();
  expect(compared.length).toBeGreaterThanOrEqual(AWKWARD_VALUES.length);
  for (const { seq, reader, reference } of compared) expect({ seq, reader }).toEqual({ seq, reader: reference });
  const report = await verifyAuditChain(database.pool, { threads: 1 });
  expect(report).toEqual({ eventsChecked: compared.length, lastSeq: compared.at(-1)!.seq, intact: true, firstBreak: null });
});

test('300 generated JSON values, and jsonb that never came from JavaScript (1.50, 1E+2, 0.000, 20 digits)', async () => {
  const next = random(7);
  await append(
    Array.from({ length: 300 }, (_, i) => ({
      occurredAt: new Date(Date.UTC(2026, 11, 7, 12, 0, 0, i * 37)),
      actorId: null,
      actorName: PIECES[i % PIECES.length]! + PIECES[(i * 7) % PIECES.length]!,
      action: 'record.updated',
      entityType: 'change_control',
      entityId: `CC-${i}`,
      oldValue: generated(next, 0),
      newValue: { root: generated(next, 0) },
    })),
  );
  // Every hash matches: the reader rebuilt the bytes the application hashed (a string jsonb such as
  // "1010" included, which the ORM's select would turn into a number).
  expect((await verifyAuditChain(database.pool, { threads: 2 })).intact).toBe(true);
  // Written as SQL, the way a migration or a superuser could: jsonb keeps the numbers' own digits.
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO audit_events (seq, occurred_at, actor_name, action, entity_type, entity_id, old_value, new_value, prev_hash, hash)
      SELECT seq + 1, now(), 'SQL', 'raw', 'test', 'e', '{"a": 1.50, "b": 1E+2, "c": 0.000, "d": -0.0, "e": 12345678901234567890, "f": [1.0, 2.50e-3]}'::jsonb,
             '"\\u00e9\\u001F\\/"'::jsonb, hash, md5(random()::text)
      FROM audit_events ORDER BY seq DESC LIMIT 1`);
  });
  for (const { seq, reader, reference } of await bothWays()) expect({ seq, reader }).toEqual({ seq, reader: reference });
});
