// What an NCMR does to its lots, against the real PostgreSQL: its hold (the lot on hold, its previous
// status kept), a second NCMR's hold refused (also when both come at once, in real concurrent
// transactions), a person's release refused while held, consumption of a held lot refused, and on
// the NCMR's end each lot given its disposition's status or its previous one back — through the
// effects the workflow runs (activities/effects/ncmr.effects.ts), retried without writing twice.
// And the managed list of defect codes. The new tables are append-only at the database.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { ncmrEffects } from '../activities/effects/ncmr.effects';
import type { EffectContext } from '../workflows/contracts/effect-activities';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import {
  assertActiveDefectCode,
  assertLotsMayBeHeld,
  createItem,
  holdLotsForNcmr,
  holdsOfRecord,
  latestLotStatusEvent,
  listActiveDefectCodes,
  MaterialRefusal,
  openHoldsOnLots,
  receiveLot,
  recordDefectCode,
  recordLotStatusEvent,
  recordProduction,
} from '../db/material';
import { insertRecord, insertRecordVersion } from '../db/repositories';
import { users, type LotStatus } from '../db/schema';
import { DEFECT_CODES, seedDemoOrganisation } from '../db/seed-demo';
import type { NcmrContent, NcmrDisposition } from '../processes/ncmr/ncmr.process';
import { createTestDatabase, dropDatabase } from './support/test-database';

let url: string;
let handle: DatabaseHandle;
let person: { id: string; name: string };
let resinId: string;
let pumpId: string;
let lotCount = 0;
let ncmrCount = 0;

const db = () => handle.db;

const TABLES = ['ncmr_lot_holds', 'ncmr_lot_hold_releases', 'lot_status_events', 'defect_codes', 'audit_events'];
async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) {
    const rows = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
    result[table] = rows.rows[0]!.n;
  }
  return result;
}

async function statusOf(lotId: string): Promise<LotStatus | undefined> {
  return (await latestLotStatusEvent(db(), lotId))?.status;
}

/** A received lot of resin, released unless told otherwise. */
async function lot(status: LotStatus = 'released') {
  lotCount += 1;
  const { lot } = await db().transaction((tx) =>
    receiveLot(
      tx,
      {
        itemId: resinId,
        lotNumber: `R-${lotCount}`,
        quantity: '50',
        expiryDate: null,
        serialNumbers: [],
        supplierName: 'Acme Polymers',
        supplierLotNumber: null,
      },
      person,
    ),
  );
  if (status !== 'quarantine') await db().transaction((tx) => recordLotStatusEvent(tx, { lotId: lot.id, status, reason: 'Set by the test', actor: person }));
  return lot;
}

/** An NCMR record (header and first version) as the process's first activity writes it. */
async function ncmr(lots: { id: string; lotNumber: string }[], dispositions?: NcmrDisposition[]) {
  ncmrCount += 1;
  const id = randomUUID();
  const number = `NCMR-2026-${String(ncmrCount).padStart(4, '0')}`;
  const content: NcmrContent = {
    title: `Resin discoloured (${number})`,
    description: 'Yellowish pellets',
    detectionPoint: 'incoming',
    defectCode: 'VIS-CONT',
    lots: lots.map((l) => ({ lotId: l.id, lotNumber: l.lotNumber, partNumber: 'RM-RESIN', nonconformingQuantity: '5', unit: 'kg' })),
    ...(dispositions ? { dispositions } : {}),
  };
  await db().transaction(async (tx) => {
    await insertRecord(tx, { id, type: 'ncmr', number, workflowId: `process/${id}`, createdBy: person.id, createdAt: new Date() });
    await insertRecordVersion(tx, { recordId: id, version: 1, content, contentHash: 'test', createdBy: person.id, createdAt: new Date() });
  });
  return { id, number, content };
}

async function newVersion(record: { id: string; content: NcmrContent }, version: number, dispositions: NcmrDisposition[]) {
  await insertRecordVersion(db(), {
    recordId: record.id,
    version,
    content: { ...record.content, dispositions },
    contentHash: `test-${version}`,
    createdBy: person.id,
    createdAt: new Date(),
  });
}

