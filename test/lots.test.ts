// The material side against the real services: items with bills of materials, lots received in
// quarantine and released through their status ledger, production that consumes released lots on
// the bill of materials, refusals that change nothing, concurrent over-consumption, rework, and
// traces backward and forward with quantities. The tables are append-only at the database.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { sql } from 'drizzle-orm';
import { MaterialRefusal, traceLot } from '../db/material';
import { addPerson } from './support/accounts';
import { attestflow } from './support/cli';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let engineering: HttpSession;
let receiving: HttpSession;
let qa: HttpSession;
let production: HttpSession;
let auditor: HttpSession;
let initiator: HttpSession;

const TABLES = ['items', 'bom_lines', 'lots', 'lot_serials', 'production_records', 'lot_genealogy', 'lot_status_events', 'audit_events'];

/** Row counts of every material table and of the audit trail: a refusal leaves them all as they were. */
async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) {
    const rows = await system.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
    result[table] = rows.rows[0]!.n;
  }
  return result;
}

function created(what: string, response: { status: number; body: any }): any {
  if (response.status !== 201) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

async function item(body: Record<string, unknown>) {
  return created(`item ${String(body.partNumber)}`, await engineering.post('/api/items', { revision: 'A', serialised: false, billOfMaterials: [], ...body }));
}

async function receive(itemId: string, lotNumber: string, quantity: number, extra: Record<string, unknown> = {}) {
  return created(`lot ${lotNumber}`, await receiving.post('/api/lots', { itemId, lotNumber, quantity, supplierName: 'Acme Polymers', ...extra }));
}

async function setStatus(session: HttpSession, lotId: string, status: string, extra: Record<string, unknown> = {}) {
  return session.post(`/api/lots/${lotId}/status-events`, { status, reason: `Set to ${status} by the test`, ...extra });
}

async function release(lotId: string) {
  return created(`release ${lotId}`, await setStatus(qa, lotId, 'released'));
}

function produce(body: { output: Record<string, unknown>; inputs: { lotId: string; quantity: number }[]; kind?: string }, session = production) {
  return session.post('/api/production-records', {
    workOrder: 'WO-2026-0815',
    workstation: 'Press line 2',
    parameters: [
      { name: 'torque', value: 12.5, unit: 'N·m' },
      { name: 'leak test passed', value: true },
    ],
    ...body,
  });
}

let resin: any, seal: any, glue: any, pump: any, assembly: any;

beforeAll(async () => {
  system = await startTestSystem('lots');
  const admin = await system.session('admin');
  await addPerson(admin, system.people, { username: 'goods-in', roles: ['approver_supply_chain'], trained: false });
  engineering = await system.session('engineering');
  receiving = await system.session('goods-in');
  qa = await system.session('qa');
  production = await system.session('production');
  auditor = await system.session('auditor');
  initiator = await system.session('initiator');
  resin = await item({ partNumber: 'RM-RESIN', description: 'Polymer resin, medical grade', unitOfMeasure: 'kg', itemClass: 'raw_material' });
  seal = await item({ partNumber: 'CMP-SEAL', description: 'O-ring seal 12 mm', unitOfMeasure: 'pcs', itemClass: 'component' });
  glue = await item({ partNumber: 'RM-GLUE', description: 'Cyanoacrylate adhesive', unitOfMeasure: 'ml', itemClass: 'raw_material' });
  pump = await item({
    partNumber: 'FG-PUMP',
    description: 'Infusion pump housing assembly',
    unitOfMeasure: 'pcs',
    itemClass: 'finished_good',
    serialised: true,
    billOfMaterials: [
      { componentItemId: resin.id, quantityPer: 0.2 },
      { componentItemId: seal.id, quantityPer: 2 },
    ],
  });
  assembly = await item({
    partNumber: 'SA-VALVE',
    description: 'Valve subassembly',
    unitOfMeasure: 'pcs',
    itemClass: 'subassembly',
    billOfMaterials: [{ componentItemId: seal.id, quantityPer: 3 }],
  });
});
afterAll(() => system?.close());

describe('items', () => {
  test('an item carries its bill of materials; part number + revision is unique; engineering creates items', async () => {
    const read = await auditor.get(`/api/items/${pump.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ partNumber: 'FG-PUMP', revision: 'A', itemClass: 'finished_good', serialised: true, unitOfMeasure: 'pcs' });
    expect(read.body.billOfMaterials.map((l: any) => [l.component.partNumber, l.quantityPer])).toEqual([
      ['CMP-SEAL', 2],
      ['RM-RESIN', 0.2],
    ]);

    const before = await counts();
    const again = await engineering.post('/api/items', {
      partNumber: 'RM-RESIN',
      revision: 'A',
      description: 'Again',
      unitOfMeasure: 'kg',
      itemClass: 'raw_material',
      serialised: false,
    });
    expect([again.status, again.body.code]).toEqual([409, 'item_exists']);
    const unknownComponent = await engineering.post('/api/items', {
      partNumber: 'FG-OTHER',
      revision: 'A',
      description: 'Made of nothing known',
      unitOfMeasure: 'pcs',
      itemClass: 'finished_good',
      serialised: false,
      billOfMaterials: [{ componentItemId: randomUUID(), quantityPer: 1 }],
    });
    expect([unknownComponent.status, unknownComponent.body.code]).toEqual([404, 'unknown_item']);
    const notEngineering = await initiator.post('/api/items', {
      partNumber: 'X-1',
      revision: 'A',
      description: 'Nope',
      unitOfMeasure: 'pcs',
      itemClass: 'component',
      serialised: false,
    });
    expect([notEngineering.status, notEngineering.body.code]).toEqual([403, 'not_authorised']);
    expect(await counts()).toEqual(before);
  });
});

describe('lots and their status ledger', () => {
  test('a received lot starts in quarantine, names its supplier, and is released by QA; every step is audited', async () => {
    const lot = await receive(resin.id, 'R-001', 100, { expiryDate: '2099-12-31', supplierLotNumber: 'AP-7781' });
    expect(lot).toMatchObject({
      status: 'quarantine',
      origin: 'received',
      quantity: 100,
      remaining: 100,
      unit: 'kg',
      supplierName: 'Acme Polymers',
      supplierLotNumber: 'AP-7781',
    });
    const released = await release(lot.id);
    expect(released.status).toBe('released');
    expect(released.statusHistory.map((e: any) => [e.seq, e.status])).toEqual([
      [1, 'quarantine'],
      [2, 'released'],
    ]);
    const audit = await system.database.db.execute<{ action: string }>(sql`SELECT action FROM audit_events WHERE entity_id = ${lot.id} ORDER BY seq`);
    expect(audit.rows.map((r) => r.action)).toEqual(['lot.received', 'lot.status_changed', 'lot.status_changed']);
    expect((await auditor.get(`/api/lots?itemId=${resin.id}&status=released`)).body.map((l: any) => l.lotNumber)).toContain('R-001');
  });

  test('refusals change nothing: a lot number twice, a unit not the item’s, serial numbers that do not match, a move the rule table forbids', async () => {
    const scrapped = await receive(seal.id, 'S-SCRAP', 10);
    created('scrap', await setStatus(qa, scrapped.id, 'scrapped'));
    const before = await counts();
    const twice = await receiving.post('/api/lots', { itemId: resin.id, lotNumber: 'R-001', quantity: 5, supplierName: 'Acme Polymers' });
    expect([twice.status, twice.body.code]).toEqual([409, 'lot_exists']);
    const unit = await receiving.post('/api/lots', { itemId: resin.id, lotNumber: 'R-002', quantity: 5, unit: 'lb', supplierName: 'Acme Polymers' });
    expect([unit.status, unit.body.code]).toEqual([422, 'unit_mismatch']);
    const serials = await receiving.post('/api/lots', {
      itemId: pump.id,
      lotNumber: 'P-RECV',
      quantity: 2,
      serialNumbers: ['SN-9'],
      supplierName: 'Acme Polymers',
    });
    expect([serials.status, serials.body.code]).toEqual([422, 'serials_mismatch']);
    const revived = await setStatus(qa, scrapped.id, 'released');
    expect([revived.status, revived.body.code]).toEqual([409, 'transition_not_allowed']);
    expect(revived.body.message).toBe('Lot S-SCRAP is scrapped, which is final: it cannot become released.');
    const consumedByHand = await setStatus(qa, scrapped.id, 'consumed');
    expect([consumedByHand.status, consumedByHand.body.code]).toEqual([400, 'validation_failed']);
    const byProduction = await setStatus(production, scrapped.id, 'quarantine');
    expect([byProduction.status, byProduction.body.code]).toEqual([403, 'not_authorised']);
    const byAuditor = await auditor.post('/api/lots', { itemId: resin.id, lotNumber: 'R-009', quantity: 1, supplierName: 'Acme Polymers' });
    expect([byAuditor.status, byAuditor.body.code]).toEqual([403, 'not_authorised']);
    expect(await counts()).toEqual(before);
  });

  test('a hold placed by a record is lifted only by that record; the trace names the record', async () => {
    const lot = await receive(seal.id, 'S-HELD', 20);
    await release(lot.id);
    const cc = created(
      'change control',
      await initiator.post('/api/change-controls', {
        title: 'Seal supplier change',
        description: 'Hold the lot meanwhile',
        reason: 'Supplier notice',
        riskLevel: 'low',
      }),
    );
    const held = created('hold', await setStatus(qa, lot.id, 'on_hold', { recordId: cc.id }));
    expect(held.statusHistory.at(-1)).toMatchObject({ status: 'on_hold', causedByRecordId: cc.id });
    const before = await counts();
    const lifted = await setStatus(qa, lot.id, 'released');
    expect([lifted.status, lifted.body.code, lifted.body.details?.heldByRecordNumber]).toEqual([409, 'lot_held_by_record', cc.number]);
    const unknownRecord = await setStatus(qa, lot.id, 'released', { recordId: randomUUID() });
    expect([unknownRecord.status, unknownRecord.body.code]).toEqual([404, 'unknown_record']);
    expect(await counts()).toEqual(before);
    const trace = await auditor.get(`/api/lots/${lot.id}/trace`);
    expect(trace.body.lots[0].records).toEqual([{ id: cc.id, number: cc.number, type: 'change_control' }]);
    created('lift', await setStatus(qa, lot.id, 'released', { recordId: cc.id }));
  });

  test('lots are searched by text in the lot number or the part number (case-insensitive, literal) and paged, as a lot picker asks', async () => {
    const gasket = await item({ partNumber: 'CMP-GASKET', description: 'Flat gasket 40 mm', unitOfMeasure: 'pcs', itemClass: 'component' });
    await receive(gasket.id, 'GK-01', 10);
    const second = await receive(gasket.id, 'GK-02_A', 30);
    await receive(gasket.id, 'GK-03XA', 20);
    await receive(seal.id, 'S-GK-0001', 5);
    const numbers = async (query: string) => {
      const response = await initiator.get(`/api/lots?${query}`);
      expect(response.status).toBe(200);
      return (response.body as any[]).map((l) => l.lotNumber);
    };
    // By part number, any case: the gasket's lots, ordered by lot number; the picker shows item, status and quantities.
    expect(await numbers('q=gasket')).toEqual(['GK-01', 'GK-02_A', 'GK-03XA']);
    const [shown] = (await initiator.get('/api/lots?q=gk-02')).body;
    expect(shown).toMatchObject({
      id: second.id,
      lotNumber: 'GK-02_A',
      item: { partNumber: 'CMP-GASKET' },
      status: 'quarantine',
      quantity: 30,
      remaining: 30,
      unit: 'pcs',
    });
    // By lot number: `_` is a character, not a wildcard, and the text may sit anywhere in the number.
    expect(await numbers(`q=${encodeURIComponent('_A')}`)).toEqual(['GK-02_A']);
    expect(await numbers('q=3xa')).toEqual(['GK-03XA']);
    expect(await numbers('q=GK')).toEqual(['GK-01', 'GK-02_A', 'GK-03XA', 'S-GK-0001']);
    expect(await numbers(`q=GK&itemId=${seal.id}`)).toEqual(['S-GK-0001']);
    expect(await numbers(`q=${encodeURIComponent('%')}`)).toEqual([]);
    // Paged: the next page starts at offset + limit.
    expect(await numbers('q=gasket&limit=2')).toEqual(['GK-01', 'GK-02_A']);
    expect(await numbers('q=gasket&limit=2&offset=2')).toEqual(['GK-03XA']);
    const tooLong = await initiator.get(`/api/lots?q=${'G'.repeat(101)}`);
    expect([tooLong.status, tooLong.body.code]).toEqual([400, 'validation_failed']);
  });
});

describe('production', () => {
  let resinLot: any, sealLot: any, made: any;

  test('consumes released lots on the bill of materials and produces a lot in quarantine, with its serial numbers and parameters', async () => {
    resinLot = (await auditor.get(`/api/lots?itemId=${resin.id}`)).body.find((l: any) => l.lotNumber === 'R-001');
    sealLot = await receive(seal.id, 'S-001', 50);
    await release(sealLot.id);
    const response = await produce({
      output: { itemId: pump.id, lotNumber: 'P-001', quantity: 2, serialNumbers: ['SN-1', 'SN-2'] },
      inputs: [
        { lotId: resinLot.id, quantity: 0.4 },
        { lotId: sealLot.id, quantity: 4 },
      ],
    });
    made = created('production', response);
    expect(made).toMatchObject({ kind: 'production', workOrder: 'WO-2026-0815', workstation: 'Press line 2', operatorName: 'Pedro Rossi' });
    expect(made.parameters).toEqual([
      { name: 'torque', value: 12.5, unit: 'N·m' },
      { name: 'leak test passed', value: true },
    ]);
    expect(made.output).toMatchObject({ lotNumber: 'P-001', origin: 'produced', status: 'quarantine', quantity: 2, supplierName: null });
    expect(made.inputs.map((i: any) => [i.lot.lotNumber, i.quantity, i.lot.remaining])).toEqual(
      expect.arrayContaining([
        ['R-001', 0.4, 99.6],
        ['S-001', 4, 46],
      ]),
    );
    expect((await auditor.get(`/api/lots/${made.output.id}`)).body.serialNumbers).toEqual(['SN-1', 'SN-2']);
    expect((await auditor.get(`/api/production-records/${made.id}`)).body.id).toBe(made.id);
  });

  test('refused with a code naming the lot and its status, changing nothing: not released, on hold, expired, not enough left, not on the bill of materials', async () => {
    const quarantined = await receive(seal.id, 'S-QUAR', 10);
    const held = await receive(seal.id, 'S-HOLD', 10);
    await release(held.id);
    created('hold', await setStatus(qa, held.id, 'on_hold'));
    const expired = await receive(resin.id, 'R-OLD', 10, { expiryDate: '2020-01-31' });
    await release(expired.id);
    const glueLot = await receive(glue.id, 'G-001', 500);
    await release(glueLot.id);
    const output = { itemId: pump.id, lotNumber: 'P-REFUSED', quantity: 1, serialNumbers: ['SN-99'] };

    const before = await counts();
    const notReleased = await produce({ output, inputs: [{ lotId: quarantined.id, quantity: 2 }] });
    expect([notReleased.status, notReleased.body.code, notReleased.body.details]).toEqual([
      409,
      'lot_not_released',
      { lotId: quarantined.id, lotNumber: 'S-QUAR', status: 'quarantine' },
    ]);
    expect(notReleased.body.message).toBe('Lot S-QUAR is quarantine, not released: it cannot be consumed.');
    const onHold = await produce({ output, inputs: [{ lotId: held.id, quantity: 2 }] });
    expect([onHold.status, onHold.body.code, onHold.body.details.status]).toEqual([409, 'lot_not_released', 'on_hold']);
    const old = await produce({ output, inputs: [{ lotId: expired.id, quantity: 0.2 }] });
    expect([old.status, old.body.code, old.body.details.lotNumber]).toEqual([409, 'lot_expired', 'R-OLD']);
    const tooMuch = await produce({ output, inputs: [{ lotId: sealLot.id, quantity: 46.5 }] });
    expect([tooMuch.status, tooMuch.body.code, tooMuch.body.details.remaining]).toEqual([409, 'insufficient_quantity', '46.000000']);
    const offBom = await produce({
      output,
      inputs: [
        { lotId: sealLot.id, quantity: 2 },
        { lotId: glueLot.id, quantity: 5 },
      ],
    });
    expect([offBom.status, offBom.body.code, offBom.body.details.lotNumber]).toEqual([422, 'not_on_bill_of_materials', 'G-001']);
    const twice = await produce({
      output,
      inputs: [
        { lotId: sealLot.id, quantity: 1 },
        { lotId: sealLot.id, quantity: 1 },
      ],
    });
    expect([twice.status, twice.body.code]).toEqual([400, 'validation_failed']);
    const byQa = await produce({ output, inputs: [{ lotId: sealLot.id, quantity: 2 }] }, qa);
    expect([byQa.status, byQa.body.code]).toEqual([403, 'not_authorised']);
    expect(await counts()).toEqual(before);
  });

  test('concurrent productions cannot over-consume one lot: those that fit succeed, the rest are refused with insufficient_quantity', async () => {
    const lot = await receive(seal.id, 'S-RACE', 10);
    await release(lot.id);
    const before = await counts();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        produce({ output: { itemId: assembly.id, lotNumber: `V-RACE-${i}`, quantity: 1 }, inputs: [{ lotId: lot.id, quantity: 3 }] }),
      ),
    );
    const statuses = attempts.map((a) => (a.status === 201 ? 'created' : a.body.code)).sort();
    expect(statuses).toEqual(['created', 'created', 'created', ...Array(5).fill('insufficient_quantity')]);
    const after = (await auditor.get(`/api/lots/${lot.id}`)).body;
    expect([after.remaining, after.status]).toEqual([1, 'released']);
    const now = await counts();
    const added = (table: string) => now[table]! - before[table]!;
    expect([added('production_records'), added('lot_genealogy'), added('lots')]).toEqual([3, 3, 3]);
  });

  test('rework makes a new lot from the old one, keeping its serial numbers; the traces follow it both ways with quantities and suppliers', async () => {
    await release(made.output.id);
    const rework = created(
      'rework',
      await produce({
        kind: 'rework',
        output: { itemId: pump.id, lotNumber: 'P-001-RW', quantity: 2, serialNumbers: ['SN-1', 'SN-2'] },
        inputs: [{ lotId: made.output.id, quantity: 2 }],
      }),
    );
    // Used up: its ledger says consumed, once, and it cannot be consumed again.
    const usedUp = (await auditor.get(`/api/lots/${made.output.id}`)).body;
    expect([usedUp.remaining, usedUp.status, usedUp.statusHistory.filter((e: any) => e.status === 'consumed').length]).toEqual([0, 'consumed', 1]);
    const again = await produce({
      kind: 'rework',
      output: { itemId: pump.id, lotNumber: 'P-001-RW2', quantity: 1, serialNumbers: ['SN-1'] },
      inputs: [{ lotId: made.output.id, quantity: 1 }],
    });
    expect([again.status, again.body.code, again.body.details.status]).toEqual([409, 'lot_not_released', 'consumed']);
    const stolenSerial = await produce({
      output: { itemId: pump.id, lotNumber: 'P-002', quantity: 1, serialNumbers: ['SN-1'] },
      inputs: [{ lotId: sealLot.id, quantity: 2 }],
    });
    expect([stolenSerial.status, stolenSerial.body.code]).toEqual([409, 'serial_exists']);

    const backward = await auditor.get(`/api/lots/${rework.output.id}/trace?direction=backward`);
    expect(backward.status).toBe(200);
    const byId = new Map<string, any>(backward.body.lots.map((l: any) => [l.id, l]));
    expect(backward.body.lots.map((l: any) => [l.lotNumber, l.depth])).toEqual([
      ['P-001-RW', 0],
      ['P-001', 1],
      ['S-001', 2],
      ['R-001', 2],
    ]);
    expect(backward.body.edges.map((e: any) => [byId.get(e.inputLotId).lotNumber, byId.get(e.outputLotId).lotNumber, e.quantity, e.depth]).sort()).toEqual([
      ['P-001', 'P-001-RW', 2, 1],
      ['R-001', 'P-001', 0.4, 2],
      ['S-001', 'P-001', 4, 2],
    ]);
    expect(byId.get(resinLot.id)).toMatchObject({ supplierName: 'Acme Polymers', supplierLotNumber: 'AP-7781', origin: 'received', producedBy: null });
    expect(byId.get(made.output.id).producedBy).toMatchObject({ id: made.id, workOrder: 'WO-2026-0815', workstation: 'Press line 2' });
    expect(backward.body.truncated).toBe(false);

    const forward = await auditor.get(`/api/lots/${resinLot.id}/trace?direction=forward`);
    expect(forward.body.lots.map((l: any) => [l.lotNumber, l.depth])).toEqual([
      ['R-001', 0],
      ['P-001', 1],
      ['P-001-RW', 2],
    ]);
    const shallow = await auditor.get(`/api/lots/${resinLot.id}/trace?direction=forward&maxDepth=1`);
    expect([shallow.body.lots.length, shallow.body.truncated]).toEqual([2, true]);

    for (const [path, status, code] of [
      [`/api/lots/${randomUUID()}/trace`, 404, 'unknown_lot'],
      [`/api/lots/${resinLot.id}/trace?maxDepth=0`, 400, 'validation_failed'],
      [`/api/lots/${resinLot.id}/trace?direction=sideways`, 400, 'validation_failed'],
      ['/api/lots/not-a-uuid/trace', 400, 'validation_failed'],
    ] as const) {
      const response = await auditor.get(path);
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status, code });
    }
  });

  test('attestflow trace prints the same genealogy from the command line', () => {
    const env = { DATABASE_URL: system.databaseUrl, DATA_DIR: system.dataDir };
    const forward = attestflow(['trace', 'R-001', '--item', 'RM-RESIN', '--forward'], env);
    expect(forward.code).toBe(0);
    expect(forward.output.trim().split('\n')).toEqual([
      'RM-RESIN rev A lot R-001 [released], from Acme Polymers (AP-7781)',
      '  FG-PUMP rev A lot P-001 [consumed] 0.4 kg, made by WO-2026-0815 at Press line 2',
      '    FG-PUMP rev A lot P-001-RW [quarantine] 2 pcs, made by WO-2026-0815 at Press line 2',
      'forward trace: 2 lots, 2 edges',
    ]);
    const unknown = attestflow(['trace', 'NO-SUCH-LOT'], env);
    expect([unknown.code, unknown.output.trim()]).toEqual([2, 'No lot NO-SUCH-LOT.']);
  });

  test('a trace that runs past its time bound is stopped and refused with trace_too_large', async () => {
    // Another session holds a lock the trace must wait for; statement_timeout counts the wait.
    const blocker = new Client({ connectionString: system.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE lot_genealogy IN ACCESS EXCLUSIVE MODE');
      const refusal = await traceLot(system.database, { lotId: resinLot.id, direction: 'forward', maxDepth: 10, timeoutMs: 200 }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(MaterialRefusal);
      expect((refusal as MaterialRefusal).code).toBe('trace_too_large');
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});

describe('append-only at the database', () => {
  test.each([
    ['UPDATE items', "UPDATE items SET description = 'edited'"],
    ['UPDATE lots', 'UPDATE lots SET quantity = quantity + 1'],
    ['DELETE lot_status_events', "DELETE FROM lot_status_events WHERE status = 'consumed'"],
    ['UPDATE lot_genealogy', 'UPDATE lot_genealogy SET quantity = 0.000001'],
    ['DELETE lot_genealogy', 'DELETE FROM lot_genealogy'],
    ['UPDATE production_records', "UPDATE production_records SET work_order = 'WO-X'"],
    ['DELETE bom_lines', 'DELETE FROM bom_lines'],
    ['DELETE lot_serials', 'DELETE FROM lot_serials'],
    ['TRUNCATE lot_status_events', 'TRUNCATE lot_status_events CASCADE'],
  ])('%s is refused, also in replica mode', async (_label, statement) => {
    const before = await counts();
    const client = new Client({ connectionString: system.databaseUrl });
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
