// Task due dates, reminders and escalation (workflows/steps/run-process.ts `watch`), on durable
// timers against the real Temporal dev server. The durations are configured in seconds for this
// file: a task is due 4 s after it opens, its reminder goes 2 s before that, an overdue task is
// escalated to the manager role at its due date and to QA 2 s later. A task done in time is
// neither reminded nor escalated, and finishing an overdue task closes the follow-ups chasing it.
// Shown for each kind of task: a change control's author step, a CAPA action with its own due date,
// and a document revision's review signature.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { SAMPLE_CHANGE, signOff } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';
import { PATIENCE_MS } from './support/patience';

const DUE_S = 4;
const REMINDER_LEAD_S = 2;
const ESCALATION_INTERVAL_S = 2;

let system: TestSystem;
let initiator: HttpSession;
let manager: HttpSession;
let qa: HttpSession;
let signerQa: HttpSession;

beforeAll(async () => {
  system = await startTestSystem('task_escalation', {
    env: { TASK_DUE: `${DUE_S}s`, TASK_REMINDER_LEAD: `${REMINDER_LEAD_S}s`, TASK_ESCALATION_INTERVAL: `${ESCALATION_INTERVAL_S}s` },
  });
  [initiator, manager, qa] = await Promise.all([system.session('initiator'), system.session('manager'), system.session('qa')]);
  signerQa = await system.people.signer('qa');
});
afterAll(() => system?.close());

interface TaskEvent {
  action: string;
  entityId: string;
  occurredAt: string;
  actorId: string | null;
  newValue: { escalatedTo: string | null; dueAt: string | null };
}
interface InboxEntry {
  taskId: string;
  recordId: string;
  action: string;
  title: string;
  assigneeRole: string | null;
}

async function taskEvents(recordId: string): Promise<TaskEvent[]> {
  const events = (await qa.get<TaskEvent[]>(`/api/records/${recordId}/audit`)).body;
  return events.filter((e) => e.action === 'task.reminder_sent' || e.action === 'task.escalated');
}

