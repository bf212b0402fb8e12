// The managed list of defect codes through the API (issue 12, section 3): everyone reads the active
// codes; an administrator adds, re-describes and retires them, each with a reason, audited; a retired
// code is refused by a new NCMR but stays on the records that name it; refusals change nothing, and
// the list is append-only (an old description stays in the table).
import { sql } from 'drizzle-orm';
import { DEFECT_CODES } from '../db/seed-demo';
import { addPerson } from './support/accounts';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let admin: HttpSession;
let qa: HttpSession;
let initiator: HttpSession;
let auditor: HttpSession;
let mrb: HttpSession;
let engineering: HttpSession;
let receiving: HttpSession;

beforeAll(async () => {
  system = await startTestSystem('defect_codes');
  admin = await system.session('admin');
  await addPerson(admin, system.people, { username: 'goods-in', roles: ['approver_supply_chain'], trained: false });
  qa = await system.session('qa');
  initiator = await system.session('initiator');
  auditor = await system.session('auditor');
  mrb = await system.session('mrb');
  engineering = await system.session('engineering');
  receiving = await system.session('goods-in');
});
afterAll(() => system?.close());

/** Rows of the list's table and of the audit trail: a refusal leaves both as they were. */
async function counts(): Promise<{ defectCodes: number; auditEvents: number }> {
  const rows = await system.database.db.execute<{ d: number; a: number }>(
    sql`SELECT (SELECT count(*)::int FROM defect_codes) AS d, (SELECT count(*)::int FROM audit_events) AS a`,
  );
  return { defectCodes: rows.rows[0]!.d, auditEvents: rows.rows[0]!.a };
}

