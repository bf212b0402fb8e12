// Nonconforming material (NCMR), end to end against the real services (PostgreSQL, the Temporal dev
// server, the API over HTTP): reported on lots, which go on hold at once → MRB review → each
// disposition (use as is with QA and engineering, return to supplier, scrap), the rework loop twice,
// cancellation that gives the lots their status back, a CAPA the MRB asks for, linked both ways. A held
// lot is neither consumed nor released by hand; refused reports create nothing; the closed NCMR has its
// sealed record PDF, which names the lots by their numbers.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { ProcessRecordView } from '../api/processes/process-record.view';
import { activeMeanings } from '../db/repositories';
import { PROCESS_DECLARATIONS } from '../processes/declarations';
import { processWorkflowId } from '../workflows/contracts/process-contracts';
import { addPerson } from './support/accounts';
import { signOff } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { tool, writeTemp } from './support/pdf-tools';
import { startTestSystem, type TestSystem } from './support/test-system';
import { PATIENCE_MS } from './support/patience';

let system: TestSystem;
let userIds: Record<string, string>;

/** The API's record view, with the content open for assertions. */
type RecordView = Omit<ProcessRecordView, 'content'> & { content: Record<string, any> };
type Response<T = any> = { status: number; body: T };

const SIGNERS = new Set(['mrb', 'qa', 'engineering']);
const sessions = new Map<string, HttpSession>();

/** One signed-in session per person for the whole file; signers have acknowledged the e-signature policy. */
async function as(username: string): Promise<HttpSession> {
  let session = sessions.get(username);
  if (!session) {
    session = SIGNERS.has(username) ? await system.people.signer(username) : await system.people.session(username);
    sessions.set(username, session);
  }
  return session;
}

/** The body of a successful response; a setup step that fails says what and why. */
function ok<T = RecordView>(what: string, response: Response, status = 200): T {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as T;
}

const ncmrPath = (id: string) => `/api/ncmrs/${id}`;

async function view(path: string, username = 'qa'): Promise<RecordView> {
  return ok(`GET ${path}`, await (await as(username)).get(path));
}

