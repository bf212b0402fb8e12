// The trace's card of each lot (`lot_trace_cards`, migration 0018; issue 12) against the real
// PostgreSQL: it is written in the transaction that writes its truth (a new lot, a status change,
// a production record, records named by status events), by whoever writes it (the material
// functions, a bulk INSERT, a replica-mode session), and nowhere else: a rolled-back change leaves
// it as it was, a direct write is refused. A trace reads the card and returns, lot by lot, exactly
// what the ledgers say (the lookups the trace ran before 0018, kept here as the reference).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { createItem, findLotTraceCardDrift, receiveLot, recordLotStatusEvent, recordProduction, traceLot, type TraceLot } from '../db/material';
import { insertRecord } from '../db/repositories';
import { users } from '../db/schema';
import { seedDemoOrganisation } from '../db/seed-demo';
import { createTestDatabase, dropDatabase } from './support/test-database';

let url: string;
let handle: DatabaseHandle;
let person: { id: string; name: string };
let resinId: string;
let pumpId: string;
let lotCount = 0;

const db = () => handle.db;

interface Card {
  lot_number: string;
  quantity: string;
  expiry_date: string | null;
  status: string | null;
  status_seq: number | null;
  produced_by: string | null;
  work_order: string | null;
  record_numbers: string[] | null;
}

async function cardOf(lotId: string): Promise<Card | undefined> {
  const { rows } = await handle.pool.query<Card>(
    'SELECT lot_number, quantity, expiry_date, status, status_seq, produced_by, work_order, record_numbers FROM lot_trace_cards WHERE lot_id = $1',
    [lotId],
  );
  return rows[0];
}

async function cardCount(): Promise<number> {
  return (await handle.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM lot_trace_cards')).rows[0]!.n;
}

/** The card equals the truth for every lot, and there is one card per lot. */
async function expectExact(): Promise<void> {
  expect(await findLotTraceCardDrift(db())).toEqual({ missing: [], extra: [] });
  const { rows } = await handle.pool.query<{ lots: number; cards: number }>(
    'SELECT (SELECT count(*)::int FROM lots) AS lots, (SELECT count(*)::int FROM lot_trace_cards) AS cards',
  );
  expect(rows[0]!.cards).toBe(rows[0]!.lots);
}

async function lot(expiryDate: string | null = null) {
  lotCount += 1;
  const { lot } = await db().transaction((tx) =>
    receiveLot(
      tx,
      {
        itemId: resinId,
        lotNumber: `R-${lotCount}`,
        quantity: '50',
        expiryDate,
        serialNumbers: [],
        supplierName: 'Acme Polymers',
        supplierLotNumber: `AP-${lotCount}`,
      },
      person,
    ),
  );
  return lot;
}

const setStatus = (lotId: string, status: 'released' | 'on_hold' | 'quarantine', recordId?: string) =>
  db().transaction((tx) =>
    recordLotStatusEvent(tx, { lotId, status, reason: 'Set by the test', actor: person, ...(recordId ? { causedBy: { recordId } } : {}) }),
  );

async function record(number: string): Promise<string> {
  const id = randomUUID();
  await insertRecord(db(), { id, type: 'change_control', number, workflowId: `process/${id}`, createdBy: person.id, createdAt: new Date() });
  return id;
}

function produce(inputs: { lotId: string; quantity: string }[], lotNumber: string) {
  return db().transaction((tx) =>
    recordProduction(
      tx,
      {
        kind: 'production',
        workOrder: `WO-${lotNumber}`,
        workstation: 'Press 1',
        parameters: [],
        operator: person,
        performedAt: new Date('2026-11-30T08:15:42.123Z'),
        output: { itemId: pumpId, lotNumber, quantity: '2', expiryDate: null, serialNumbers: [] },
        inputs,
      },
      person,
    ),
  );
}

/** A direct statement in a session of its own, optionally in replica mode: its error code, or null. */
async function refusalCode(statement: string, replica = false): Promise<string | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    if (replica) await client.query('SET session_replication_role = replica');
    await client.query(statement);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  url = await createTestDatabase('lot_trace_cards');
  handle = connectDatabase(url, { max: 4 });
  await seedDemoOrganisation(db());
  const [user] = await db()
    .select()
    .from(users)
    .where(sql`${users.username} = 'initiator'`);
  person = { id: user!.id, name: user!.printedName };
  const item = (partNumber: string, itemClass: 'raw_material' | 'finished_good', billOfMaterials: { componentItemId: string; quantityPer: string }[]) =>
    db().transaction((tx) =>
      createItem(
        tx,
        {
          partNumber,
          revision: 'A',
          description: partNumber,
          unitOfMeasure: itemClass === 'raw_material' ? 'kg' : 'pcs',
          itemClass,
          serialised: false,
          billOfMaterials,
        },
        person,
      ),
    );
  resinId = (await item('RM-RESIN', 'raw_material', [])).id;
  pumpId = (await item('FG-PUMP', 'finished_good', [{ componentItemId: resinId, quantityPer: '0.2' }])).id;
});

