// Regulated processes at scale: the inbox query over many open change controls, next to a plain
// indexed SELECT on the tasks table; and change-control workflow starts (until the record exists)
// through a real worker with the real activities, next to starts of an empty workflow.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { asc, desc, eq } from 'drizzle-orm';
import type { Pool } from 'pg';
import { createEffectActivities } from '../activities/effects/effect-registry';
import { createProcessActivities } from '../activities/process.activities';
import { createRecordClosureActivities } from '../activities/record-closure.activities';
import { freePort, startTemporalDevServer } from '../cli/temporal-dev-server';
import { loadConfig } from '../config/config';
import { sealingIdentity } from '../config/pki-store';
import { connectDatabase, type Database } from '../db/client';
import { countInbox, ensureRoles, insertUser, listInbox, listInboxFromTasks } from '../db/repositories';
import { tasks } from '../db/schema';
import { ROLES } from '../db/seed-demo';
import { canonicalHash } from '../signatures';
import { PROCESS_WORKFLOWS, processCreatedUpdate, processWorkflowId, type ProcessInput } from '../workflows/contracts/process-contracts';
import { INBOX_PAGE_DEFAULT } from '../api/inbox/inbox.controller';
import { Cleanup, measureConcurrently, measureInterleaved, quietLogger, timed, type Measurement, type Row } from './harness';
import { benchEmpty } from './workflows/empty.workflow';

export interface ProcessBenchOptions {
  /** A migrated, empty database; filled here. */
  databaseUrl: string;
  openChanges: number;
  inboxRuns: number;
  workflowStarts: number;
}

const CONCURRENCY = 8;
/** The columns an inbox entry carries. */
const INBOX_COLUMNS = 11;
/** A task's own columns (what the inbox shows of it, without the record's number and type). */
const TASK_COLUMNS = {
  id: tasks.id,
  recordId: tasks.recordId,
  step: tasks.step,
  action: tasks.action,
  title: tasks.title,
  assigneeUserId: tasks.assigneeUserId,
  assigneeRole: tasks.assigneeRole,
  openedAt: tasks.openedAt,
  dueAt: tasks.dueAt,
};
const FILL_BATCH = 2000;
const DAY_MS = 86_400_000;
const TIMING = { taskDue: '10 days', reminderLead: '2 days', escalationInterval: '3 days', effectivenessWait: '90 days', periodicReview: '730 days' };

export async function processBenchmarks(options: ProcessBenchOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const cleanup = new Cleanup();
  try {
    return await run(options, cleanup);
  } finally {
    await cleanup.run();
  }
}