const effectOf = (recordId: string, on: EffectContext['on'], from: string | null, to: string): EffectContext => ({
  recordId,
  type: 'ncmr',
  effectId: randomUUID(),
  on,
  from,
  to,
  reason: null,
  context: { actorId: person.id, actorRoles: ['initiator'], clientIp: null, userAgent: null },
});

async function refusalOf(work: Promise<unknown>): Promise<MaterialRefusal> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof MaterialRefusal)) throw new Error(`Expected a refusal, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  url = await createTestDatabase('ncmr_lot_holds');
  handle = connectDatabase(url, { max: 6 });
  await seedDemoOrganisation(db());
  const [user] = await db()
    .select()
    .from(users)
    .where(sql`${users.username} = 'initiator'`);
  person = { id: user!.id, name: user!.printedName };
  resinId = (
    await db().transaction((tx) =>
      createItem(
        tx,
        { partNumber: 'RM-RESIN', revision: 'A', description: 'Resin', unitOfMeasure: 'kg', itemClass: 'raw_material', serialised: false, billOfMaterials: [] },
        person,
      ),
    )
  ).id;
  pumpId = (
    await db().transaction((tx) =>
      createItem(
        tx,
        {
          partNumber: 'FG-PUMP',
          revision: 'A',
          description: 'Pump housing',
          unitOfMeasure: 'pcs',
          itemClass: 'finished_good',
          serialised: false,
          billOfMaterials: [{ componentItemId: resinId, quantityPer: '0.2' }],
        },
        person,
      ),
    )
  ).id;
});

afterAll(async () => {
  await handle?.close();
  if (url) await dropDatabase(url);
});

describe('holding lots', () => {
  test('the hold puts each lot on hold caused by the NCMR, keeping its previous status; a retry writes nothing twice', async () => {
    const released = await lot('released');
    const quarantined = await lot('quarantine');
    const record = await ncmr([released, quarantined]);
    const effects = ncmrEffects({ db: db() });
    const effect = effectOf(record.id, 'enter', null, 'reported');
    expect(await effects['ncmr.hold_lots']!(effect)).toEqual({});
    const after = await counts();
    expect(await effects['ncmr.hold_lots']!(effect)).toEqual({});
    expect(await counts()).toEqual(after);

    for (const l of [released, quarantined]) {
      const latest = await latestLotStatusEvent(db(), l.id);
      expect(latest).toMatchObject({ status: 'on_hold', causedByRecordId: record.id });
      expect(latest!.reason).toContain(record.number);
    }
    const holds = await holdsOfRecord(db(), record.id);
    expect(holds.map((h) => [h.lotId, h.previousStatus, h.releasedAt])).toEqual(
      [
        [released.id, 'released', null],
        [quarantined.id, 'quarantine', null],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  test('a second NCMR cannot hold a held lot: assertLotsMayBeHeld and the hold refuse with lot_held naming the first, changing nothing', async () => {
    const shared = await lot();
    const other = await lot();
    const first = await ncmr([shared]);
    await db().transaction((tx) => holdLotsForNcmr(tx, { recordId: first.id, lotIds: [shared.id], reason: 'First', actor: person }));
    const second = await ncmr([other, shared]);

    const before = await counts();
    const asked = await refusalOf(assertLotsMayBeHeld(db(), [other.id, shared.id]));
    expect([asked.code, asked.details?.heldByRecordNumber, asked.message]).toEqual([
      'lot_held',
      first.number,
      `Lot ${shared.lotNumber} is held by ${first.number}: one NCMR at a time holds a lot.`,
    ]);
    const held = await refusalOf(
      db().transaction((tx) => holdLotsForNcmr(tx, { recordId: second.id, lotIds: [other.id, shared.id], reason: 'Second', actor: person })),
    );
    expect([held.code, held.details?.heldByRecordNumber]).toEqual(['lot_held', first.number]);
    expect(await counts()).toEqual(before);
    expect(await statusOf(other.id)).toBe('released');
    await expect(assertLotsMayBeHeld(db(), [other.id])).resolves.toBeUndefined();
  });

  test('the hold effect of an NCMR that cannot hold its lots raises hold_refused once, holding none of them', async () => {
    const shared = await lot();
    const free = await lot();
    const first = await ncmr([shared]);
    await db().transaction((tx) => holdLotsForNcmr(tx, { recordId: first.id, lotIds: [shared.id], reason: 'First', actor: person }));
    const late = await ncmr([free, shared]);
    const effects = ncmrEffects({ db: db() });
    const effect = effectOf(late.id, 'enter', null, 'reported');
    expect(await effects['ncmr.hold_lots']!(effect)).toEqual({ raise: ['hold_refused'] });
    const after = await counts();
    expect(await effects['ncmr.hold_lots']!(effect)).toEqual({ raise: ['hold_refused'] });
    expect(await counts()).toEqual(after);
    expect(await statusOf(free.id)).toBe('released');
    expect(await holdsOfRecord(db(), late.id)).toEqual([]);
    const said = await db().execute<{ reason: string }>(sql`SELECT reason FROM audit_events WHERE record_id = ${late.id} AND action = 'ncmr.hold_refused'`);
    expect(said.rows.map((r) => r.reason)).toEqual([`Lot ${shared.lotNumber} is held by ${first.number}: one NCMR at a time holds a lot.`]);
  });

  test('a scrapped lot, an unknown lot, and a lot on hold by another record cannot be held', async () => {
    const scrapped = await lot('scrapped');
    const record = await ncmr([scrapped]);
    expect((await refusalOf(assertLotsMayBeHeld(db(), [scrapped.id]))).code).toBe('transition_not_allowed');
    expect((await refusalOf(assertLotsMayBeHeld(db(), [randomUUID()]))).code).toBe('unknown_lot');
    const heldByOther = await lot();
    await db().transaction((tx) =>
      recordLotStatusEvent(tx, { lotId: heldByOther.id, status: 'on_hold', reason: 'Held by a record', actor: person, causedBy: { recordId: record.id } }),
    );
    const refusal = await refusalOf(assertLotsMayBeHeld(db(), [heldByOther.id]));
    expect([refusal.code, refusal.details?.heldByRecordNumber]).toEqual(['lot_held', record.number]);
  });

  test('two NCMRs holding one lot in concurrent transactions: the second waits for the first lock, then is refused', async () => {
    const shared = await lot();
    const first = await ncmr([shared]);
    const second = await ncmr([shared]);
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstHeld!: () => void;
    const firstHasHeld = new Promise<void>((resolve) => (firstHeld = resolve));
    const firstTx = db().transaction(async (tx) => {
      await holdLotsForNcmr(tx, { recordId: first.id, lotIds: [shared.id], reason: 'First', actor: person });
      firstHeld();
      await firstMayCommit;
    });
    await firstHasHeld;
    const secondTx = db().transaction((tx) => holdLotsForNcmr(tx, { recordId: second.id, lotIds: [shared.id], reason: 'Second', actor: person }));
    // Order driven explicitly: the second transaction is waiting on the lot's row lock before the first commits.
    for (;;) {
      const waiting = await db().execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%from "lots"%for no key update%'`,
      );
      if (waiting.rows[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    commitFirst();
    await firstTx;
    const refusal = await refusalOf(secondTx);
    expect([refusal.code, refusal.details?.heldByRecordNumber]).toEqual(['lot_held', first.number]);
    expect((await openHoldsOnLots(db(), [shared.id])).map((h) => h.recordId)).toEqual([first.id]);
  });

  test('started at the same moment, exactly one of several NCMRs holds the lot', async () => {
    const shared = await lot();
    const records = await Promise.all([ncmr([shared]), ncmr([shared]), ncmr([shared])]);
    const outcomes = await Promise.allSettled(
      records.map((r) => db().transaction((tx) => holdLotsForNcmr(tx, { recordId: r.id, lotIds: [shared.id], reason: r.number, actor: person }))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as MaterialRefusal).code);
    expect(refused).toEqual(['lot_held', 'lot_held']);
    expect(await openHoldsOnLots(db(), [shared.id])).toHaveLength(1);
    expect(
      (await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM lot_status_events WHERE lot_id = ${shared.id} AND status = 'on_hold'`)).rows[0]!.n,
    ).toBe(1);
  });
});

describe('while held', () => {
  test('releasing a held lot is refused naming the NCMR, also when the person names the NCMR as the cause', async () => {
    const held = await lot();
    const record = await ncmr([held]);
    await db().transaction((tx) => holdLotsForNcmr(tx, { recordId: record.id, lotIds: [held.id], reason: 'Held', actor: person }));
    const before = await counts();
    for (const causedBy of [{}, { recordId: record.id }]) {
      const refusal = await refusalOf(
        db().transaction((tx) => recordLotStatusEvent(tx, { lotId: held.id, status: 'released', reason: 'Looks fine to me', actor: person, causedBy })),
      );
      expect([refusal.code, refusal.details?.heldByRecordNumber]).toEqual(['lot_held_by_record', record.number]);
      expect(refusal.message).toContain(record.number);
    }
    expect(await counts()).toEqual(before);
    expect(await statusOf(held.id)).toBe('on_hold');
  });

  test('consuming a held lot is refused: it is not released', async () => {
    const held = await lot();
    const record = await ncmr([held]);
    await db().transaction((tx) => holdLotsForNcmr(tx, { recordId: record.id, lotIds: [held.id], reason: 'Held', actor: person }));
    const refusal = await refusalOf(
      db().transaction((tx) =>
        recordProduction(
          tx,
          {
            kind: 'production',
            workOrder: 'WO-1',
            workstation: 'Press 1',
            parameters: [],
            operator: { id: person.id, name: person.name },
            performedAt: new Date(),
            output: { itemId: pumpId, lotNumber: `P-${randomUUID().slice(0, 6)}`, quantity: '1', expiryDate: null, serialNumbers: [] },
            inputs: [{ lotId: held.id, quantity: '0.2' }],
          },
          { id: person.id, name: person.name },
        ),
      ),
    );
    expect([refusal.code, refusal.details]).toEqual(['lot_not_released', { lotId: held.id, lotNumber: held.lotNumber, status: 'on_hold' }]);
  });
});

describe('settling when the NCMR ends', () => {
  test('closed: use as is releases, return to supplier rejects, scrap scraps, rework gives the previous status back; a retry writes nothing twice', async () => {
    const [asIs, back, scrap, reworked] = [await lot(), await lot(), await lot(), await lot('quarantine')];
    const record = await ncmr([asIs, back, scrap, reworked]);
    const effects = ncmrEffects({ db: db() });
    await effects['ncmr.hold_lots']!(effectOf(record.id, 'enter', null, 'reported'));
    await newVersion(record, 2, [
      { lotId: asIs.id, decision: 'use_as_is', justification: 'Cosmetic only' },
      { lotId: back.id, decision: 'return_to_supplier', rmaNumber: 'RMA-77' },
      { lotId: scrap.id, decision: 'scrap', scrapQuantity: '5' },
      { lotId: reworked.id, decision: 'rework', reworkInstructions: 'Dry again', reworkOwnerId: person.id, reworkDueAt: '2026-05-01T00:00:00Z' },
    ]);
    const settle = effectOf(record.id, 'process_exit', 'disposition_approval', 'closed');
    await effects['ncmr.settle_lots']!(settle);
    const after = await counts();
    await effects['ncmr.settle_lots']!(settle);
    expect(await counts()).toEqual(after);

    expect([await statusOf(asIs.id), await statusOf(back.id), await statusOf(scrap.id), await statusOf(reworked.id)]).toEqual([
      'released',
      'rejected',
      'scrapped',
      'quarantine',
    ]);
    const scrapEvent = await latestLotStatusEvent(db(), scrap.id);
    expect(scrapEvent).toMatchObject({ causedByRecordId: record.id, reason: `${record.number} disposition: scrap` });
    expect(await openHoldsOnLots(db(), [asIs.id, back.id, scrap.id, reworked.id])).toEqual([]);
    expect((await holdsOfRecord(db(), record.id)).map((h) => h.givenStatus).sort()).toEqual(['quarantine', 'rejected', 'released', 'scrapped']);
    // Released from its hold, the lot is a lot like any other again.
    await db().transaction((tx) => recordLotStatusEvent(tx, { lotId: reworked.id, status: 'released', reason: 'Inspected', actor: person }));
  });

  test('cancelled: each lot gets its previous status back, whatever the dispositions said', async () => {
    const released = await lot('released');
    const quarantined = await lot('quarantine');
    const record = await ncmr([released, quarantined]);
    const effects = ncmrEffects({ db: db() });
    await effects['ncmr.hold_lots']!(effectOf(record.id, 'enter', null, 'reported'));
    await newVersion(record, 2, [
      { lotId: released.id, decision: 'scrap', scrapQuantity: '5' },
      { lotId: quarantined.id, decision: 'use_as_is', justification: 'Fine' },
    ]);
    await effects['ncmr.settle_lots']!(effectOf(record.id, 'process_exit', 'disposition_approval', 'cancelled'));
    expect([await statusOf(released.id), await statusOf(quarantined.id)]).toEqual(['released', 'quarantine']);
    expect((await latestLotStatusEvent(db(), released.id))!.reason).toBe(`${record.number} cancelled: the lot's status before the hold is given back`);
  });
});