afterAll(async () => {
  await handle?.close();
  if (url) await dropDatabase(url);
});

describe('the card follows its truth, in the same transaction', () => {
  test('a received lot has its card in quarantine; each status change moves it', async () => {
    const received = await lot('2027-03-31');
    expect(await cardOf(received.id)).toMatchObject({
      lot_number: received.lotNumber,
      quantity: '50.000000',
      expiry_date: '2027-03-31',
      status: 'quarantine',
      status_seq: 1,
      produced_by: null,
      record_numbers: null,
    });
    await setStatus(received.id, 'released');
    expect(await cardOf(received.id)).toMatchObject({ status: 'released', status_seq: 2 });
    await setStatus(received.id, 'on_hold');
    expect(await cardOf(received.id)).toMatchObject({ status: 'on_hold', status_seq: 3 });
    await expectExact();
  });

  test('production names its record on the card of the lot it made, and a lot used up becomes consumed', async () => {
    const input = await lot();
    await setStatus(input.id, 'released');
    const made = await produce([{ lotId: input.id, quantity: '50' }], 'P-CARD-1');
    expect(await cardOf(made.output.lot.id)).toMatchObject({ status: 'quarantine', produced_by: made.record.id, work_order: 'WO-P-CARD-1' });
    expect(await cardOf(input.id)).toMatchObject({ status: 'consumed', status_seq: 3 });
    await expectExact();
  });

  test('the records that changed a status are listed once each, by number', async () => {
    const held = await lot();
    await setStatus(held.id, 'released');
    const later = await record('CC-2026-0902');
    const earlier = await record('CC-2026-0901');
    await setStatus(held.id, 'on_hold', later);
    expect((await cardOf(held.id))!.record_numbers).toEqual(['CC-2026-0902']);
    await setStatus(held.id, 'released', later);
    expect((await cardOf(held.id))!.record_numbers).toEqual(['CC-2026-0902']);
    await setStatus(held.id, 'on_hold', earlier);
    expect(await cardOf(held.id)).toMatchObject({ status: 'on_hold', record_numbers: ['CC-2026-0901', 'CC-2026-0902'] });
    await expectExact();
  });

  test('a rolled-back transaction leaves no card behind and changes none', async () => {
    const kept = await lot();
    const before = { card: await cardOf(kept.id), cards: await cardCount() };
    const rolledBack = new Error('rolled back by the test');
    let createdId: string | undefined;
    await expect(
      db().transaction(async (tx) => {
        const { lot: created } = await receiveLot(
          tx,
          {
            itemId: resinId,
            lotNumber: 'R-ROLLED-BACK',
            quantity: '5',
            expiryDate: null,
            serialNumbers: [],
            supplierName: 'Acme Polymers',
            supplierLotNumber: null,
          },
          person,
        );
        createdId = created.id;
        await recordLotStatusEvent(tx, { lotId: kept.id, status: 'released', reason: 'Set by the test', actor: person });
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(createdId).toBeDefined();
    expect(await cardOf(createdId!)).toBeUndefined();
    expect({ card: await cardOf(kept.id), cards: await cardCount() }).toEqual(before);
    await expectExact();
  });

  test('bulk statements in a replica-mode session: many lots at once, one lot’s events out of order in one INSERT', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    try {
      await client.query('SET session_replication_role = replica');
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO lots (id, item_id, lot_number, quantity, unit, origin, supplier_name, created_by, created_at)
         SELECT id, $2, 'R-BULK-' || n, 10, 'kg', 'received', 'Acme Polymers', $3, now() FROM unnest($1::uuid[]) WITH ORDINALITY u(id, n)`,
        [ids, resinId, person.id],
      );
      const bulkRecord = randomUUID();
      await client.query(`INSERT INTO records (id, type, number, workflow_id, created_by, created_at) VALUES ($1, 'ncmr', 'NCMR-2026-0950', $2, $3, now())`, [
        bulkRecord,
        `process/${bulkRecord}`,
        person.id,
      ]);
      // Lot 0: seq 2 listed before seq 1 in one statement; lot 1: one event naming a record; lot 2: none.
      await client.query(
        `INSERT INTO lot_status_events (id, lot_id, seq, status, reason, actor_name, occurred_at, caused_by_record_id) VALUES
           (gen_random_uuid(), $1, 2, 'released', 'bulk', 'bulk', now(), NULL),
           (gen_random_uuid(), $1, 1, 'quarantine', 'bulk', 'bulk', now(), NULL),
           (gen_random_uuid(), $2, 1, 'on_hold', 'bulk', 'bulk', now(), $3)`,
        [ids[0], ids[1], bulkRecord],
      );
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect(await cardOf(ids[0]!)).toMatchObject({ status: 'released', status_seq: 2, record_numbers: null });
    expect(await cardOf(ids[1]!)).toMatchObject({ status: 'on_hold', status_seq: 1, record_numbers: ['NCMR-2026-0950'] });
    expect(await cardOf(ids[2]!)).toMatchObject({ status: null, status_seq: null });
    await expectExact();
  });

  test.each([
    [
      'INSERT',
      `INSERT INTO lot_trace_cards (lot_id, item_id, lot_number, quantity, unit, origin) SELECT gen_random_uuid(), item_id, 'X', '1', 'kg', 'received' FROM lots LIMIT 1`,
    ],
    ['UPDATE', "UPDATE lot_trace_cards SET status = 'released'"],
    ['DELETE', 'DELETE FROM lot_trace_cards'],
    ['TRUNCATE', 'TRUNCATE lot_trace_cards'],
  ])('a direct %s on the card is refused, also in replica mode, and changes nothing', async (_label, statement) => {
    const before = await cardCount();
    expect(await refusalCode(statement)).toBe('42501');
    expect(await refusalCode(statement, true)).toBe('42501');
    expect(await cardCount()).toBe(before);
    await expectExact();
  });
});

describe('the trace reads the card', () => {
  /** What a trace said of each lot before 0018: looked up from lots, the ledger, production records and records. */
  async function fromTheLedgers(lotIds: string[]): Promise<Map<string, Omit<TraceLot, 'depth' | 'item'> & { itemId: string }>> {
    const { rows } = await handle.pool.query(
      `SELECT l.id, l.lot_number, l.quantity::text AS quantity, l.unit, l.origin, l.supplier_name, l.supplier_lot_number,
              to_char(l.expiry_date, 'YYYY-MM-DD') AS expiry_date, l.item_id,
              (SELECT e.status FROM lot_status_events e WHERE e.lot_id = l.id ORDER BY e.seq DESC LIMIT 1) AS status,
              p.id AS produced_by, p.work_order, p.workstation, to_char(p.performed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS performed_at,
              COALESCE((SELECT json_agg(json_build_object('id', d.id, 'number', d.number, 'type', d.type) ORDER BY d.number)
                        FROM (SELECT DISTINCT rc.id, rc.number, rc.type FROM lot_status_events e JOIN records rc ON rc.id = e.caused_by_record_id
                              WHERE e.lot_id = l.id) d), '[]') AS records
       FROM lots l LEFT JOIN production_records p ON p.output_lot_id = l.id
       WHERE l.id = ANY ($1::uuid[])`,
      [lotIds],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          lotNumber: r.lot_number,
          quantity: r.quantity,
          unit: r.unit,
          origin: r.origin,
          supplierName: r.supplier_name,
          supplierLotNumber: r.supplier_lot_number,
          expiryDate: r.expiry_date,
          itemId: r.item_id,
          status: r.status,
          producedBy: r.produced_by === null ? null : { id: r.produced_by, workOrder: r.work_order, workstation: r.workstation, performedAt: r.performed_at },
          records: r.records,
        },
      ]),
    );
  }

  test('every lot, traced both ways, is what the ledgers say of it', async () => {
    // A genealogy with a record on a component: two lots into one, that one into another.
    const a = await lot('2027-01-15');
    const b = await lot();
    const cause = await record('CC-2026-0990');
    await setStatus(a.id, 'released');
    await setStatus(b.id, 'released');
    await setStatus(b.id, 'on_hold', cause);
    await setStatus(b.id, 'released', cause);
    const first = await produce(
      [
        { lotId: a.id, quantity: '1' },
        { lotId: b.id, quantity: '2' },
      ],
      'P-TRACE-1',
    );
    const firstLot = first.output.lot.id;
    // The made lot is in quarantine: released, then reworked into a new lot.
    await setStatus(firstLot, 'released');
    await db().transaction((tx) =>
      recordProduction(
        tx,
        {
          kind: 'rework',
          workOrder: 'WO-RW',
          workstation: 'Bench 3',
          parameters: [],
          operator: person,
          performedAt: new Date('2026-12-01T10:00:00.000Z'),
          output: { itemId: pumpId, lotNumber: 'P-TRACE-1-RW', quantity: '1', expiryDate: null, serialNumbers: [] },
          inputs: [{ lotId: firstLot, quantity: '2' }],
        },
        person,
      ),
    );
    await expectExact();

    const { rows: all } = await handle.pool.query<{ id: string }>('SELECT id FROM lots WHERE item_id = ANY ($1::uuid[])', [[resinId, pumpId]]);
    let compared = 0;
    for (const { id } of all) {
      for (const direction of ['backward', 'forward'] as const) {
        const trace = (await traceLot(handle, { lotId: id, direction, maxDepth: 10 }))!;
        const truth = await fromTheLedgers(trace.lots.map((l) => l.id));
        for (const traced of trace.lots) {
          const { depth, item, ...rest } = traced;
          expect(depth).toBeGreaterThanOrEqual(0);
          expect({ ...rest, itemId: item.id }).toEqual(truth.get(traced.id));
          compared += 1;
        }
      }
    }
    // The genealogy above was reached, with its producing records and its record.
    const back = (await traceLot(handle, { lotId: firstLot, direction: 'backward', maxDepth: 10 }))!;
    expect(back.lots.map((l) => [l.lotNumber, l.depth, l.status, l.records.map((r) => r.number)])).toEqual([
      ['P-TRACE-1', 0, 'consumed', []],
      [a.lotNumber, 1, 'released', []],
      [b.lotNumber, 1, 'released', ['CC-2026-0990']],
    ]);
    expect(back.lots[0]!.producedBy).toEqual({
      id: first.record.id,
      workOrder: 'WO-P-TRACE-1',
      workstation: 'Press 1',
      performedAt: '2026-11-30T08:15:42.123Z',
    });
    expect(compared).toBeGreaterThan(2 * all.length);
  });
});