async function run(options: ProcessBenchOptions, cleanup: Cleanup): Promise<{ rows: Row[]; notes: string[] }> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed
  }
  // The dev server and both bundles start while the database is filled; nothing is timed before they are ready.
  const server = freePort().then((port) => startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH, port, namespace: 'default' }));
  server.catch(() => undefined); // awaited below; cleanup stops it whenever it did start
  cleanup.add('stop the Temporal dev server', () =>
    server.then(
      (s) => s.stop(),
      () => undefined,
    ),
  );
  const bundles = Promise.all([
    bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger }),
    bundleWorkflowCode({ workflowsPath: require.resolve('./workflows/empty.workflow'), logger: quietLogger }),
  ]);
  bundles.catch(() => undefined);

  const database = connectDatabase(options.databaseUrl);
  cleanup.add('close the database pool', () => database.close());
  const users = await insertUsers(database.db);
  const fill = await timed(() => fillOpenChanges(database.pool, users, options.openChanges));
  // As autovacuum leaves a settled database: statistics, and the visibility map the index-only counts read.
  await database.pool.query('VACUUM ANALYZE');
  const [{ address }, [appBundle, emptyBundle]] = await Promise.all([server, bundles]);

  // 1. The inbox of one QA approver, next to a plain SELECT on the tasks table, same number of runs;
  //    and, in the same run, the inbox as it was read before the projection (migration 0017).
  const inboxQuery = () => listInbox(database.db, users.qa, ['qa']);
  const formerQuery = () => listInboxFromTasks(database.db, users.qa, ['qa']);
  const plainQuery = () => database.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.assigneeRole, 'qa'));
  const sameColumnsQuery = () => database.db.select(TASK_COLUMNS).from(tasks).where(eq(tasks.assigneeRole, 'qa'));
  const inboxRows = (await inboxQuery()).length;
  const plainRows = (await plainQuery()).length;
  if (inboxRows !== fill.value.expectedInbox) throw new Error(`listInbox returned ${inboxRows} tasks, expected ${fill.value.expectedInbox}`);
  if (JSON.stringify(await inboxQuery()) !== JSON.stringify(await formerQuery())) throw new Error('listInbox differs from the inbox read from the tasks');
  // What the API serves by default: the first page of the same inbox, next to the same plain SELECT with the same LIMIT.
  const firstPage = { limit: INBOX_PAGE_DEFAULT, offset: 0 };
  const pageQuery = () => listInbox(database.db, users.qa, ['qa'], { page: firstPage });
  const formerPageQuery = () => listInboxFromTasks(database.db, users.qa, ['qa']).limit(INBOX_PAGE_DEFAULT);
  const plainPageQuery = () =>
    database.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.assigneeRole, 'qa')).orderBy(asc(tasks.openedAt)).limit(INBOX_PAGE_DEFAULT);
  if ((await pageQuery()).length !== INBOX_PAGE_DEFAULT) throw new Error(`the first inbox page does not have ${INBOX_PAGE_DEFAULT} tasks`);
  // GET /api/inbox's database work: the page and the total, as InboxService runs them (in parallel on the pool).
  const servedQuery = () => Promise.all([pageQuery(), countInbox(database.db, users.qa, ['qa'])]);
  // A filtered, reordered page: change controls only, latest due first.
  const dueOrder = { sort: 'due', direction: 'desc' } as const;
  const dueQuery = () => listInbox(database.db, users.qa, ['qa'], { filter: { recordType: 'change_control' }, order: dueOrder, page: firstPage });
  const plainDueQuery = () =>
    database.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.assigneeRole, 'qa')).orderBy(desc(tasks.dueAt)).limit(INBOX_PAGE_DEFAULT);
  // Each figure and its baselines are timed call by call in turn, so a change in the machine's load hits them alike.
  // The whole-list figures run one pair to a loop: each moves 10,000 rows or more, and its garbage sets off
  // the major GC cycles that make the p99s; in one loop of all four, those landed mostly on whichever query
  // was allocating, and the inbox's tail was the other queries' garbage (docs/inbox.md, "Where the whole
  // inbox's p99 goes").
  const { inbox, plain } = await measureInterleaved(options.inboxRuns, { inbox: () => inboxQuery(), plain: () => plainQuery() }, { warmup: 10 });
  const { former, plain: formerPlain } = await measureInterleaved(
    options.inboxRuns,
    { former: () => formerQuery(), plain: () => plainQuery() },
    { warmup: 10 },
  );
  const { inbox: inboxBeside, sameColumns } = await measureInterleaved(
    options.inboxRuns,
    { inbox: () => inboxQuery(), sameColumns: () => sameColumnsQuery() },
    { warmup: 10 },
  );
  const pages = await measureInterleaved(
    options.inboxRuns,
    {
      page: () => pageQuery(),
      plainPage: () => plainPageQuery(),
      formerPage: () => formerPageQuery(),
      served: servedQuery,
      duePage: () => dueQuery(),
      plainDuePage: () => plainDueQuery(),
    },
    { warmup: 10 },
  );
  const { page, plainPage, formerPage, served, duePage, plainDuePage } = pages;
  // Drizzle builds the query lazily: unawaited, listInbox's result is the builder, and it has toSQL().
  const plans = {
    inbox: await planOf(database.pool, inboxQuery().toSQL()),
    page: await planOf(database.pool, pageQuery().toSQL()),
    due: await planOf(database.pool, dueQuery().toSQL()),
    former: await planOf(database.pool, formerQuery().toSQL()),
    plain: await planOf(database.pool, plainQuery().toSQL()),
  };

  // 2. Change-control workflow starts through a real worker, next to an empty workflow's starts.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-bench-'));
  cleanup.add('remove the data directory', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const workerConnection = await NativeConnection.connect({ address });
  cleanup.add('close the worker connection', () => workerConnection.close());
  const db = database.db;
  const taskQueue = `bench-processes-${process.pid}-${Date.now()}`;
  const emptyQueue = `bench-empty-${process.pid}-${Date.now()}`;
  const workers = [
    await Worker.create({
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: { code: appBundle.code },
      activities: {
        ...createRecordClosureActivities({ db, identity: sealingIdentity(loadConfig({ DATA_DIR: dataDir })) }),
        ...createProcessActivities({ db }),
        ...createEffectActivities({ db }),
      },
    }),
    await Worker.create({ connection: workerConnection, namespace: 'default', taskQueue: emptyQueue, workflowBundle: { code: emptyBundle.code } }),
  ];
  for (const worker of workers) {
    const done = worker.run();
    cleanup.add('stop a worker', async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    });
  }
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
  cleanup.add('close the Temporal client', () => client.connection.close());

  const startChange = changeControlStarter(client, taskQueue, users.initiator);
  const startEmpty = async () => {
    const handle = await client.workflow.start(benchEmpty, { taskQueue: emptyQueue, workflowId: `bench-empty-${randomUUID()}` });
    await within(handle.result(), 'benchEmpty');
  };
  const starts = await measureConcurrently(options.workflowStarts, CONCURRENCY, startChange, { warmup: CONCURRENCY });
  const empty = await measureConcurrently(options.workflowStarts, CONCURRENCY, startEmpty, { warmup: CONCURRENCY });
  const { rows: created } = await database.pool.query<{ n: string }>("SELECT count(*) AS n FROM records WHERE type = 'change_control'");
  const expectedRecords = options.openChanges + options.workflowStarts + CONCURRENCY;
  if (Number(created[0]!.n) !== expectedRecords) throw new Error(`${created[0]!.n} change controls stored, expected ${expectedRecords}`);

  const n = options.openChanges.toLocaleString('en');
  return {
    rows: [
      {
        benchmark: `inbox of one QA approver (listInbox), ${n} open change controls, ${inboxRows.toLocaleString('en')} rows`,
        measured: inbox,
        baseline: `SELECT id FROM tasks WHERE assignee_role = 'qa', ${plainRows.toLocaleString('en')} rows`,
        baselineMeasured: plain,
      },
      {
        benchmark: `the same inbox read as before migration 0017 (anti-join over tasks and completions, then a sort)`,
        measured: former,
        baseline: `SELECT id FROM tasks WHERE assignee_role = 'qa'`,
        baselineMeasured: formerPlain,
      },
      {
        benchmark: `the same inbox (listInbox), ${inboxRows.toLocaleString('en')} rows of ${INBOX_COLUMNS} columns`,
        measured: inboxBeside,
        baseline: `SELECT the task's ${Object.keys(TASK_COLUMNS).length} columns FROM tasks WHERE assignee_role = 'qa', ${plainRows.toLocaleString('en')} rows`,
        baselineMeasured: sameColumns,
      },
      {
        benchmark: `first page (${INBOX_PAGE_DEFAULT}) of that inbox (listInbox)`,
        measured: page,
        baseline: `the same SELECT ORDER BY opened_at LIMIT ${INBOX_PAGE_DEFAULT}`,
        baselineMeasured: plainPage,
      },
      {
        benchmark: `first page (${INBOX_PAGE_DEFAULT}) read as before migration 0017`,
        measured: formerPage,
        baseline: `the same SELECT ORDER BY opened_at LIMIT ${INBOX_PAGE_DEFAULT}`,
        baselineMeasured: plainPage,
      },
      {
        benchmark: `first page and total together, as GET /api/inbox serves them`,
        measured: served,
        baseline: `the same SELECT ORDER BY opened_at LIMIT ${INBOX_PAGE_DEFAULT}`,
        baselineMeasured: plainPage,
      },
      {
        benchmark: `first page, change controls only, latest due first (type=change_control&sort=due&direction=desc)`,
        measured: duePage,
        baseline: `the same SELECT ORDER BY due_at DESC LIMIT ${INBOX_PAGE_DEFAULT}`,
        baselineMeasured: plainDuePage,
      },
      {
        benchmark: `change control started until its record exists (Update-with-Start), ${CONCURRENCY} in flight`,
        measured: starts,
        baseline: `empty workflow start + result(), ${CONCURRENCY} in flight`,
        baselineMeasured: empty,
      },
    ],
    notes: [
      `inbox: ${n} change controls in approval filled with SQL (${fill.value.tasks.toLocaleString('en')} tasks: 2 open role tasks each, qa and ` +
        `approver_engineering; ${fill.value.userTasks.toLocaleString('en')} open tasks for individual users; ${fill.value.completed.toLocaleString('en')} older ` +
        `tasks completed, half of them qa) in ${fill.seconds.toFixed(1)} s, then VACUUM ANALYZE. ${options.inboxRuns} runs of each, interleaved call by call with their baselines (one call of each in turn), after 10 warm-up rounds; ` +
        `the whole lists one figure and its baseline to a loop (the same-columns row's inbox in a loop of its own, p99 ${fmt(inboxBeside.p99Ms)} ms). ` +
        `p99: inbox ${fmt(inbox.p99Ms)} ms vs baseline ${fmt(plain.p99Ms)} ms; before 0017 ${fmt(former.p99Ms)} ms vs ${fmt(formerPlain.p99Ms)} ms; first page ${fmt(page.p99Ms)} ms ` +
        `(before: ${fmt(formerPage.p99Ms)} ms; with the total: ${fmt(served.p99Ms)} ms) vs ${fmt(plainPage.p99Ms)} ms. ` +
        `Plans: listInbox ${plans.inbox}; first page ${plans.page}; due page ${plans.due}; before 0017 ${plans.former}; baseline ${plans.plain}.`,
      `workflow starts: ${options.workflowStarts} changeControlProcess starts (executeUpdateWithStart of processCreated, conflict policy FAIL; ` +
        `returns once the createProcessRecord activity has stored the record and its draft task), ${CONCURRENCY} in flight after ${CONCURRENCY} warm-up starts, ` +
        `one in-process worker with the real activities on its own task queue; baseline: benchEmpty on a second worker and queue, ` +
        `same count and concurrency, p99 ${fmt(empty.p99Ms)} ms. The started processes stay open in step draft until the dev server stops.`,
    ],
  };
}

