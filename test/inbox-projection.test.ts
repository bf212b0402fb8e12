// The inbox read from its projection `open_tasks` (migration 0017; issue 14): it lists exactly the
// open tasks addressed to the person or to a role they hold, in the order asked for, a page at a
// time with the total, filtered by process type or to the overdue ones; a task leaves it in the
// transaction that completes or cancels it; concurrent completions (in the database and through the
// API) leave the projection equal to what `tasks` and `task_completions` say; nothing but the
// triggers writes it, and the real tables stay append-only.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { connectDatabase } from '../db/client';
import { completeTasks, findOpenTasksDrift, listInbox, listInboxFromTasks } from '../db/repositories';
import { records, taskCompletions, tasks } from '../db/schema';
import { addPerson } from './support/accounts';
import { changeAwaitingApproval, SAMPLE_CHANGE, signOff, SMALL_IMPACT, waitForStatus } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let reader: HttpSession;
let readerId: string;
let otherId: string;
let authorId: string;
/** Roles no process in this file addresses a task to, so the reader's inbox holds only the fixture. */
const READER_ROLES = ['approver_regulatory', 'approver_supply_chain'];
const TYPES = ['change_control', 'capa', 'ncmr', 'document_revision'] as const;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  system = await startTestSystem('inbox_projection');
  const admin = await system.session('admin');
  readerId = await addPerson(admin, system.people, { username: 'inbox-reader', roles: READER_ROLES, trained: false });
  otherId = await addPerson(admin, system.people, { username: 'inbox-other', roles: ['approver_regulatory'], trained: false });
  reader = await system.session('inbox-reader');
  authorId = (await system.database.db.execute<{ id: string }>(sql`SELECT id FROM users WHERE username = 'initiator'`)).rows[0]!.id;
});
afterAll(() => system?.close());

interface Entry {
  taskId: string;
  recordId: string;
  recordNumber: string;
  recordType: string;
  step: string;
  action: string;
  title: string;
  assigneeRole: string | null;
  openedAt: string;
  dueAt: string | null;
  escalated: boolean;
}
interface Page {
  items: Entry[];
  total: number;
  limit: number;
  offset: number;
}

interface FixtureTask extends Entry {
  assigneeUserId: string | null;
  closed: 'completed' | 'cancelled' | null;
}

/** Records of every type with tasks for the reader, their roles, and others; some completed, some cancelled. */
async function insertFixture(count: number): Promise<FixtureTask[]> {
  const now = Date.now();
  const base = now - 40 * DAY_MS;
  const fixture: FixtureTask[] = [];
  const recordRows: (typeof records.$inferInsert)[] = [];
  const batch = randomUUID().slice(0, 6).toUpperCase();
  for (let i = 0; i < count; i++) {
    const recordType = TYPES[i % TYPES.length]!;
    const recordId = randomUUID();
    const recordNumber = `FX-${batch}-${recordType.toUpperCase()}-${String(i).padStart(4, '0')}`;
    if (i % 3 === 0 || recordRows.length === 0) {
      recordRows.push({
        id: recordId,
        type: recordType,
        number: recordNumber,
        workflowId: `fixture-${recordId}`,
        createdBy: authorId,
        createdAt: new Date(base),
      });
    }
    const record = recordRows[recordRows.length - 1]!;
    // Addressed to: the reader (1 in 6), one of the reader's roles (2 in 6), the reader and a role of theirs (1 in 12), someone else or another role.
    const addressees: [string | null, string | null][] = [
      [readerId, null],
      [null, READER_ROLES[0]!],
      [null, READER_ROLES[1]!],
      [otherId, null],
      [null, 'qa'],
      [readerId, READER_ROLES[1]!],
    ];
    const [assigneeUserId, assigneeRole] = addressees[i % addressees.length]!;
    // Every 5th task opens at the same moment as the one before: the task id orders them.
    const openedAt = new Date(base + (i % 5 === 4 ? i - 1 : i) * 60_000);
    // No due date (1 in 4), overdue by at least a day, or due in 10 days or more; every 7th shares its due time.
    const dueAt = i % 4 === 3 ? null : new Date((i % 2 === 0 ? now - DAY_MS : now + 10 * DAY_MS) - (i % 7 === 6 ? 0 : i * 60_000));
    const closed = i % 9 === 2 ? 'completed' : i % 9 === 5 ? 'cancelled' : null;
    fixture.push({
      taskId: randomUUID(),
      recordId: record.id,
      recordNumber: record.number,
      recordType: record.type,
      step: i % 2 ? 'approval' : 'implementation',
      action: i % 2 ? 'sign' : 'complete',
      title: `Fixture task ${i}`,
      assigneeUserId,
      assigneeRole,
      openedAt: openedAt.toISOString(),
      dueAt: dueAt?.toISOString() ?? null,
      escalated: false,
      closed,
    });
  }
  // Every 10th task chases the task before it (an escalation).
  const escalates = (i: number) => (i % 10 === 9 ? fixture[i - 1]!.taskId : null);
  fixture.forEach((t, i) => (t.escalated = escalates(i) !== null));
  await system.database.db.transaction(async (tx) => {
    await tx.insert(records).values(recordRows);
    await tx.insert(tasks).values(
      fixture.map((t, i) => ({
        id: t.taskId,
        recordId: t.recordId,
        step: t.step,
        action: t.action,
        title: t.title,
        assigneeUserId: t.assigneeUserId,
        assigneeRole: t.assigneeRole,
        openedAt: new Date(t.openedAt),
        dueAt: t.dueAt ? new Date(t.dueAt) : null,
        escalatesTaskId: escalates(i),
      })),
    );
  });
  const closed = fixture.filter((t) => t.closed);
  await system.database.db
    .insert(taskCompletions)
    .values(closed.map((t) => ({ taskId: t.taskId, outcome: t.closed!, completedBy: t.closed === 'completed' ? readerId : null, completedAt: new Date() })));
  return fixture;
}