/** GETs `path` every 200 ms until `predicate` holds (PATIENCE_MS at most). */
async function until<T = RecordView>(path: string, predicate: (body: T) => boolean, what: string, username = 'qa'): Promise<T> {
  const session = await as(username);
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const response = await session.get<T>(path);
    if (response.status === 200 && predicate(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on ${path}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
    await sleep(200);
  }
}

async function sign(id: string, username: string, record: { version: number; contentHash: string }, meaning: string): Promise<Response> {
  const session = await as(username);
  return session.post(`${ncmrPath(id)}/sign`, signOff(system.people, session, username, record, meaning));
}

async function count(table: 'records' | 'lot_status_events' | 'production_records' | 'lots' | 'ncmr_lot_holds'): Promise<number> {
  const result = await system.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
  return result.rows[0]!.n;
}

const allowed = (record: RecordView, action: string) => (record.allowedActions ?? []).filter((a) => a.action === action);

// ---- the material: items, lots --------------------------------------------------------------------

let housing: { id: string };
let valve: { id: string };

async function lot(lotNumber: string, status: 'released' | 'quarantine' = 'released'): Promise<{ id: string; lotNumber: string }> {
  const received = ok<{ id: string; lotNumber: string }>(
    `receive ${lotNumber}`,
    await (await as('goods-in')).post('/api/lots', { itemId: housing.id, lotNumber, quantity: 100, supplierName: 'Acme Castings' }),
    201,
  );
  if (status === 'released') {
    ok('release', await (await as('qa')).post(`/api/lots/${received.id}/status-events`, { status: 'released', reason: 'Incoming inspection passed' }), 201);
  }
  return received;
}

const lotStatus = async (lotId: string): Promise<string> => ok<{ status: string }>('lot', await (await as('auditor')).get(`/api/lots/${lotId}`)).status;

/** The lot's status once the NCMR's effect has run (on entry and on every end, right after the transition). */
const lotBecomes = (lotId: string, status: string) => until<{ status: string }>(`/api/lots/${lotId}`, (l) => l.status === status, `lot status ${status}`);

// ---- the NCMR's steps -------------------------------------------------------------------------------

const report = (lots: { id: string }[], extra: object = {}) => ({
  title: 'Burrs on the sealing face of housing 4711',
  description: 'Incoming inspection found burrs on the sealing face of 40 of 100 housings.',
  detectionPoint: 'incoming',
  defectCode: 'VIS-DMG',
  lots: lots.map((l) => ({ lotId: l.id, nonconformingQuantity: 40 })),
  ...extra,
});

/** Reported by the initiator on `lots` (which go on hold) and submitted to the MRB. */
async function inMrbReview(lots: { id: string }[]): Promise<RecordView> {
  const created = ok('report', await (await as('initiator')).post('/api/ncmrs', report(lots)), 201);
  for (const l of lots) await lotBecomes(l.id, 'on_hold');
  return ok('submit the report', await (await as('initiator')).post(`${ncmrPath(created.id)}/submit`));
}

async function decide(id: string, dispositions: object[], extra: object = {}): Promise<RecordView> {
  return ok('MRB disposition', await (await as('mrb')).post(`${ncmrPath(id)}/submit`, { dispositions, ...extra }));
}

async function approve(record: RecordView, username: string): Promise<RecordView> {
  return ok<{ record: RecordView }>(`${username} approves`, await sign(record.id, username, record, 'approved')).record;
}

const REWORK_DUE = '2099-03-31T12:00:00.000Z';
const rework = (lotId: string, round: number) => ({
  lotId,
  decision: 'rework',
  reworkInstructions: `Deburr the sealing face (round ${round})`,
  reworkOwnerUsername: 'production',
  reworkDueAt: REWORK_DUE,
});

// ---- setup ----------------------------------------------------------------------------------------

beforeAll(async () => {
  system = await startTestSystem('ncmr');
  const admin = await system.session('admin');
  await addPerson(admin, system.people, { username: 'goods-in', roles: ['approver_supply_chain'], trained: false });
  const users = await system.database.db.execute(sql`SELECT id, username FROM users`);
  userIds = Object.fromEntries((users.rows as { id: string; username: string }[]).map((u) => [u.username, u.id]));
  const engineering = await as('engineering');
  const item = async (body: object) =>
    ok<{ id: string }>('item', await engineering.post('/api/items', { revision: 'A', serialised: false, billOfMaterials: [], ...body }), 201);
  housing = await item({ partNumber: 'CMP-HOUSING', description: 'Pump housing 4711, cast', unitOfMeasure: 'pcs', itemClass: 'component' });
  valve = await item({
    partNumber: 'SA-VALVE-4711',
    description: 'Valve subassembly',
    unitOfMeasure: 'pcs',
    itemClass: 'subassembly',
    billOfMaterials: [{ componentItemId: housing.id, quantityPer: 1 }],
  });
});
afterAll(() => system?.close());

// ---- dispositions -------------------------------------------------------------------------------

describe('signature meanings', () => {
  test('every meaning a process declaration offers is an active signature meaning (reinspected among them)', async () => {
    const offered = Object.values(PROCESS_DECLARATIONS).flatMap((definition) =>
      Object.values(definition.steps).flatMap((step) => (step.kind === 'signoff' ? Object.values(step.outcomes).map((o) => o.meaning) : [])),
    );
    expect(offered).toContain('reinspected');
    const active = await activeMeanings(system.database.db);
    expect([...new Set(offered)].filter((meaning) => !active.includes(meaning))).toEqual([]);
  });
});

describe('dispositions', () => {
  test('use as is: refused without a justification; MRB, QA and engineering sign; the quarantined lot ends released', async () => {
    const held = await lot('H-UAI', 'quarantine');
    const created = ok('report', await (await as('initiator')).post('/api/ncmrs', report([held])), 201);
    expect(created).toMatchObject({
      type: 'ncmr',
      status: 'reported',
      number: expect.stringMatching(/^NCMR-\d{4}-\d{4}$/),
      content: { defectCode: 'VIS-DMG', lots: [{ lotId: held.id, lotNumber: 'H-UAI', partNumber: 'CMP-HOUSING', nonconformingQuantity: '40', unit: 'pcs' }] },
      createdBy: userIds.initiator,
    });
    await lotBecomes(held.id, 'on_hold');
    const reviewing = ok('submit the report', await (await as('initiator')).post(`${ncmrPath(created.id)}/submit`));
    expect(reviewing.status).toBe('mrb_review');
    // The reporter does not decide: the MRB does.
    expect(allowed(await view(ncmrPath(created.id), 'initiator'), 'submit')).toEqual([]);

    const unjustified = await (await as('mrb')).post(`${ncmrPath(created.id)}/submit`, { dispositions: [{ lotId: held.id, decision: 'use_as_is' }] });
    expect(unjustified).toMatchObject({ status: 422, body: { code: 'incomplete_content', message: expect.stringContaining('justification') } });
    expect(await view(ncmrPath(created.id))).toMatchObject({ status: 'mrb_review', version: reviewing.version, contentHash: reviewing.contentHash });

    const justification = 'Burr height 0.05 mm is within the seal supplier’s tolerance; engineering analysis EA-2026-14.';
    const deciding = await decide(created.id, [{ lotId: held.id, decision: 'use_as_is', justification }]);
    expect(deciding.status).toBe('disposition_approval');
    expect(deciding.content.dispositions).toEqual([expect.objectContaining({ lotId: held.id, decision: 'use_as_is', justification })]);
    expect((deciding.quorum ?? []).map((q) => q.role).sort()).toEqual(['approver_engineering', 'mrb', 'qa']);

    const byMrb = await approve(deciding, 'mrb');
    expect(byMrb.status).toBe('disposition_approval');
    const byQa = await approve(byMrb, 'qa');
    expect(byQa.status).toBe('disposition_approval');
    expect(await lotStatus(held.id)).toBe('on_hold');
    const closed = await approve(byQa, 'engineering');
    expect(closed.status).toBe('closed');
    expect(closed.signatures.map((s) => s.meaning)).toEqual(['approved', 'approved', 'approved']);
    await lotBecomes(held.id, 'released');
  });

  test('return to supplier: the MRB signs alone and the lot ends rejected', async () => {
    const held = await lot('H-RTS');
    const reviewing = await inMrbReview([held]);
    const elsewhere = await lot('H-RTS-OTHER');
    const wrongLot = await (
      await as('mrb')
    ).post(`${ncmrPath(reviewing.id)}/submit`, {
      dispositions: [
        { lotId: held.id, decision: 'return_to_supplier', rmaNumber: 'RMA-88213' },
        { lotId: elsewhere.id, decision: 'scrap', scrapQuantity: 1 },
      ],
    });
    expect(wrongLot).toMatchObject({
      status: 422,
      body: { code: 'incomplete_content', message: expect.stringContaining('lot H-RTS-OTHER, which the report does not') },
    });
    const deciding = await decide(reviewing.id, [{ lotId: held.id, decision: 'return_to_supplier', rmaNumber: 'RMA-88213' }]);
    expect((deciding.quorum ?? []).map((q) => q.role)).toEqual(['mrb']);
    expect((await approve(deciding, 'mrb')).status).toBe('closed');
    const rejected = await lotBecomes(held.id, 'rejected');
    expect(rejected).toMatchObject({ status: 'rejected' });
  });

  test('scrap: the lot ends scrapped, and a scrapped lot cannot be reported again', async () => {
    const held = await lot('H-SCRAP');
    const reviewing = await inMrbReview([held]);
    const deciding = await decide(reviewing.id, [{ lotId: held.id, decision: 'scrap', scrapQuantity: 40 }]);
    expect((await approve(deciding, 'mrb')).status).toBe('closed');
    await lotBecomes(held.id, 'scrapped');
    const before = await count('records');
    const again = await (await as('initiator')).post('/api/ncmrs', report([held]));
    expect(again).toMatchObject({ status: 409, body: { code: 'transition_not_allowed', details: { lotNumber: 'H-SCRAP' } } });
    expect(await count('records')).toBe(before);
  });
});

describe('the rework loop', () => {
  test('twice: MRB → approval → rework task done by its owner → re-inspection signed by QA → back to MRB; then a final disposition closes it', async () => {
    const held = await lot('H-RW');
    let record = await inMrbReview([held]);
    for (const round of [1, 2]) {
      const deciding = await decide(record.id, [rework(held.id, round)]);
      expect(deciding.content.dispositions).toEqual([
        expect.objectContaining({ decision: 'rework', reworkOwnerId: userIds.production, reworkOwnerName: 'Pedro Rossi', reworkDueAt: REWORK_DUE }),
      ]);
      const reworking = await approve(deciding, 'mrb');
      expect(reworking.status).toBe('actions');
      const tasks = reworking.openTasks.filter((t) => t.action === 'complete');
      expect(tasks).toEqual([
        expect.objectContaining({ step: 'actions', assigneeUserId: userIds.production, title: expect.stringContaining('H-RW'), dueAt: REWORK_DUE }),
      ]);
      // Only its owner completes the rework task.
      const byOther = await (await as('engineering')).post(`${ncmrPath(record.id)}/tasks/${tasks[0]!.id}/complete`, { note: 'Not mine.' });
      expect(byOther).toMatchObject({ status: 403, body: { code: 'not_authorised' } });
      const reworked = ok(
        'complete the rework',
        await (await as('production')).post(`${ncmrPath(record.id)}/tasks/${tasks[0]!.id}/complete`, { note: `Deburred, round ${round}.` }),
      );
      expect(reworked.status).toBe('re_inspection');
      expect(await lotStatus(held.id)).toBe('on_hold');
      expect(allowed(reworked, 'sign')).toEqual([]);
      const qaView = await view(ncmrPath(record.id), 'qa');
      expect(allowed(qaView, 'sign')).toEqual([expect.objectContaining({ step: 're_inspection', meaning: 'reinspected', role: 'qa' })]);
      const reinspected = ok<{ signature: { meaning: string }; record: RecordView }>('re-inspect', await sign(record.id, 'qa', qaView, 'reinspected'));
      expect(reinspected.signature.meaning).toBe('reinspected');
      expect(reinspected.record.status).toBe('mrb_review');
      record = reinspected.record;
    }
    const final = await decide(record.id, [{ lotId: held.id, decision: 'return_to_supplier', rmaNumber: 'RMA-90001' }]);
    const closed = await approve(final, 'mrb');
    expect(closed.status).toBe('closed');
    expect(closed.history.map((h) => h.to)).toEqual([
      'reported',
      'mrb_review',
      'disposition_approval',
      'actions',
      're_inspection',
      'mrb_review',
      'disposition_approval',
      'actions',
      're_inspection',
      'mrb_review',
      'disposition_approval',
      'closed',
    ]);
    expect(closed.signatures.filter((s) => s.meaning === 'reinspected')).toHaveLength(2);
    await lotBecomes(held.id, 'rejected');
  });
});

describe('cancellation', () => {
  test('QA cancels with a reason: the hold is lifted and each lot has its previous status back', async () => {
    const released = await lot('H-CANCEL-R');
    const quarantined = await lot('H-CANCEL-Q', 'quarantine');
    const reviewing = await inMrbReview([released, quarantined]);
    const refused = await (await as('qa')).post(`${ncmrPath(reviewing.id)}/cancel`, {});
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    const reason = 'Reported against the wrong lots; a new report follows.';
    const cancelled = ok('cancel', await (await as('qa')).post(`${ncmrPath(reviewing.id)}/cancel`, { reason }));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history.at(-1)).toMatchObject({ from: 'mrb_review', to: 'cancelled', reason });
    await lotBecomes(released.id, 'released');
    await lotBecomes(quarantined.id, 'quarantine');
    // The lot is free again: a new NCMR may hold it.
    const next = ok('report again', await (await as('initiator')).post('/api/ncmrs', report([released])), 201);
    await lotBecomes(released.id, 'on_hold');
    ok('cancel the new one', await (await as('qa')).post(`${ncmrPath(next.id)}/cancel`, { reason: 'Test over.' }));
    await lotBecomes(released.id, 'released');
  });
});

