// CAPA, end to end against the real services (PostgreSQL, Temporal dev server, the API over HTTP):
// initiated → investigation → plan approval → implementation (tasks, and a change control per action
// that names one) → durable effectiveness wait → effectiveness check → closed, or reopened.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { insertUser } from '../db/repositories';
import { hashPassword } from '../signatures';
import { signOff, SMALL_IMPACT } from './support/change-control-thread';
import type { ProcessRecordView } from '../api/processes/process-record.view';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';
import { PATIENCE_MS } from './support/patience';

/** The effectiveness wait, configured in seconds instead of the plant's 90 days. */
const EFFECTIVENESS_WAIT_MS = 3_000;

let system: TestSystem;
let userIds: Record<string, string>;

beforeAll(async () => {
  system = await startTestSystem('capa', { env: { CAPA_EFFECTIVENESS_WAIT: `${EFFECTIVENESS_WAIT_MS / 1000}s` } });
  const result = await system.database.db.execute(sql`SELECT id, username FROM users`);
  userIds = Object.fromEntries((result.rows as { id: string; username: string }[]).map((u) => [u.username, u.id]));
});
afterAll(() => system?.close());

// ---- views ---------------------------------------------------------------------------------------

/** The API's record view, with the content open for assertions. */
type RecordView = Omit<ProcessRecordView, 'content'> & { content: Record<string, any> };

interface AuditEvent {
  action: string;
  reason: string | null;
  entityId: string;
}

type Response<T = any> = { status: number; body: T };

// ---- sessions and requests -----------------------------------------------------------------------

const SIGNERS = new Set(['qa', 'qa2']);
const sessions = new Map<string, HttpSession>();

/** One signed-in session per person for the whole file; QA people have acknowledged the e-signature policy. */
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

const capaPath = (id: string) => `/api/capas/${id}`;
const changePath = (id: string) => `/api/change-controls/${id}`;

async function view(path: string, username = 'qa'): Promise<RecordView> {
  return ok(`GET ${path}`, await (await as(username)).get(path));
}