/** What the inbox must be, worked out here from the fixture (not by SQL). */
function expected(fixture: FixtureTask[], options: { type?: string; overdue?: boolean; sort?: 'opened' | 'due'; direction?: 'asc' | 'desc' } = {}): Entry[] {
  const now = Date.now();
  const mine = fixture.filter(
    (t) =>
      t.closed === null &&
      (t.assigneeUserId === readerId || (t.assigneeRole !== null && READER_ROLES.includes(t.assigneeRole))) &&
      (options.type === undefined || t.recordType === options.type) &&
      (!options.overdue || (t.dueAt !== null && Date.parse(t.dueAt) < now)),
  );
  const compare = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
  const sorted = mine.sort((a, b) =>
    options.sort === 'due'
      ? compare(a.dueAt, b.dueAt) || compare(a.openedAt, b.openedAt) || compare(a.taskId, b.taskId)
      : compare(a.openedAt, b.openedAt) || compare(a.taskId, b.taskId),
  );
  if (options.direction === 'desc') sorted.reverse();
  return sorted.map(({ assigneeUserId: _user, closed: _closed, ...entry }) => entry);
}

async function inboxPage(session: HttpSession, query: string): Promise<Page> {
  const response = await session.get<Page>(`/api/inbox?${query}`);
  if (response.status !== 200) throw new Error(`GET /api/inbox?${query}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Every page of the inbox with `query`, `limit` at a time; each page's total checked against `total`. */
async function allPages(session: HttpSession, query: string, limit: number): Promise<{ items: Entry[]; totals: number[] }> {
  const items: Entry[] = [];
  const totals: number[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await inboxPage(session, `${query}&limit=${limit}&offset=${offset}`);
    totals.push(page.total);
    items.push(...page.items);
    if (page.items.length < limit) return { items, totals };
  }
}

const ids = (entries: { taskId: string }[]) => entries.map((e) => e.taskId);

describe('the inbox lists exactly the open tasks addressed to the person or their roles', () => {
  let fixture: FixtureTask[];
  beforeAll(async () => {
    fixture = await insertFixture(150);
  });

  test('every entry, in the default order (opened, oldest first), equal to the fixture and to the tasks read without the projection', async () => {
    const want = expected(fixture);
    expect(want.length).toBeGreaterThan(50);
    const { items, totals } = await allPages(reader, '', 500);
    expect(items).toEqual(want);
    expect(totals).toEqual([want.length]);
    // The same, read from tasks and task_completions with the anti-join the projection replaced.
    const fromTasks = await listInboxFromTasks(system.database.db, readerId, READER_ROLES);
    expect(fromTasks.map((e) => ({ ...e, openedAt: e.openedAt.toISOString(), dueAt: e.dueAt?.toISOString() ?? null }))).toEqual(want);
    // A task addressed to the reader and to a role of theirs is listed once.
    const both = fixture.find((t) => t.assigneeUserId === readerId && t.assigneeRole !== null && t.closed === null)!;
    expect(ids(items).filter((id) => id === both.taskId)).toHaveLength(1);
    expect(items.some((e) => e.escalated)).toBe(true);
  });

  const orders = [
    ['opened', 'asc'],
    ['opened', 'desc'],
    ['due', 'asc'],
    ['due', 'desc'],
  ] as const;
  for (const [sort, direction] of orders) {
    test(`pages of 7, sort=${sort}&direction=${direction}, join up to the whole inbox without overlap; each page carries the total`, async () => {
      const want = expected(fixture, { sort, direction });
      const { items, totals } = await allPages(reader, `sort=${sort}&direction=${direction}`, 7);
      expect(ids(items)).toEqual(ids(want));
      expect(new Set(ids(items)).size).toBe(items.length);
      expect(new Set(totals)).toEqual(new Set([want.length]));
      expect(totals.length).toBe(Math.floor(want.length / 7) + 1);
    });
  }

  test('filters: each process type, overdue only, and both together, in any order, with their own totals', async () => {
    for (const type of TYPES) {
      for (const [sort, direction] of orders) {
        const want = expected(fixture, { type, sort, direction });
        expect(want.length).toBeGreaterThan(0);
        const { items, totals } = await allPages(reader, `type=${type}&sort=${sort}&direction=${direction}`, 5);
        expect({ type, sort, direction, ids: ids(items) }).toEqual({ type, sort, direction, ids: ids(want) });
        expect(new Set(totals)).toEqual(new Set([want.length]));
      }
      const overdue = expected(fixture, { type, overdue: true, sort: 'due' });
      const page = await inboxPage(reader, `type=${type}&overdue=true&sort=due&limit=500`);
      expect(ids(page.items)).toEqual(ids(overdue));
      expect(page.total).toBe(overdue.length);
    }
    const overdue = expected(fixture, { overdue: true });
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(expected(fixture).length);
    const page = await inboxPage(reader, 'overdue=true&limit=500');
    expect(page.items).toEqual(overdue);
    expect(page.total).toBe(overdue.length);
    // overdue=false is no filter at all.
    expect((await inboxPage(reader, 'overdue=false&limit=500')).total).toBe(expected(fixture).length);
  });

  test('another person sees their own tasks and none of the reader’s; the first page of a larger limit starts the same', async () => {
    const other = await system.session('inbox-other');
    const theirs = await inboxPage(other, 'limit=500');
    const wantTheirs = fixture
      .filter((t) => t.closed === null && (t.assigneeUserId === otherId || t.assigneeRole === 'approver_regulatory'))
      .sort((a, b) => (a.openedAt === b.openedAt ? (a.taskId < b.taskId ? -1 : 1) : a.openedAt < b.openedAt ? -1 : 1));
    expect(ids(theirs.items)).toEqual(ids(wantTheirs));
    expect(theirs.items.some((e) => fixture.find((t) => t.taskId === e.taskId)!.assigneeUserId === readerId)).toBe(false);
    const first = await inboxPage(reader, 'limit=3');
    expect(first).toMatchObject({ total: expected(fixture).length, limit: 3, offset: 0, sort: 'opened', direction: 'asc' });
    expect(ids(first.items)).toEqual(ids(expected(fixture)).slice(0, 3));
    // Past the end: an empty page, the same total.
    expect(await inboxPage(reader, 'offset=100000')).toMatchObject({ items: [], total: expected(fixture).length });
  });

  test('bad filters and orders are refused with 400 validation_failed', async () => {
    for (const bad of ['type=widget', 'overdue=yes', 'overdue=1', 'sort=title', 'direction=up', 'limit=0', 'limit=501', 'offset=-1']) {
      expect({ bad, ...(await reader.get(`/api/inbox?${bad}`)) }).toMatchObject({ bad, status: 400, body: { code: 'validation_failed' } });
    }
  });

  test('the projection equals what tasks, task_completions and records say', async () => {
    expect(await findOpenTasksDrift(system.database.db)).toEqual({ missing: [], extra: [] });
  });
});

describe('a task leaves the inbox in the transaction that closes it', () => {
  let fixture: FixtureTask[];
  let client: Client;
  beforeAll(async () => {
    fixture = await insertFixture(30);
    client = new Client({ connectionString: system.databaseUrl });
    await client.connect();
  });
  afterAll(() => client?.end());

  const listed = async (taskId: string) => ids((await inboxPage(reader, 'limit=500')).items).includes(taskId);
  const inOwnTransaction = async (taskId: string) => (await client.query('SELECT 1 FROM open_tasks WHERE task_id = $1', [taskId])).rowCount === 1;

  test('completion: gone inside the transaction at once, for others only at its commit; a rollback leaves the task open', async () => {
    const open = expected(fixture);
    const task = open[0]!;
    const total = (await inboxPage(reader, 'limit=1')).total;
    await client.query('BEGIN');
    await client.query(`INSERT INTO task_completions (task_id, outcome, completed_by, completed_at) VALUES ($1, 'completed', $2, now())`, [
      task.taskId,
      readerId,
    ]);
    expect(await inOwnTransaction(task.taskId)).toBe(false);
    expect(await listed(task.taskId)).toBe(true);
    await client.query('ROLLBACK');
    expect(await inOwnTransaction(task.taskId)).toBe(true);
    expect(await listed(task.taskId)).toBe(true);

    await client.query('BEGIN');
    await client.query(`INSERT INTO task_completions (task_id, outcome, completed_by, completed_at) VALUES ($1, 'cancelled', NULL, now())`, [task.taskId]);
    expect(await listed(task.taskId)).toBe(true);
    await client.query('COMMIT');
    expect(await listed(task.taskId)).toBe(false);
    expect((await inboxPage(reader, 'limit=1')).total).toBe(total - 1);
  });

  test('a new task: listed from the commit that opens it, in its place', async () => {
    const recordId = fixture[0]!.recordId;
    const taskId = randomUUID();
    const openedAt = new Date(Date.parse(expected(fixture)[2]!.openedAt) + 1);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO tasks (id, record_id, step, action, title, assignee_user_id, assignee_role, opened_at, due_at) VALUES ($1, $2, 'approval', 'sign', 'Late arrival', NULL, $3, $4, NULL)`,
      [taskId, recordId, READER_ROLES[0], openedAt],
    );
    expect(await inOwnTransaction(taskId)).toBe(true);
    expect(await listed(taskId)).toBe(false);
    await client.query('COMMIT');
    const page = await inboxPage(reader, 'limit=500');
    const at = ids(page.items).indexOf(taskId);
    expect(at).toBeGreaterThan(0);
    expect(Date.parse(page.items[at - 1]!.openedAt)).toBeLessThanOrEqual(openedAt.getTime());
    expect(page.items[at]).toMatchObject({ title: 'Late arrival', assigneeRole: READER_ROLES[0], dueAt: null, escalated: false });
  });

  test('nothing but the triggers writes the projection; tasks and completions stay append-only', async () => {
    const task = expected(fixture)[1]!;
    const refused = async (statement: string, params: unknown[] = []) => {
      const error = await client.query(statement, params).then(
        () => null,
        (e: Error) => e.message,
      );
      return error;
    };
    const before = (await client.query('SELECT count(*)::int AS n FROM open_tasks')).rows[0].n as number;
    expect(await refused('DELETE FROM open_tasks WHERE task_id = $1', [task.taskId])).toMatch(/derived from tasks and task_completions/);
    expect(await refused("UPDATE open_tasks SET title = 'edited'")).toMatch(/derived from tasks and task_completions/);
    expect(await refused('TRUNCATE open_tasks')).toMatch(/derived from tasks and task_completions/);
    expect(
      await refused(
        `INSERT INTO open_tasks (task_id, record_id, record_type, record_number, step, action, title, opened_at, escalated) VALUES ($1, $2, 'capa', 'FORGED-1', 'x', 'sign', 'forged', now(), false)`,
        [fixture.find((t) => t.closed)!.taskId, fixture[0]!.recordId],
      ),
    ).toMatch(/derived from tasks and task_completions/);
    // Replica mode does not switch the triggers off.
    expect(await refused(`SET session_replication_role = replica; DELETE FROM open_tasks WHERE task_id = '${task.taskId}'`)).toMatch(/derived from/);
    await client.query('SET session_replication_role = origin');
    // A completion cannot be taken back to reopen a task, nor a task edited.
    expect(await refused('DELETE FROM task_completions')).toMatch(/append-only/);
    expect(await refused("UPDATE tasks SET title = 'edited'")).toMatch(/append-only/);
    expect((await client.query('SELECT count(*)::int AS n FROM open_tasks')).rows[0].n).toBe(before);
    expect(await listed(task.taskId)).toBe(true);
  });
});