describe('a CAPA started from an NCMR', () => {
  test('the MRB asks for a CAPA in its review; at closure the CAPA exists, linked both ways', async () => {
    const held = await lot('H-CAPA');
    const reviewing = await inMrbReview([held]);
    const capa = { title: 'Recurring burrs on cast housings', description: 'Third NCMR on burrs this quarter: find the cause at the foundry.' };
    const deciding = await decide(reviewing.id, [{ lotId: held.id, decision: 'scrap', scrapQuantity: 40 }], { capa });
    expect(deciding.content.capa).toEqual(capa);
    ok('approve', await sign(deciding.id, 'mrb', deciding, 'approved'));
    const closed = await until(ncmrPath(deciding.id), (r) => r.status === 'closed', 'closed');
    expect(closed.history.map((h) => h.to)).toEqual(['reported', 'mrb_review', 'disposition_approval', 'opening_capa', 'closed']);
    await lotBecomes(held.id, 'scrapped');

    const [link] = closed.links;
    expect(closed.links).toEqual([
      expect.objectContaining({ relation: 'resulting_capa', direction: 'to', type: 'capa', number: expect.stringMatching(/^CAPA-/) }),
    ]);
    const child = await view(`/api/capas/${link!.recordId}`);
    expect(child).toMatchObject({
      type: 'capa',
      status: 'initiated',
      content: expect.objectContaining({ title: capa.title, description: capa.description, source: expect.objectContaining({ kind: 'ncmr' }) }),
    });
    expect(child.content.source.reference).toContain('H-CAPA');
    expect(child.links).toEqual([
      expect.objectContaining({ relation: 'resulting_capa', direction: 'from', recordId: closed.id, number: closed.number, type: 'ncmr' }),
    ]);
  });
});