/**
 * Exactly what the API does to create a change control: Update-with-Start, returning once the
 * createProcessRecord activity has stored the record (so a worker with the real activities ran it).
 */
export function changeControlStarter(client: Client, taskQueue: string, initiatorId: string): () => Promise<void> {
  return async () => {
    const recordId = randomUUID();
    const input: ProcessInput = {
      recordId,
      content: { title: 'Replace O-ring supplier for housing 4711', description: 'Second approved supplier.', reason: 'Discontinued.', riskLevel: 'medium' },
      context: { actorId: initiatorId, actorRoles: ['initiator'], clientIp: null, userAgent: null },
      timing: TIMING,
    };
    const state = await within(
      client.workflow.executeUpdateWithStart(processCreatedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(PROCESS_WORKFLOWS.change_control, {
          workflowId: processWorkflowId(recordId),
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
        }),
      }),
      'changeControlProcess',
    );
    if (state.status !== 'draft') throw new Error(`changeControlProcess started in ${state.status}, not draft`);
  };
}

export interface BenchUsers {
  initiator: string;
  qa: string;
  engineering: string;
  /** Who individual tasks go to, in turn; the QA approver is the first. */
  individuals: string[];
}

export async function insertUsers(db: Database): Promise<BenchUsers> {
  const people = [
    { username: 'bench-initiator', printedName: 'Ines Ortega', roles: ['initiator'] },
    { username: 'bench-qa', printedName: 'Quentin Adeyemi', roles: ['qa'] },
    { username: 'bench-engineering', printedName: 'Elena Novak', roles: ['approver_engineering'] },
    ...Array.from({ length: 9 }, (_, i) => ({ username: `bench-staff-${i + 1}`, printedName: `Staff Member ${i + 1}`, roles: ['initiator'] })),
  ].map((p) => ({ ...p, id: randomUUID() }));
  await ensureRoles(db, [...ROLES]);
  await db.transaction(async (tx) => {
    for (const p of people) {
      await insertUser(
        tx,
        { id: p.id, username: p.username, printedName: p.printedName, passwordHash: 'bench: no sign-in', mustChangePassword: false },
        p.roles,
      );
    }
  });
  const [initiator, qa, engineering, ...staff] = people.map((p) => p.id);
  return { initiator: initiator!, qa: qa!, engineering: engineering!, individuals: [qa!, ...staff] };
}