/** GETs `path` every 250 ms until `predicate` holds (PATIENCE_MS at most). */
async function until(path: string, predicate: (record: RecordView) => boolean, what: string, username = 'qa'): Promise<RecordView> {
  const session = await as(username);
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const response = await session.get<RecordView>(path);
    if (response.status === 200 && predicate(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on ${path}: ${response.status} status=${JSON.stringify(response.body?.status)}`);
    await sleep(250);
  }
}

const untilStatus = (path: string, status: string, username = 'qa') => until(path, (r) => r.status === status, `status ${status}`, username);

async function sign(path: string, username: string, record: { version: number; contentHash: string }, meaning: string): Promise<Response> {
  const session = await as(username);
  return session.post(`${path}/sign`, signOff(system.people, session, username, record, meaning));
}

async function reject(path: string, username: string, record: { version: number; contentHash: string }, reason: string): Promise<Response> {
  const session = await as(username);
  return session.post(`${path}/reject`, {
    signatureId: randomUUID(),
    ...system.people.credentials(session, username),
    recordVersion: record.version,
    contentHash: record.contentHash,
    reason,
  });
}

async function audit(id: string): Promise<AuditEvent[]> {
  return ok<AuditEvent[]>('audit', await (await as('qa')).get(`/api/records/${id}/audit`));
}

async function countRecords(): Promise<number> {
  const result = await system.database.db.execute(sql`SELECT count(*)::int AS n FROM records`);
  return (result.rows[0] as { n: number }).n;
}

/** The `missing` actions of `expected` when it is not a subsequence of `actual`. */
function missingFromSubsequence(actual: string[], expected: string[]): string[] {
  let next = 0;
  for (const action of actual) if (action === expected[next]) next += 1;
  return expected.slice(next);
}

const allowed = (record: RecordView, action: string) => (record.allowedActions ?? []).filter((a) => a.action === action);
const tasksOf = (record: RecordView, username: string) => record.openTasks.filter((t) => t.action === 'complete' && t.assigneeUserId === userIds[username]);

// ---- content -------------------------------------------------------------------------------------

const NEW_CAPA = {
  title: 'Seal leaks on housing 4711',
  description: 'Three customers report coolant leaking at the housing seal after about 200 operating hours.',
  source: { kind: 'complaint', reference: 'COMPL-2026-0117' },
};

const INVESTIGATION = { rootCause: 'The seal groove is machined 0.2 mm too shallow; the O-ring is over-compressed and cracks.', method: '5 Whys' };

const PLAIN_ACTION = { title: 'Retrain assembly staff on seal seating', ownerUsername: 'production' };

const CHANGE_ACTION = {
  title: 'Correct the seal groove depth on the drawing',
  ownerUsername: 'engineering',
  changeControl: {
    title: 'Deepen seal groove on housing 4711 by 0.2 mm',
    description: 'Drawing 4711-01 rev C: groove depth 2.4 mm instead of 2.2 mm.',
    reason: 'CAPA root cause: O-ring over-compression.',
    riskLevel: 'medium',
  },
};

// ---- scenarios -----------------------------------------------------------------------------------

async function createCapa(author = 'initiator', body: object = NEW_CAPA): Promise<RecordView> {
  return ok('create CAPA', await (await as(author)).post('/api/capas', body), 201);
}

async function capaInInvestigation(author = 'initiator'): Promise<RecordView> {
  const created = await createCapa(author);
  return ok('submit the problem', await (await as(author)).post(`${capaPath(created.id)}/submit`));
}

async function capaAwaitingPlanApproval(actions: object[], author = 'initiator'): Promise<RecordView> {
  const capa = await capaInInvestigation(author);
  return ok('submit the investigation', await (await as(author)).post(`${capaPath(capa.id)}/submit`, { investigation: INVESTIGATION, actions }));
}

async function capaInImplementation(actions: object[], author = 'initiator'): Promise<RecordView> {
  const planned = await capaAwaitingPlanApproval(actions, author);
  return ok<{ record: RecordView }>('approve the plan', await sign(capaPath(planned.id), 'qa', planned, 'approved')).record;
}

async function completeTask(record: RecordView, username: string): Promise<Response<RecordView>> {
  const [task] = tasksOf(record, username);
  if (!task) throw new Error(`${record.number} has no open task for ${username}`);
  return (await as(username)).post(`${capaPath(record.id)}/tasks/${task.id}/complete`, { note: `Done by ${username}.` });
}

/** A CAPA with one plain action, carried out, the effectiveness wait elapsed. */
async function capaAtEffectivenessCheck(): Promise<RecordView> {
  const implementing = await capaInImplementation([PLAIN_ACTION]);
  ok('complete the action', await completeTask(implementing, 'production'));
  return untilStatus(capaPath(implementing.id), 'effectiveness_check');
}

/** The change control a CAPA action started, once the child process has written it. */
async function resultingChange(capaId: string): Promise<string> {
  const capa = await until(capaPath(capaId), (r) => r.links.some((l) => l.relation === 'resulting_change'), 'a resulting change control');
  return capa.links.find((l) => l.relation === 'resulting_change')!.recordId;
}

// ---- tests ---------------------------------------------------------------------------------------

describe('CAPA main path', () => {
  test('complaint → investigation → approved plan → actions and a child change control → timed effectiveness check → closed', async () => {
    // Created by the initiator from a complaint, submitted into investigation.
    const created = await createCapa();
    expect(created).toMatchObject({
      type: 'capa',
      status: 'initiated',
      version: 1,
      number: expect.stringMatching(/^CAPA-\d{4}-\d{4}$/),
      content: { title: NEW_CAPA.title, source: NEW_CAPA.source, investigation: null, actions: [] },
      createdBy: userIds.initiator,
    });
    const id = created.id;
    const investigating = ok('submit the problem', await (await as('initiator')).post(`${capaPath(id)}/submit`));
    expect(investigating.status).toBe('investigation');

    // The investigation and a two-action plan: a plain task and one that starts a change control.
    const planned = ok(
      'submit the investigation',
      await (await as('initiator')).post(`${capaPath(id)}/submit`, { investigation: INVESTIGATION, actions: [PLAIN_ACTION, CHANGE_ACTION] }),
    );
    expect(planned.status).toBe('plan_approval');
    expect(planned.version).toBeGreaterThan(investigating.version);
    expect(planned.content.investigation).toEqual(INVESTIGATION);
    expect(planned.content.actions).toEqual([
      expect.objectContaining({ key: 'action-1', title: PLAIN_ACTION.title, ownerId: userIds.production, ownerName: 'Pedro Rossi', changeControl: null }),
      expect.objectContaining({ key: 'action-2', title: CHANGE_ACTION.title, ownerId: userIds.engineering, changeControl: CHANGE_ACTION.changeControl }),
    ]);

    // QA approves the plan: one task per action owner, and the resulting change control in draft.
    const approved = ok<{ record: RecordView }>('approve the plan', await sign(capaPath(id), 'qa', planned, 'approved')).record;
    expect(approved.status).toBe('implementation');
    expect(approved.openTasks.filter((t) => t.action === 'complete')).toHaveLength(2);
    expect(tasksOf(approved, 'production')).toEqual([expect.objectContaining({ step: 'implementation', title: PLAIN_ACTION.title })]);
    expect(tasksOf(approved, 'engineering')).toEqual([expect.objectContaining({ step: 'implementation', title: CHANGE_ACTION.title })]);

    const childId = await resultingChange(id);
    const child = await view(changePath(childId), 'initiator');
    expect(child).toMatchObject({
      type: 'change_control',
      status: 'draft',
      createdBy: userIds.initiator,
      content: expect.objectContaining(CHANGE_ACTION.changeControl),
    });
    expect(child.links).toEqual([expect.objectContaining({ relation: 'resulting_change', direction: 'from', recordId: id, type: 'capa' })]);
    expect((await view(capaPath(id))).links).toEqual([
      expect.objectContaining({ relation: 'resulting_change', direction: 'to', recordId: childId, number: child.number, type: 'change_control' }),
    ]);

    // Production's task alone does not end the implementation; engineering's does.
    const afterProduction = ok('production completes', await completeTask(approved, 'production'));
    expect(afterProduction.status).toBe('implementation');
    expect(tasksOf(afterProduction, 'production')).toHaveLength(0);
    const afterEngineering = ok('engineering completes', await completeTask(afterProduction, 'engineering'));
    expect(afterEngineering.status).toBe('effectiveness_wait');
    expect(afterEngineering.openTasks).toHaveLength(0);

    // The durable timer opens the effectiveness check after the configured wait.
    const checking = await untilStatus(capaPath(id), 'effectiveness_check');
    const enteredAt = (to: string) => Date.parse(checking.history.find((h) => h.to === to)!.at);
    expect(enteredAt('effectiveness_check') - enteredAt('effectiveness_wait')).toBeGreaterThanOrEqual(EFFECTIVENESS_WAIT_MS);
    expect(checking.openTasks).toEqual([expect.objectContaining({ step: 'effectiveness_check', action: 'sign', assigneeRole: 'qa' })]);

    // Closure is refused while the change control is open, and the refusal changes nothing.
    expect(allowed(checking, 'sign')).toEqual([]);
    expect(allowed(checking, 'reject')).toHaveLength(1);
    const refused = await sign(capaPath(id), 'qa', checking, 'effective');
    expect(refused).toMatchObject({ status: 409, body: { code: 'children_open' } });
    const unchanged = await view(capaPath(id));
    expect(unchanged).toMatchObject({ status: 'effectiveness_check', version: checking.version, contentHash: checking.contentHash });
    expect(unchanged.signatures).toHaveLength(checking.signatures.length);

    // The change control belongs to the CAPA's initiator: only they may submit it.
    expect(allowed(await view(changePath(childId), 'initiator'), 'submit')).toEqual([expect.objectContaining({ step: 'draft' })]);
    expect(allowed(await view(changePath(childId), 'qa'), 'submit')).toEqual([]);
    ok('submit the change', await (await as('initiator')).post(`${changePath(childId)}/submit`));
    const assessed = ok('submit the impact', await (await as('initiator')).post(`${changePath(childId)}/submit`, SMALL_IMPACT));
    expect(assessed.status).toBe('approval');
    const changeApproved = ok<{ record: RecordView }>('approve the change', await sign(changePath(childId), 'qa', assessed, 'approved')).record;
    expect(['implementation', 'effectiveness_verification']).toContain(changeApproved.status);
    const verifying = await untilStatus(changePath(childId), 'effectiveness_verification');
    const changeClosed = ok<{ record: RecordView }>('verify the change', await sign(changePath(childId), 'qa', verifying, 'verified')).record;
    expect(changeClosed.status).toBe('closed');

    // Once the CAPA's process has seen its child end, QA may sign it effective, which closes it.
    const closable = await until(capaPath(id), (r) => allowed(r, 'sign').length > 0, 'QA may sign effective');
    expect(allowed(closable, 'sign')).toEqual([expect.objectContaining({ step: 'effectiveness_check', meaning: 'effective', role: 'qa' })]);
    const closed = ok<{ signature: { meaning: string }; record: RecordView }>('sign effective', await sign(capaPath(id), 'qa', closable, 'effective'));
    expect(closed.signature.meaning).toBe('effective');
    expect(closed.record.status).toBe('closed');
    expect(closed.record.openTasks).toEqual([]);
    expect(closed.record.history.map((h) => h.to)).toEqual([
      'initiated',
      'investigation',
      'plan_approval',
      'implementation',
      'effectiveness_wait',
      'effectiveness_check',
      'closed',
    ]);

    const actions = (await audit(id)).map((e) => e.action);
    const expected = ['record.created', 'record.submitted', 'signature.applied', 'record.approved', 'task.completed', 'record.timer_elapsed', 'record.closed'];
    expect({ actions, missing: missingFromSubsequence(actions, expected) }).toEqual({ actions, missing: [] });
  });
});

describe('effectiveness check not passed', () => {
  test('QA finds the actions not effective: back to investigation, audited as reopened; a new investigation is approved again', async () => {
    const checking = await capaAtEffectivenessCheck();
    const reason = 'Two further leaks reported after the retraining; the root cause was not removed.';
    const rejected = ok<{ signature: { meaning: string; comment: string | null }; record: RecordView }>(
      'reject',
      await reject(capaPath(checking.id), 'qa', checking, reason),
    );
    expect(rejected.signature).toMatchObject({ meaning: 'not_effective', comment: reason });
    expect(rejected.record.status).toBe('investigation');
    expect(rejected.record.history.at(-1)).toMatchObject({ from: 'effectiveness_check', to: 'investigation', reason });
    expect(rejected.record.openTasks).toEqual([expect.objectContaining({ step: 'investigation', action: 'submit', assigneeUserId: userIds.initiator })]);

    const reopened = (await audit(checking.id)).filter((e) => e.action === 'record.reopened');
    expect(reopened).toEqual([expect.objectContaining({ reason })]);

    // The author investigates again: a new version, approved again by QA.
    const investigation = { rootCause: 'Groove depth drifts with tool wear; no in-process check of the depth.', method: 'Ishikawa' };
    const resubmitted = ok(
      'resubmit the investigation',
      await (await as('initiator')).post(`${capaPath(checking.id)}/submit`, { investigation, actions: [PLAIN_ACTION] }),
    );
    expect(resubmitted.status).toBe('plan_approval');
    expect(resubmitted.version).toBe(rejected.record.version + 1);
    expect(resubmitted.content.investigation).toEqual(investigation);
    const approved = ok<{ record: RecordView }>('approve again', await sign(capaPath(checking.id), 'qa', resubmitted, 'approved')).record;
    expect(approved.status).toBe('implementation');
    expect(tasksOf(approved, 'production')).toHaveLength(1);
    expect(approved.signatures.filter((s) => s.meaning === 'approved')).toHaveLength(2);
  });

  test('a reopened CAPA carries out its actions again without starting their change controls a second time', async () => {
    const implementing = await capaInImplementation([CHANGE_ACTION]);
    const changeId = await resultingChange(implementing.id);
    ok('complete the action', await completeTask(implementing, 'engineering'));
    const checking = await untilStatus(capaPath(implementing.id), 'effectiveness_check');
    const rejected = ok<{ record: RecordView }>(
      'find it not effective',
      await reject(capaPath(checking.id), 'qa', checking, 'The leaks went on; the drawing change has not reached production yet.'),
    ).record;
    const resubmitted = ok(
      'resubmit the same plan',
      await (await as('initiator')).post(`${capaPath(checking.id)}/submit`, { investigation: INVESTIGATION, actions: [CHANGE_ACTION] }),
    );
    expect(resubmitted.version).toBe(rejected.version + 1);
    const again = ok<{ record: RecordView }>('approve the plan again', await sign(capaPath(checking.id), 'qa', resubmitted, 'approved')).record;
    expect(again.status).toBe('implementation');
    ok('complete the action again', await completeTask(again, 'engineering'));
    // The wait begins only once the implementation step has started (and seen created) its children.
    const checkingAgain = await untilStatus(capaPath(checking.id), 'effectiveness_check');
    expect(checkingAgain.links.filter((l) => l.relation === 'resulting_change')).toEqual([expect.objectContaining({ recordId: changeId, direction: 'to' })]);
  });
});

describe('plan approval', () => {
  test('QA rejects the plan with a reason: back to investigation, the history carries the reason', async () => {
    const planned = await capaAwaitingPlanApproval([PLAIN_ACTION]);
    const reason = 'Retraining alone does not address the groove depth; add a design action.';
    const rejected = ok<{ signature: { meaning: string }; record: RecordView }>('reject the plan', await reject(capaPath(planned.id), 'qa', planned, reason));
    expect(rejected.signature.meaning).toBe('rejected');
    expect(rejected.record.status).toBe('investigation');
    expect(rejected.record.history.at(-1)).toMatchObject({ from: 'plan_approval', to: 'investigation', reason, actorId: userIds.qa });
    expect((await audit(planned.id)).find((e) => e.action === 'record.rejected')?.reason).toBe(reason);
    expect(allowed(await view(capaPath(planned.id), 'initiator'), 'submit')).toHaveLength(1);
  });
});

describe('amendments', () => {
  test('in plan approval the author amends to a new version, and QA must sign that version', async () => {
    const planned = await capaAwaitingPlanApproval([PLAIN_ACTION]);
    const amendedInvestigation = { ...INVESTIGATION, rootCause: `${INVESTIGATION.rootCause} Confirmed on 12 parts by CMM.` };
    const amended = ok(
      'amend',
      await (
        await as('initiator')
      ).post(`${capaPath(planned.id)}/amend`, {
        changes: { investigation: amendedInvestigation },
        reason: 'Add the measurement evidence.',
        baseVersion: planned.version,
      }),
    );
    expect(amended).toMatchObject({ status: 'plan_approval', version: planned.version + 1, content: { investigation: amendedInvestigation } });
    expect(amended.contentHash).not.toBe(planned.contentHash);

    // Amending the old version again is refused: someone else's view is stale.
    const staleAmend = await (
      await as('initiator')
    ).post(`${capaPath(planned.id)}/amend`, {
      changes: { title: 'Seal leaks on housing 4711 (revised)' },
      reason: 'Late edit.',
      baseVersion: planned.version,
    });
    expect(staleAmend).toMatchObject({ status: 409, body: { code: 'stale_version' } });

    const stale = await sign(capaPath(planned.id), 'qa', planned, 'approved');
    expect(stale).toMatchObject({ status: 409, body: { code: 'stale_version' } });
    const unchanged = await view(capaPath(planned.id));
    expect(unchanged).toMatchObject({ status: 'plan_approval', version: amended.version, signatures: [] });

    const approved = ok<{ signature: { recordVersion: number }; record: RecordView }>('approve', await sign(capaPath(planned.id), 'qa', amended, 'approved'));
    expect(approved.signature.recordVersion).toBe(amended.version);
    expect(approved.record.status).toBe('implementation');
  });

  test('in implementation an amendment is refused with the step named, and nothing changes', async () => {
    const implementing = await capaInImplementation([PLAIN_ACTION]);
    const refused = await (
      await as('initiator')
    ).post(`${capaPath(implementing.id)}/amend`, {
      changes: { description: 'Changed after approval.' },
      reason: 'Late edit.',
      baseVersion: implementing.version,
    });
    expect(refused).toMatchObject({ status: 409, body: { code: 'step_not_allowed', details: { step: 'implementation' } } });
    expect(await view(capaPath(implementing.id))).toMatchObject({
      status: 'implementation',
      version: implementing.version,
      contentHash: implementing.contentHash,
    });
  });
});

describe('incomplete investigation', () => {
  test('submitting without a root cause (or without actions) is refused with 422 incomplete_content; the CAPA stays in investigation', async () => {
    const capa = await capaInInvestigation();
    const initiator = await as('initiator');

    const noInvestigation = await initiator.post(`${capaPath(capa.id)}/submit`, { actions: [PLAIN_ACTION] });
    expect(noInvestigation).toMatchObject({ status: 422, body: { code: 'incomplete_content', message: expect.stringContaining('root cause') } });

    const noActions = await initiator.post(`${capaPath(capa.id)}/submit`, { investigation: INVESTIGATION });
    expect(noActions).toMatchObject({ status: 422, body: { code: 'incomplete_content', message: expect.stringContaining('no actions') } });

    // An investigation object without its root cause does not pass input validation at all.
    const emptyRootCause = await initiator.post(`${capaPath(capa.id)}/submit`, { investigation: { method: '5 Whys' }, actions: [PLAIN_ACTION] });
    expect(emptyRootCause).toMatchObject({ status: 400, body: { code: 'validation_failed' } });

    expect(await view(capaPath(capa.id))).toMatchObject({ status: 'investigation', version: capa.version, contentHash: capa.contentHash });
  });
});

describe('separation of duties', () => {
  test('a CAPA authored by qa2 cannot have its plan approved by qa2, but can by qa', async () => {
    const planned = await capaAwaitingPlanApproval([PLAIN_ACTION], 'qa2');
    expect(planned.createdBy).toBe(userIds.qa2);
    expect(allowed(await view(capaPath(planned.id), 'qa2'), 'sign')).toEqual([]);

    const selfApproval = await sign(capaPath(planned.id), 'qa2', planned, 'approved');
    expect(selfApproval).toMatchObject({ status: 403, body: { code: 'self_approval' } });
    expect(await view(capaPath(planned.id))).toMatchObject({ status: 'plan_approval', signatures: [] });

    const approved = ok<{ record: RecordView }>('approve by qa', await sign(capaPath(planned.id), 'qa', planned, 'approved'));
    expect(approved.record.status).toBe('implementation');
  });

  test("an action owner cannot complete someone else's task", async () => {
    const implementing = await capaInImplementation([PLAIN_ACTION, { title: 'Add a groove depth check to the control plan', ownerUsername: 'engineering' }]);
    const [engineeringTask] = tasksOf(implementing, 'engineering');
    const refused = await (await as('production')).post(`${capaPath(implementing.id)}/tasks/${engineeringTask!.id}/complete`, { note: 'Not mine.' });
    expect(refused).toMatchObject({ status: 403, body: { code: 'not_authorised' } });
    const unchanged = await view(capaPath(implementing.id));
    expect(unchanged.status).toBe('implementation');
    expect(tasksOf(unchanged, 'engineering')).toEqual([expect.objectContaining({ id: engineeringTask!.id })]);
  });
});

describe('cancellation', () => {
  test('QA cancels a CAPA in investigation with a reason; nothing more can be done with it', async () => {
    const capa = await capaInInvestigation();
    const reason = 'Duplicate of an existing CAPA for the same complaint.';
    const cancelled = ok('cancel', await (await as('qa')).post(`${capaPath(capa.id)}/cancel`, { reason }));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.openTasks).toEqual([]);
    expect(cancelled.history.at(-1)).toMatchObject({ from: 'investigation', to: 'cancelled', reason });
    expect((await audit(capa.id)).find((e) => e.action === 'record.cancelled')?.reason).toBe(reason);

    const submit = await (await as('initiator')).post(`${capaPath(capa.id)}/submit`, { investigation: INVESTIGATION, actions: [PLAIN_ACTION] });
    expect(submit).toMatchObject({ status: 409, body: { code: 'step_not_allowed' } });
    expect((await view(capaPath(capa.id))).status).toBe('cancelled');
  });

  test('a CAPA whose change control is still open cannot be cancelled', async () => {
    const implementing = await capaInImplementation([CHANGE_ACTION]);
    const childId = await resultingChange(implementing.id);
    expect(allowed(await view(capaPath(implementing.id)), 'cancel')).toEqual([]);
    const refused = await (await as('qa')).post(`${capaPath(implementing.id)}/cancel`, { reason: 'Superseded.' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'children_open' } });
    expect((await view(capaPath(implementing.id))).status).toBe('implementation');
    expect((await view(changePath(childId))).status).toBe('draft');
  });
});

describe('bad input creates nothing', () => {
  test('an unknown source kind is refused with 400 validation_failed', async () => {
    const before = await countRecords();
    const refused = await (await as('initiator')).post('/api/capas', { ...NEW_CAPA, source: { kind: 'rumour', reference: 'hallway' } });
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed', message: expect.any(String) } });
    expect(await countRecords()).toBe(before);
  });

  test('an amended title over 200 characters is refused with 400 validation_failed and changes nothing; the API reference lists the field', async () => {
    const planned = await capaAwaitingPlanApproval([PLAIN_ACTION]);
    const refused = await (
      await as('initiator')
    ).post(`${capaPath(planned.id)}/amend`, { changes: { title: 'T'.repeat(201) }, reason: 'Too long.', baseVersion: planned.version });
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed', message: expect.stringContaining('title') } });
    expect(await view(capaPath(planned.id))).toMatchObject({ version: planned.version, contentHash: planned.contentHash });
    const openapi = (await (await fetch(`${system.baseUrl}/api/docs/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties: object }> };
    };
    expect(Object.keys(openapi.components.schemas.CapaFieldsDto!.properties)).toEqual(
      expect.arrayContaining(['title', 'description', 'investigation', 'actions']),
    );
  });

  test('an action owned by an unknown user is refused with 422 unknown_user', async () => {
    const capa = await capaInInvestigation();
    const before = await countRecords();
    const refused = await (
      await as('initiator')
    ).post(`${capaPath(capa.id)}/submit`, {
      investigation: INVESTIGATION,
      actions: [PLAIN_ACTION, { ...CHANGE_ACTION, ownerUsername: 'nobody-here' }],
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'unknown_user', message: expect.stringContaining('nobody-here') } });
    expect(await countRecords()).toBe(before);
    expect(await view(capaPath(capa.id))).toMatchObject({ status: 'investigation', version: capa.version, contentHash: capa.contentHash });
  });
});