describe('concurrent completions keep the projection right', () => {
  test('transactions completing overlapping tasks at once, some rolled back, others opening tasks: the projection equals the truth', async () => {
    const fixture = await insertFixture(60);
    const open = expected(fixture);
    expect(open.length).toBeGreaterThanOrEqual(20);
    const lockKey = 4_711_017;
    const barrier = new Client({ connectionString: system.databaseUrl });
    await barrier.connect();
    await barrier.query('SELECT pg_advisory_lock($1)', [lockKey]);
    const { rows: db } = await barrier.query<{ name: string }>('SELECT current_database() AS name');
    // 8 transactions, each on its own connection; transaction k completes tasks k, k+1, k+2 (each task
    // by up to three at once); every third also opens a task; transactions 3 and 5 roll back at the
    // end, and each of them also completes a task (12 + k) no other transaction touches.
    const workers = 8;
    const plans = Array.from({ length: workers }, (_, k) => {
      const rollback = k === 3 || k === 5;
      return {
        complete: [k, k + 1, k + 2, ...(rollback ? [12 + k] : [])].map((i) => open[i]!.taskId),
        opens: k % 3 === 0 ? randomUUID() : null,
        rollback,
      };
    });
    const pool = connectDatabase(system.databaseUrl, { max: workers });
    const runs = plans.map((plan, k) =>
      pool.db
        .transaction(async (tx) => {
          if (plan.opens) {
            await tx.insert(tasks).values({
              id: plan.opens,
              recordId: fixture[0]!.recordId,
              step: 'approval',
              action: 'sign',
              title: `Opened concurrently ${k}`,
              assigneeRole: READER_ROLES[1]!,
              openedAt: new Date(),
            });
          }
          await completeTasks(tx, plan.complete, k % 2 ? 'completed' : 'cancelled', k % 2 ? readerId : null, new Date());
          // Wait here, holding the completions, until every transaction has got this far (or waits on another's completion).
          await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${lockKey})`);
          if (plan.rollback) throw new Error('rolled back on purpose');
        })
        .then(
          () => 'committed' as const,
          (e: Error) => (e.message === 'rolled back on purpose' ? ('rolled back' as const) : Promise.reject(e)),
        ),
    );
    // Every worker is blocked: on the barrier, or on a completion of the same task another worker holds. No deadline: poll until so.
    for (;;) {
      const { rows } = await barrier.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
        [db[0]!.name],
      );
      if (rows[0]!.n === workers) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Released: what waited on a rolled-back completion now inserts its own; what waited on a committed one skips it.
    await barrier.query('SELECT pg_advisory_unlock($1)', [lockKey]);
    const outcomes = await Promise.all(runs);
    await barrier.end();
    await pool.close();
    expect(outcomes.filter((o) => o === 'rolled back')).toHaveLength(2);

    // The fate of each task, from the record itself.
    const completed = new Set(
      (
        await system.database.db.execute<{ task_id: string }>(
          sql`SELECT task_id FROM task_completions WHERE task_id IN (${sql.join(
            open.map((t) => sql`${t.taskId}::uuid`),
            sql`, `,
          )})`,
        )
      ).rows.map((r) => r.task_id),
    );
    // Each task completed by a committed transaction is closed; the ones only rolled-back transactions touched (15, 17) stay open.
    const closedByCommitted = new Set(plans.filter((p) => !p.rollback).flatMap((p) => p.complete));
    expect(completed).toEqual(closedByCommitted);
    const opened = plans.filter((p) => p.opens && !p.rollback).map((p) => p.opens!);
    const page = await inboxPage(reader, 'limit=500');
    for (const t of open)
      expect({ task: t.taskId, listed: ids(page.items).includes(t.taskId) }).toEqual({ task: t.taskId, listed: !closedByCommitted.has(t.taskId) });
    for (const id of opened) expect(ids(page.items)).toContain(id);
    for (const p of plans.filter((p) => p.opens && p.rollback)) expect(ids(page.items)).not.toContain(p.opens);
    expect(await findOpenTasksDrift(system.database.db)).toEqual({ missing: [], extra: [] });
    // The repository's own read of the inbox agrees with the truth.
    const fromProjection = await listInbox(system.database.db, readerId, READER_ROLES);
    expect(ids(fromProjection)).toEqual(ids(await listInboxFromTasks(system.database.db, readerId, READER_ROLES)));
  });
});

describe('through the processes: tasks opened, completed and cancelled by the workflows', () => {
  test('a change control’s tasks enter and leave the inbox with the answer to each action; concurrent task completions over HTTP', async () => {
    const initiator = await system.session('initiator');
    const qa = await system.people.signer('qa');
    const production = await system.session('production');
    const inboxOf = async (session: HttpSession, recordId: string) => (await inboxPage(session, 'limit=500')).items.filter((e) => e.recordId === recordId);

    // Created: the author's draft task is listed as soon as the answer arrives.
    const created = (await initiator.post('/api/change-controls', SAMPLE_CHANGE)).body as { id: string };
    expect((await inboxOf(initiator, created.id)).map((e) => [e.step, e.action])).toEqual([['draft', 'submit']]);
    // Cancelled: it leaves with the answer, as cancelled.
    expect((await initiator.post(`/api/change-controls/${created.id}/cancel`, { reason: 'Raised twice by mistake.' })).status).toBe(200);
    expect(await inboxOf(initiator, created.id)).toEqual([]);
    const [cancelled] = (
      await system.database.db.execute<{ outcome: string }>(
        sql`SELECT c.outcome FROM task_completions c JOIN tasks t ON t.id = c.task_id WHERE t.record_id = ${created.id}`,
      )
    ).rows;
    expect(cancelled?.outcome).toBe('cancelled');

    // Approval, then four implementation tasks for production, completed at once (one of them twice).
    const submitted = await changeAwaitingApproval(initiator, {
      ...SMALL_IMPACT,
      implementationTasks: ['Update the BOM', 'Update the routing', 'Brief the line', 'Scrap old stock'].map((title) => ({
        title,
        ownerUsername: 'production',
      })),
    });
    expect((await inboxOf(initiator, submitted.id)).length).toBe(0);
    expect((await inboxOf(qa, submitted.id)).map((e) => [e.step, e.action, e.assigneeRole])).toEqual([['approval', 'sign', 'qa']]);
    const approved = await qa.post(`/api/change-controls/${submitted.id}/sign`, signOff(system.people, qa, 'qa', submitted as never, 'approved'));
    expect(approved.status).toBe(200);
    expect(await inboxOf(qa, submitted.id)).toEqual([]);
    const work = await inboxOf(production, submitted.id);
    const opened = (approved.body.record.openTasks as { id: string; action: string }[]).filter((t) => t.action === 'complete').map((t) => t.id);
    expect(ids(work).sort()).toEqual(opened.sort());
    expect(work.map((e) => e.title).sort()).toEqual(['Brief the line', 'Scrap old stock', 'Update the BOM', 'Update the routing']);
    const answers = await Promise.all(
      [...work, work[0]!].map((task) => production.post(`/api/change-controls/${submitted.id}/tasks/${task.taskId}/complete`, { note: `Done: ${task.title}` })),
    );
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(4);
    for (const answer of answers.filter((a) => a.status !== 200)) expect(answer.status).toBe(409);
    expect(await inboxOf(production, submitted.id)).toEqual([]);
    await waitForStatus(qa, `/api/change-controls/${submitted.id}`, 'effectiveness_verification');
    expect((await inboxOf(qa, submitted.id)).map((e) => [e.step, e.action])).toEqual([['effectiveness_verification', 'sign']]);
    expect(await findOpenTasksDrift(system.database.db)).toEqual({ missing: [], extra: [] });
  });
});