type Column = readonly [name: string, type: string];
const COLUMNS = {
  records: [
    ['id', 'uuid'],
    ['type', 'text'],
    ['number', 'text'],
    ['workflow_id', 'text'],
    ['created_by', 'uuid'],
    ['created_at', 'timestamptz'],
  ],
  record_versions: [
    ['record_id', 'uuid'],
    ['version', 'int'],
    ['content', 'jsonb'],
    ['content_hash', 'text'],
    ['created_by', 'uuid'],
    ['created_at', 'timestamptz'],
    ['reason', 'text'],
  ],
  record_transitions: [
    ['id', 'uuid'],
    ['record_id', 'uuid'],
    ['seq', 'int'],
    ['from_status', 'text'],
    ['to_status', 'text'],
    ['actor_id', 'uuid'],
    ['reason', 'text'],
    ['occurred_at', 'timestamptz'],
  ],
  tasks: [
    ['id', 'uuid'],
    ['record_id', 'uuid'],
    ['step', 'text'],
    ['action', 'text'],
    ['title', 'text'],
    ['assignee_user_id', 'uuid'],
    ['assignee_role', 'text'],
    ['opened_at', 'timestamptz'],
    ['due_at', 'timestamptz'],
  ],
  task_completions: [
    ['task_id', 'uuid'],
    ['outcome', 'text'],
    ['completed_by', 'uuid'],
    ['completed_at', 'timestamptz'],
  ],
} satisfies Record<string, readonly Column[]>;
type Table = keyof typeof COLUMNS;