describe('a held lot', () => {
  test('is not consumed by production, nor released by hand; both refusals name the lot or the NCMR and change nothing', async () => {
    const held = await lot('H-HELD');
    const reviewing = await inMrbReview([held]);
    const before = { events: await count('lot_status_events'), productions: await count('production_records'), lots: await count('lots') };

    const consumed = await (
      await as('production')
    ).post('/api/production-records', {
      workOrder: 'WO-2026-0901',
      workstation: 'Assembly cell 3',
      parameters: [],
      output: { itemId: valve.id, lotNumber: 'V-FROM-HELD', quantity: 1 },
      inputs: [{ lotId: held.id, quantity: 1 }],
    });
    expect(consumed).toMatchObject({
      status: 409,
      body: { code: 'lot_not_released', details: { lotId: held.id, lotNumber: 'H-HELD', status: 'on_hold' }, message: expect.stringContaining('H-HELD') },
    });

    const releasedByHand = await (await as('qa')).post(`/api/lots/${held.id}/status-events`, { status: 'released', reason: 'Looks fine to me' });
    expect(releasedByHand).toMatchObject({
      status: 409,
      body: {
        code: 'lot_held_by_record',
        details: { heldByRecordId: reviewing.id, heldByRecordNumber: reviewing.number },
        message: expect.stringContaining(reviewing.number),
      },
    });
    // Naming the NCMR as the cause does not lift its hold either: only its disposition or end does.
    const namingTheNcmr = await (
      await as('qa')
    ).post(`/api/lots/${held.id}/status-events`, { status: 'released', reason: 'By the NCMR', recordId: reviewing.id });
    expect(namingTheNcmr).toMatchObject({ status: 409, body: { code: 'lot_held_by_record' } });

    expect({ events: await count('lot_status_events'), productions: await count('production_records'), lots: await count('lots') }).toEqual(before);
    expect(await lotStatus(held.id)).toBe('on_hold');
    ok('cancel', await (await as('mrb')).post(`${ncmrPath(reviewing.id)}/cancel`, { reason: 'Test over.' }));
    await lotBecomes(held.id, 'released');
  });

  test('a second NCMR on it is refused with 409 lot_held before any record is created', async () => {
    const held = await lot('H-TWICE');
    const other = await lot('H-TWICE-OTHER');
    const first = await inMrbReview([held]);
    const before = { records: await count('records'), holds: await count('ncmr_lot_holds') };
    const second = await (await as('initiator')).post('/api/ncmrs', report([other, held]));
    expect(second).toMatchObject({
      status: 409,
      body: {
        code: 'lot_held',
        details: { lotId: held.id, lotNumber: 'H-TWICE', heldByRecordNumber: first.number },
        message: expect.stringContaining(first.number),
      },
    });
    expect({ records: await count('records'), holds: await count('ncmr_lot_holds') }).toEqual(before);
    expect(await lotStatus(other.id)).toBe('released');
    ok('cancel', await (await as('qa')).post(`${ncmrPath(first.id)}/cancel`, { reason: 'Test over.' }));
  });
});