describe('defect codes', () => {
  test('the seeded list is active; a retired code is a new version and is refused for a new NCMR', async () => {
    expect((await listActiveDefectCodes(db())).map((c) => c.code)).toEqual(DEFECT_CODES.map((c) => c.code).sort());
    await expect(assertActiveDefectCode(db(), 'DIM-OOT')).resolves.toMatchObject({ code: 'DIM-OOT', seq: 1, active: true });
    expect((await refusalOf(assertActiveDefectCode(db(), 'NO-SUCH'))).code).toBe('unknown_defect_code');
    await db().transaction((tx) =>
      recordDefectCode(tx, {
        code: 'LBL-ERR',
        description: 'Labelling or identification error',
        active: false,
        reason: 'Split into finer codes',
        actor: person,
      }),
    );
    const retired = await refusalOf(assertActiveDefectCode(db(), 'LBL-ERR'));
    expect([retired.code, retired.details?.retired]).toEqual(['unknown_defect_code', true]);
    expect((await listActiveDefectCodes(db())).map((c) => c.code)).not.toContain('LBL-ERR');
    const versions = await db().execute<{ seq: number; active: boolean }>(sql`SELECT seq, active FROM defect_codes WHERE code = 'LBL-ERR' ORDER BY seq`);
    expect(versions.rows).toEqual([
      { seq: 1, active: true },
      { seq: 2, active: false },
    ]);
    // Seeding again at the next start leaves the retired code retired.
    await seedDemoOrganisation(db());
    expect((await listActiveDefectCodes(db())).map((c) => c.code)).not.toContain('LBL-ERR');
  });
});

describe('append-only at the database', () => {
  test.each([
    ['UPDATE ncmr_lot_holds', "UPDATE ncmr_lot_holds SET previous_status = 'released'"],
    ['DELETE ncmr_lot_holds', 'DELETE FROM ncmr_lot_holds'],
    ['DELETE ncmr_lot_hold_releases', 'DELETE FROM ncmr_lot_hold_releases'],
    ['UPDATE defect_codes', 'UPDATE defect_codes SET active = true'],
    ['TRUNCATE defect_codes', 'TRUNCATE defect_codes CASCADE'],
  ])('%s is refused, also in replica mode', async (_label, statement) => {
    const before = await counts();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await expect(client.query(statement)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
    expect(await counts()).toEqual(before);
  });
});