/** One INSERT … SELECT unnest(…) of rows given as arrays in the table's column order. */
async function insertRows(pool: Pool, table: Table, rows: unknown[][]): Promise<void> {
  const columns: readonly Column[] = COLUMNS[table];
  const values = columns.map((_, c) => rows.map((row) => row[c]));
  const list = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await pool.query(`INSERT INTO ${table} (${list}) SELECT * FROM unnest(${arrays})`, values);
}

/**
 * `count` change controls waiting in approval: each with its version, its transition and two open
 * role tasks (qa, approver_engineering); every 10th with an extra open task for one user (the QA
 * approver's turn every 10th of those); 3 in 10 with two older tasks already completed (an earlier qa
 * sign-off round and the author's submission), which the inbox must leave out.
 */
export async function fillOpenChanges(pool: Pool, users: BenchUsers, count: number) {
  const year = new Date().getUTCFullYear();
  const start = Date.now() - count * 60_000 - 30 * DAY_MS;
  const totals = { tasks: 0, userTasks: 0, completed: 0, expectedInbox: 0 };
  for (let first = 1; first <= count; first += FILL_BATCH) {
    const rows: Record<Table, unknown[][]> = { records: [], record_versions: [], record_transitions: [], tasks: [], task_completions: [] };
    const task = (recordId: string, step: string, action: string, title: string, userId: string | null, role: string | null, openedAt: Date) => {
      const id = randomUUID();
      rows.tasks.push([id, recordId, step, action, title, userId, role, openedAt, new Date(openedAt.getTime() + 10 * DAY_MS)]);
      return id;
    };
    for (let i = first; i < Math.min(first + FILL_BATCH, count + 1); i++) {
      const id = randomUUID();
      const created = new Date(start + i * 60_000);
      const hours = (h: number) => new Date(created.getTime() + h * 3_600_000);
      const content = {
        title: `Replace O-ring supplier for housing ${4000 + (i % 1000)}`,
        description: 'Move the O-ring to the second approved supplier; same drawing, same material.',
        reason: 'Current supplier discontinues the part.',
        riskLevel: 'medium',
        impact: { affectedAreas: ['engineering'], affectedDocuments: [], affectedItems: [`4711-${i % 100}`], affectedSuppliers: [], riskLevel: 'medium' },
      };
      rows.records.push([id, 'change_control', `CC-${year}-${String(i).padStart(5, '0')}`, processWorkflowId(id), users.initiator, created]);
      rows.record_versions.push([id, 1, JSON.stringify(content), canonicalHash(content), users.initiator, created, 'Created']);
      rows.record_transitions.push([randomUUID(), id, 1, 'impact_assessment', 'approval', users.initiator, null, hours(2)]);
      task(id, 'approval', 'sign', 'Approve the change', null, 'qa', hours(2));
      task(id, 'approval', 'sign', 'Approve the change', null, 'approver_engineering', hours(2));
      totals.tasks += 2;
      totals.expectedInbox += 1;
      if (i % 10 === 0) {
        const userId = users.individuals[(i / 10) % users.individuals.length]!;
        task(id, 'approval', 'review', 'Review the supplier data sheet', userId, null, hours(3));
        totals.tasks += 1;
        totals.userTasks += 1;
        if (userId === users.qa) totals.expectedInbox += 1;
      }
      if (i % 10 >= 1 && i % 10 <= 3) {
        const earlierSignOff = task(id, 'approval', 'sign', 'Approve the change', null, 'qa', hours(0.5));
        const submission = task(id, 'impact_assessment', 'submit', 'Assess the impact and plan the implementation', users.initiator, null, hours(0));
        rows.task_completions.push([earlierSignOff, 'completed', users.qa, hours(1)], [submission, 'completed', users.initiator, hours(1.5)]);
        totals.tasks += 2;
        totals.completed += 2;
      }
    }
    for (const table of Object.keys(COLUMNS) as Table[]) await insertRows(pool, table, rows[table]);
  }
  // The next number the application assigns follows the filled ones.
  await pool.query(`INSERT INTO record_counters (type, year, last) VALUES ('CC', $1, $2)`, [year, count]);
  return totals;
}

interface SqlQuery {
  sql: string;
  params: unknown[];
}
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Join Type'?: string;
  Plans?: PlanNode[];
}

/** The plan's nodes in order, e.g. "Sort > Hash Join > Seq Scan on tasks > Index Scan using records_pkey on records". */
async function planOf(pool: Pool, query: SqlQuery): Promise<string> {
  const { rows } = await pool.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${query.sql}`, query.params);
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Node Type'] !== 'Hash') {
      nodes.push(
        `${node['Node Type']}${node['Join Type'] && node['Join Type'] !== 'Inner' ? ` (${node['Join Type']})` : ''}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}`,
      );
    }
    node.Plans?.forEach(walk);
  };
  walk(rows[0]!['QUERY PLAN'][0]!.Plan);
  return nodes.join(' > ');
}

/** A failing workflow task is retried for ever; a start that takes a minute fails the bench instead of hanging it. */
async function within<T>(promise: Promise<T>, workflowType: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${workflowType} did not answer within 60 s; see the worker's WARN log for failing workflow tasks`)), 60_000);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const fmt = (value: Measurement['p99Ms']) => (value === undefined ? '–' : value.toFixed(1));