async function followUps(session: HttpSession, recordId: string): Promise<InboxEntry[]> {
  return (await session.get<{ items: InboxEntry[] }>('/api/inbox')).body.items.filter((t) => t.recordId === recordId && t.action === 'follow_up');
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = PATIENCE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function createChange(): Promise<{ id: string; number: string; taskId: string; dueAt: string }> {
  const created = await initiator.post('/api/change-controls', SAMPLE_CHANGE);
  expect(created.status).toBe(201);
  const [task] = created.body.openTasks as { id: string; action: string; dueAt: string }[];
  expect(task).toMatchObject({ action: 'submit', dueAt: expect.any(String) });
  return { id: created.body.id, number: created.body.number, taskId: task!.id, dueAt: task!.dueAt };
}

test('an overdue task: reminder before its due date, then the manager role, then QA; submitting closes every follow-up', async () => {
  const late = await createChange();
  const openedAt = Date.parse(late.dueAt) - DUE_S * 1000;

  // Reminder first (to the assignee), then a follow-up task for the manager role at the due date.
  const managerFollowUp = await eventually('the manager follow-up', async () => (await followUps(manager, late.id))[0]);
  expect(managerFollowUp).toMatchObject({ assigneeRole: 'manager', title: expect.stringContaining(late.number) });
  expect(await followUps(qa, late.id)).toEqual([]);

  // Then QA, one escalation interval later.
  const qaFollowUp = await eventually('the QA follow-up', async () => (await followUps(qa, late.id))[0]);
  expect(qaFollowUp.assigneeRole).toBe('qa');

  const events = await taskEvents(late.id);
  expect(events.map((e) => [e.action, e.entityId, e.newValue.escalatedTo])).toEqual([
    ['task.reminder_sent', late.taskId, null],
    ['task.escalated', late.taskId, 'manager'],
    ['task.escalated', late.taskId, 'qa'],
  ]);
  // Each happened no earlier than its durable timer allows, and by the system (no person acted).
  const at = events.map((e) => Date.parse(e.occurredAt));
  expect(at[0]! - openedAt).toBeGreaterThanOrEqual((DUE_S - REMINDER_LEAD_S) * 1000);
  expect(at[1]!).toBeGreaterThanOrEqual(Date.parse(late.dueAt));
  expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(ESCALATION_INTERVAL_S * 1000);
  expect(events.every((e) => e.actorId === null)).toBe(true);

  // The author finally submits: the overdue task and both follow-ups chasing it are closed.
  expect((await initiator.post(`/api/change-controls/${late.id}/submit`)).status).toBe(200);
  expect(await followUps(manager, late.id)).toEqual([]);
  expect(await followUps(qa, late.id)).toEqual([]);
  const closed = await system.database.db.execute(
    sql`SELECT count(*)::int AS n FROM task_completions WHERE task_id IN (${late.taskId}::uuid, ${managerFollowUp.taskId}::uuid, ${qaFollowUp.taskId}::uuid)`,
  );
  expect((closed.rows[0] as { n: number }).n).toBe(3);
});

test('a task done before its reminder is neither reminded nor escalated', async () => {
  const prompt = await createChange();
  expect((await initiator.post(`/api/change-controls/${prompt.id}/submit`)).status).toBe(200);
  // Past the draft task's due date and its first escalation interval.
  await sleep((DUE_S + ESCALATION_INTERVAL_S) * 1000 + 500);
  const events = await taskEvents(prompt.id);
  expect(events.filter((e) => e.entityId === prompt.taskId)).toEqual([]);
  // The step it moved to has a task of its own, which is chased (the watch follows each open task).
  expect(events.filter((e) => e.entityId !== prompt.taskId).map((e) => e.action)).toContain('task.reminder_sent');
});

/** The reminder, the manager's and QA's follow-ups of `taskId`, each no earlier than its timer allows. */
async function expectEscalated(recordId: string, taskId: string, dueAt: string): Promise<InboxEntry[]> {
  const managerFollowUp = await eventually('the manager follow-up', async () => (await followUps(manager, recordId))[0]);
  const qaFollowUp = await eventually('the QA follow-up', async () => (await followUps(qa, recordId))[0]);
  const events = (await taskEvents(recordId)).filter((e) => e.entityId === taskId);
  expect(events.map((e) => [e.action, e.newValue.escalatedTo])).toEqual([
    ['task.reminder_sent', null],
    ['task.escalated', 'manager'],
    ['task.escalated', 'qa'],
  ]);
  const [reminded, toManager, toQa] = events.map((e) => Date.parse(e.occurredAt));
  expect(reminded!).toBeGreaterThanOrEqual(Date.parse(dueAt) - REMINDER_LEAD_S * 1000);
  expect(toManager!).toBeGreaterThanOrEqual(Date.parse(dueAt));
  expect(toQa! - toManager!).toBeGreaterThanOrEqual(ESCALATION_INTERVAL_S * 1000);
  return [managerFollowUp, qaFollowUp];
}

test("a CAPA action past its own due date is escalated; the owner's completion closes the follow-ups", async () => {
  const production = await system.session('production');
  const created = await initiator.post('/api/capas', {
    title: 'Seal leaks on housing 4711',
    description: 'Coolant leaks at the housing seal.',
    source: { kind: 'complaint', reference: 'COMPL-2026-0117' },
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  expect((await initiator.post(`/api/capas/${id}/submit`)).status).toBe(200);
  const dueAt = new Date(Date.now() + (DUE_S + 1) * 1000).toISOString();
  const planned = await initiator.post(`/api/capas/${id}/submit`, {
    investigation: { rootCause: 'Groove too shallow.', method: '5 Whys' },
    actions: [{ title: 'Retrain assembly staff', ownerUsername: 'production', dueAt }],
  });
  expect(planned.status).toBe(200);
  const approved = await signerQa.post(`/api/capas/${id}/sign`, signOff(system.people, signerQa, 'qa', planned.body, 'approved'));
  expect(approved.body.record.status).toBe('implementation');
  const action = (approved.body.record.openTasks as { id: string; action: string; dueAt: string }[]).find((t) => t.action === 'complete')!;
  expect(action.dueAt).toBe(dueAt);

  await expectEscalated(id, action.id, dueAt);
  const done = await production.post(`/api/capas/${id}/tasks/${action.id}/complete`, { note: 'Late, but done.' });
  expect(done.body.status).toBe('effectiveness_wait');
  expect(await followUps(manager, id)).toEqual([]);
  expect(await followUps(qa, id)).toEqual([]);
});

test("a document revision's overdue review signature is escalated; the reviewer's signature closes the follow-ups", async () => {
  const [doccontrol, engineering] = await Promise.all([system.people.signer('doccontrol'), system.people.signer('engineering')]);
  expect(
    (await doccontrol.post('/api/documents', { number: 'WI-ESC-0001', title: 'Escalation', docType: 'work_instruction', ownerUsername: 'doccontrol' })).status,
  ).toBe(201);
  const bytes = Buffer.from('%PDF-1.7\n% escalation\n%%EOF\n');
  const upload = await fetch(`${system.baseUrl}/api/documents/files?fileName=wi.pdf`, {
    method: 'POST',
    headers: { cookie: doccontrol.cookie ?? '', 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  const { sha256 } = (await upload.json()) as { sha256: string };
  const draft = await doccontrol.post('/api/document-revisions', { documentNumber: 'WI-ESC-0001', changeSummary: 'First issue' });
  const id: string = draft.body.id;
  const inReview = await doccontrol.post(`/api/document-revisions/${id}/submit`, {
    fileSha256: sha256,
    effectiveDate: new Date(Date.now() + 3_600_000).toISOString(),
    reviewerRoles: ['approver_engineering'],
  });
  expect(inReview.body.status).toBe('review');
  const review = (inReview.body.openTasks as { id: string; action: string; dueAt: string }[]).find((t) => t.action === 'sign')!;

  await expectEscalated(id, review.id, review.dueAt);
  const reviewed = await engineering.post(`/api/document-revisions/${id}/sign`, signOff(system.people, engineering, 'engineering', inReview.body, 'reviewed'));
  expect(reviewed.body.record.status).toBe('approval');
  expect(await followUps(manager, id)).toEqual([]);
  expect(await followUps(qa, id)).toEqual([]);
});