describe('bad reports create nothing', () => {
  test('an unknown defect code is refused with 422 unknown_defect_code, an unknown lot with 404 unknown_lot', async () => {
    const free = await lot('H-FREE');
    const before = { records: await count('records'), events: await count('lot_status_events'), holds: await count('ncmr_lot_holds') };
    const unknownCode = await (await as('initiator')).post('/api/ncmrs', report([free], { defectCode: 'NO-SUCH-CODE' }));
    expect(unknownCode).toMatchObject({ status: 422, body: { code: 'unknown_defect_code', message: expect.stringContaining('NO-SUCH-CODE') } });
    const missingLot = randomUUID();
    const unknownLot = await (await as('initiator')).post('/api/ncmrs', report([free, { id: missingLot }]));
    expect(unknownLot).toMatchObject({ status: 404, body: { code: 'unknown_lot', details: { lotId: missingLot } } });
    expect({ records: await count('records'), events: await count('lot_status_events'), holds: await count('ncmr_lot_holds') }).toEqual(before);
    expect(await lotStatus(free.id)).toBe('released');
  });
});

describe('the closed NCMR', () => {
  test('has its sealed controlled-record PDF, in which the lots carry readable labels', async () => {
    const held = await lot('H-PDF-0815');
    const reviewing = await inMrbReview([held]);
    const deciding = await decide(reviewing.id, [{ lotId: held.id, decision: 'return_to_supplier', rmaNumber: 'RMA-PDF-77' }]);
    ok('approve', await sign(deciding.id, 'mrb', deciding, 'approved'));
    await system.temporal.workflow.getHandle(processWorkflowId(deciding.id)).result();

    const auditor = await as('auditor');
    const response = await fetch(`${system.baseUrl}/api/records/${deciding.id}/pdf`, { headers: { cookie: auditor.cookie ?? '' } });
    expect(response.status).toBe(200);
    const dir = fs.mkdtempSync(path.join(system.dataDir, 'ncmr-pdf-'));
    const file = writeTemp(dir, 'ncmr.pdf', Buffer.from(await response.arrayBuffer()));
    expect(tool('pdfsig', [file]).output).toContain('Signature is Valid.');
    const text = tool('pdftotext', ['-layout', file, '-']).output.replace(/\s+/g, ' ');
    expect(text).toContain(deciding.number);
    expect(text).toContain('Nonconforming material');
    expect(text).toContain('Nonconforming quantity');
    expect(text).toContain('RMA number');
    expect(text).toContain('H-PDF-0815');
    expect(text).toContain('CMP-HOUSING');
    expect(text).toContain('Mira Bauer');
    // The disposition names its lot by number, as the report does, not by its id alone.
    const dispositions = text.slice(text.indexOf('Dispositions 1 item'), text.indexOf('State history'));
    expect(dispositions).toContain('Lot number H-PDF-0815');
    expect(dispositions).toContain('RMA number RMA-PDF-77');
    expect(text).toContain('CAPA to open');
  });
});