describe('the change control an action starts', () => {
  test('is created by the process on behalf of the CAPA author: the audit names no person, and the record exists even when the author has left meanwhile', async () => {
    const userId = randomUUID();
    await insertUser(
      system.database.db,
      { id: userId, username: 'leaving-initiator', printedName: 'Lea Ving', passwordHash: await hashPassword('leaving-password-1') },
      ['initiator'],
    );
    system.people.passwords['leaving-initiator'] = 'leaving-password-1';
    const planned = await capaAwaitingPlanApproval([CHANGE_ACTION], 'leaving-initiator');
    // The author leaves after submitting the plan; QA approves it, which starts the change control.
    ok('disable the author', await (await as('admin')).post(`/api/admin/users/${userId}/disable`, { reason: 'Left the company.' }), 204);
    ok('approve the plan', await sign(capaPath(planned.id), 'qa', planned, 'approved'));

    const childId = await resultingChange(planned.id);
    const child = await view(changePath(childId));
    expect(child).toMatchObject({ status: 'draft', createdBy: userId, content: expect.objectContaining(CHANGE_ACTION.changeControl) });
    const created = (await audit(childId)).find((e) => e.action === 'record.created') as AuditEvent & {
      actorId: string | null;
      actorName: string;
      newValue: { authorId: string };
    };
    expect(created).toMatchObject({
      actorId: null,
      actorName: 'Attestflow (process)',
      reason: `Started by ${planned.number} (resulting_change)`,
      newValue: expect.objectContaining({ authorId: userId }),
    });

    // Nobody can submit it for the departed author, but QA can cancel it with a reason, and the CAPA goes on.
    ok('cancel the orphaned change', await (await as('qa')).post(`${changePath(childId)}/cancel`, { reason: 'Author left; the action is re-planned.' }));
    const capa = await until(capaPath(planned.id), (r) => allowed(r, 'cancel').length > 0, 'the CAPA sees its child end');
    expect(capa.status).toBe('implementation');
  });
});

describe('action owners', () => {
  test('an owner who did not author the CAPA completes their action and reads the record it belongs to; a stranger still cannot', async () => {
    // engineering authors; the initiator owns the action (initiators read only what they authored, or hold a task on).
    const implementing = await capaInImplementation([{ title: 'Update the work instruction', ownerUsername: 'initiator' }], 'engineering');
    const completed = await completeTask(implementing, 'initiator');
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ id: implementing.id, status: 'effectiveness_wait' });
    expect((await (await as('initiator')).get(`/api/records/${implementing.id}/audit`)).status).toBe(200);

    const stranger = await createCapa('engineering');
    const refused = await (await as('initiator')).get(capaPath(stranger.id));
    expect(refused).toMatchObject({ status: 403, body: { code: 'record_not_readable' } });
  });
});