function expectStatus(what: string, response: { status: number; body: any }, status: number): any {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

let lotSeq = 0;
/** A lot received (in quarantine) through the API, as test/lots.test.ts makes them. */
async function receivedLot(itemId: string): Promise<string> {
  lotSeq += 1;
  const lot = expectStatus(
    'receive',
    await receiving.post('/api/lots', { itemId, lotNumber: `L-DC-${lotSeq}`, quantity: 100, supplierName: 'Acme Polymers' }),
    201,
  );
  return lot.id as string;
}

const ncmr = (defectCode: string, lotId: string) => ({
  title: 'Burrs on the sealing face',
  description: 'Found at incoming inspection',
  detectionPoint: 'incoming',
  defectCode,
  lots: [{ lotId, nonconformingQuantity: 10 }],
});

describe('reading the list', () => {
  test('every signed-in person reads the active codes with their descriptions, by code', async () => {
    for (const session of [initiator, auditor, admin]) {
      const body = expectStatus('list', await session.get('/api/defect-codes'), 200) as any[];
      expect(body.map((c) => c.code)).toEqual(DEFECT_CODES.map((c) => c.code).sort());
      expect(body.find((c) => c.code === 'DIM-OOT')).toEqual({ code: 'DIM-OOT', description: 'Dimension out of tolerance', active: true, version: 1 });
    }
  });

  test('nobody signed in is refused; a bad query is 400', async () => {
    const anonymous = await system.session();
    expect((await anonymous.get('/api/defect-codes')).status).toBe(401);
    const bad = await initiator.get('/api/defect-codes?includeRetired=yes');
    expect(bad).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});

describe('managing the list', () => {
  test('an administrator adds a code with a reason; it is audited and offered at once', async () => {
    const added = expectStatus(
      'add',
      await admin.post('/api/admin/defect-codes', { code: 'SURF-BURR', description: 'Surface: burrs', reason: 'New failure mode seen at goods-in' }),
      201,
    );
    expect(added).toEqual({ code: 'SURF-BURR', description: 'Surface: burrs', active: true, version: 1 });
    const list = (await initiator.get('/api/defect-codes')).body as any[];
    expect(list.find((c) => c.code === 'SURF-BURR')).toEqual(added);
    const events = await system.database.db.execute<{ action: string; reason: string; new_value: any; actor_name: string }>(
      sql`SELECT action, reason, new_value, actor_name FROM audit_events WHERE entity_type = 'defect_code' AND entity_id = 'SURF-BURR' ORDER BY seq`,
    );
    expect(events.rows).toEqual([
      {
        action: 'defect_code.added',
        reason: 'New failure mode seen at goods-in',
        new_value: { description: 'Surface: burrs', active: true, seq: 1 },
        actor_name: 'Adrian Miles',
      },
    ]);
  });

  test('a new description is a new version; the old one stays in the table (append-only)', async () => {
    const changed = expectStatus(
      'describe anew',
      await admin.post('/api/admin/defect-codes', { code: 'SURF-BURR', description: 'Surface: burrs or sharp edges', reason: 'Wording agreed with the MRB' }),
      201,
    );
    expect(changed).toEqual({ code: 'SURF-BURR', description: 'Surface: burrs or sharp edges', active: true, version: 2 });
    const rows = await system.database.db.execute<{ seq: number; description: string; active: boolean; reason: string }>(
      sql`SELECT seq, description, active, reason FROM defect_codes WHERE code = 'SURF-BURR' ORDER BY seq`,
    );
    expect(rows.rows).toEqual([
      { seq: 1, description: 'Surface: burrs', active: true, reason: 'New failure mode seen at goods-in' },
      { seq: 2, description: 'Surface: burrs or sharp edges', active: true, reason: 'Wording agreed with the MRB' },
    ]);
    const [event] = (
      await system.database.db.execute<{ action: string; old_value: any }>(
        sql`SELECT action, old_value FROM audit_events WHERE entity_type = 'defect_code' AND entity_id = 'SURF-BURR' ORDER BY seq DESC LIMIT 1`,
      )
    ).rows;
    expect(event).toEqual({ action: 'defect_code.changed', old_value: { description: 'Surface: burrs', active: true } });
    await expect(system.database.db.execute(sql`UPDATE defect_codes SET description = 'edited' WHERE code = 'SURF-BURR'`)).rejects.toThrow();
    await expect(system.database.db.execute(sql`DELETE FROM defect_codes WHERE code = 'SURF-BURR'`)).rejects.toThrow();
  });

  test('bad input is 400 with a code, and changes nothing', async () => {
    const before = await counts();
    const bad: Record<string, unknown>[] = [
      { code: 'surf-low', description: 'Lower case code', reason: 'Because' },
      { code: 'SURF-X', description: 'No reason given' },
      { code: 'SURF-X', description: 'Blank reason', reason: '   ' },
      { code: 'SURF-X', description: '  ', reason: 'Blank description' },
      { code: 'SURF-X', description: 'Unknown field', reason: 'Because', active: false },
      { code: 'A'.repeat(33), description: 'Too long a code', reason: 'Because' },
    ];
    for (const body of bad) {
      const response = await admin.post('/api/admin/defect-codes', body);
      expect({ sent: body, status: response.status, code: response.body?.code }).toEqual({ sent: body, status: 400, code: 'validation_failed' });
    }
    const controlCharacter = await admin.post('/api/admin/defect-codes', { code: 'SURF-X', description: 'Null\u0000byte', reason: 'Because' });
    expect(controlCharacter).toMatchObject({ status: 400, body: { code: 'control_character' } });
    expect(await admin.post('/api/admin/defect-codes/not%20a%20code/retire', { reason: 'Because' })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await admin.post('/api/admin/defect-codes/DIM-OOT/retire', {})).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await counts()).toEqual(before);
    expect((await initiator.get('/api/defect-codes')).body.find((c: any) => c.code === 'DIM-OOT').active).toBe(true);
  });

  test('changes that change nothing, and unknown codes, are refused and record nothing', async () => {
    const before = await counts();
    expect(
      await admin.post('/api/admin/defect-codes', { code: 'SURF-BURR', description: 'Surface: burrs or sharp edges', reason: 'Same again' }),
    ).toMatchObject({ status: 409, body: { code: 'defect_code_unchanged' } });
    expect(await admin.post('/api/admin/defect-codes/NO-SUCH/retire', { reason: 'Not on the list' })).toMatchObject({
      status: 404,
      body: { code: 'not_found', details: { defectCode: 'NO-SUCH' } },
    });
    expect(await counts()).toEqual(before);
  });

  test('only an administrator manages the list (403 for QA, the MRB, an initiator and an auditor), and a refusal changes nothing', async () => {
    const before = await counts();
    for (const session of [qa, mrb, initiator, auditor]) {
      expect(await session.post('/api/admin/defect-codes', { code: 'SURF-PIT', description: 'Surface: pitting', reason: 'Try' })).toMatchObject({
        status: 403,
        body: { code: 'not_authorised' },
      });
      expect(await session.post('/api/admin/defect-codes/DIM-OOT/retire', { reason: 'Try' })).toMatchObject({
        status: 403,
        body: { code: 'not_authorised' },
      });
    }
    expect(await counts()).toEqual(before);
    expect(((await initiator.get('/api/defect-codes')).body as any[]).map((c) => c.code)).not.toContain('SURF-PIT');
  });
});

describe('retiring a code', () => {
  let itemId: string;
  let earlier: { id: string };

  beforeAll(async () => {
    const item = expectStatus(
      'item',
      await engineering.post('/api/items', {
        partNumber: 'HSG-DC',
        revision: 'A',
        description: 'Pump housing, machined',
        unitOfMeasure: 'pcs',
        itemClass: 'component',
        serialised: false,
        billOfMaterials: [],
      }),
      201,
    );
    itemId = item.id;
    earlier = expectStatus('NCMR before the retirement', await initiator.post('/api/ncmrs', ncmr('VIS-DMG', await receivedLot(itemId))), 201);
  });

  test('a retired code is refused by a new NCMR (422 unknown_defect_code), changes nothing, and stays readable', async () => {
    const retired = expectStatus('retire', await admin.post('/api/admin/defect-codes/VIS-DMG/retire', { reason: 'Split into VIS-CRACK and VIS-DENT' }), 200);
    expect(retired).toEqual({ code: 'VIS-DMG', description: 'Visual: damaged, cracked or deformed', active: false, version: 2 });

    const lotId = await receivedLot(itemId);
    const before = await counts();
    const refused = await initiator.post('/api/ncmrs', ncmr('VIS-DMG', lotId));
    expect(refused).toMatchObject({ status: 422, body: { code: 'unknown_defect_code', details: { defectCode: 'VIS-DMG', retired: true } } });
    expect(await counts()).toEqual(before);
    expect((await qa.get(`/api/lots/${lotId}`)).body.status).toBe('quarantine');
    // The same report with an active code is accepted: the retirement is what refused it.
    expectStatus('NCMR with an active code', await initiator.post('/api/ncmrs', ncmr('VIS-CONT', lotId)), 201);

    expect(((await initiator.get('/api/defect-codes')).body as any[]).map((c) => c.code)).not.toContain('VIS-DMG');
    const all = expectStatus('list with retired', await auditor.get('/api/defect-codes?includeRetired=true'), 200) as any[];
    expect(all.find((c) => c.code === 'VIS-DMG')).toEqual(retired);
    const old = expectStatus('the earlier NCMR', await auditor.get(`/api/ncmrs/${earlier.id}`), 200);
    expect(old.content.defectCode).toBe('VIS-DMG');
  });

  test('retiring it again is 409 and records nothing; bringing it back is a new version', async () => {
    const before = await counts();
    expect(await admin.post('/api/admin/defect-codes/VIS-DMG/retire', { reason: 'Twice' })).toMatchObject({
      status: 409,
      body: { code: 'defect_code_unchanged' },
    });
    expect(await counts()).toEqual(before);
    const back = expectStatus(
      'bring back',
      await admin.post('/api/admin/defect-codes', { code: 'VIS-DMG', description: 'Visual: damaged or deformed', reason: 'Split withdrawn' }),
      201,
    );
    expect(back).toEqual({ code: 'VIS-DMG', description: 'Visual: damaged or deformed', active: true, version: 3 });
    const rows = await system.database.db.execute<{ seq: number; active: boolean }>(
      sql`SELECT seq, active FROM defect_codes WHERE code = 'VIS-DMG' ORDER BY seq`,
    );
    expect(rows.rows).toEqual([
      { seq: 1, active: true },
      { seq: 2, active: false },
      { seq: 3, active: true },
    ]);
  });
});