describe('a dossier by lot', () => {
  const dossiers = async () => (await system.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM dossiers`)).rows[0]!.n;
  const requestByLot = async (selection: { lot: string; item?: string }) =>
    (await as('auditor')).post('/api/dossiers', { title: `Lot ${selection.lot}`, selection });

  test('holds the records on the lot and on every lot of its genealogy; an unknown, ambiguous or recordless lot requests nothing', async () => {
    // D-INPUT (a housing) went into D-OUTPUT (a valve); an NCMR holds the valve lot.
    const input = await lot('D-INPUT');
    const made = ok<{ output: { id: string } }>(
      'produce',
      await (
        await as('production')
      ).post('/api/production-records', {
        workOrder: 'WO-2026-0950',
        workstation: 'Assembly cell 3',
        parameters: [],
        output: { itemId: valve.id, lotNumber: 'D-OUTPUT', quantity: 50 },
        inputs: [{ lotId: input.id, quantity: 50 }],
      }),
      201,
    );
    const reviewing = await inMrbReview([{ id: made.output.id }]);

    // Forward from the input lot, the NCMR on the lot it went into.
    const byInput = await requestByLot({ lot: 'D-INPUT' });
    expect(byInput).toMatchObject({ status: 201, body: { recordNumbers: [reviewing.number] } });
    // A housing lot with the valve lot's number: the lot number alone is ambiguous, the part number decides.
    await lot('D-OUTPUT');
    const before = await dossiers();
    const ambiguous = await requestByLot({ lot: 'D-OUTPUT' });
    expect(ambiguous).toMatchObject({ status: 422, body: { code: 'ambiguous_lot', details: { partNumbers: ['CMP-HOUSING', 'SA-VALVE-4711'] } } });
    expect((await requestByLot({ lot: 'D-NOWHERE' })).body).toMatchObject({ code: 'unknown_lot', message: expect.stringContaining('D-NOWHERE') });
    await lot('D-QUIET');
    expect(await requestByLot({ lot: 'D-QUIET' })).toMatchObject({ status: 400, body: { code: 'empty_selection' } });
    expect(await dossiers()).toBe(before);
    const byOutput = await requestByLot({ lot: 'D-OUTPUT', item: 'SA-VALVE-4711' });
    expect(byOutput).toMatchObject({ status: 201, body: { recordNumbers: [reviewing.number] } });

    ok('cancel', await (await as('mrb')).post(`${ncmrPath(reviewing.id)}/cancel`, { reason: 'Test over.' }));
  });
});
