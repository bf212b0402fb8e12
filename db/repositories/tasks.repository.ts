import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type AnyColumn, type SQL, type SQLWrapper, QueryPromise } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Executor } from '../client';
import { openTasks, records, taskCompletions, tasks, type TaskRow } from '../schema';

export async function insertTask(tx: Executor, task: typeof tasks.$inferInsert): Promise<void> {
  await tx.insert(tasks).values(task).onConflictDoNothing();
}

export async function taskExists(db: Executor, id: string): Promise<boolean> {
  const [row] = await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, id));
  return row !== undefined;
}

export async function findTaskWithCompletion(db: Executor, id: string) {
  const [row] = await db
    .select({ task: tasks, completion: taskCompletions })
    .from(tasks)
    .leftJoin(taskCompletions, eq(taskCompletions.taskId, tasks.id))
    .where(eq(tasks.id, id));
  return row;
}

/** Whether any task of the record (open or closed) was ever assigned to this person by name. */
/** Whether the record ever gave a task to this person by name or to one of their roles. */
export async function hasTaskAssignedTo(db: Executor, recordId: string, userId: string, roles: string[] = []): Promise<boolean> {
  const addressed = roles.length ? or(eq(tasks.assigneeUserId, userId), inArray(tasks.assigneeRole, roles)) : eq(tasks.assigneeUserId, userId);
  const [row] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.recordId, recordId), addressed))
    .limit(1);
  return row !== undefined;
}

export function listOpenTasksForRecord(db: Executor, recordId: string): Promise<TaskRow[]> {
  return db
    .select({ task: tasks })
    .from(tasks)
    .leftJoin(taskCompletions, eq(taskCompletions.taskId, tasks.id))
    .where(and(eq(tasks.recordId, recordId), isNull(taskCompletions.taskId)))
    .orderBy(asc(tasks.openedAt))
    .then((rows) => rows.map((r) => r.task));
}

/** Closes every open task of the record, as a transition leaves its step. */
export async function completeOpenTasks(tx: Executor, recordId: string, completedBy: string, completedAt: Date): Promise<void> {
  const open = await listOpenTasksForRecord(tx, recordId);
  await completeTasks(
    tx,
    open.map((t) => t.id),
    'completed',
    completedBy,
    completedAt,
  );
}

export async function completeTasks(
  tx: Executor,
  taskIds: string[],
  outcome: 'completed' | 'cancelled',
  completedBy: string | null,
  completedAt: Date,
): Promise<void> {
  if (!taskIds.length) return;
  await tx
    .insert(taskCompletions)
    .values(taskIds.map((taskId) => ({ taskId, outcome, completedBy, completedAt })))
    .onConflictDoNothing();
}

export interface InboxEntry {
  taskId: string;
  recordId: string;
  recordNumber: string;
  recordType: string;
  step: string;
  action: string;
  title: string;
  assigneeRole: string | null;
  openedAt: Date;
  dueAt: Date | null;
  /** This task chases another task that went overdue. */
  escalated: boolean;
}

/** What an inbox narrows to; the fields combine with AND. */
export interface InboxFilter {
  recordType?: string;
  /** Only tasks due strictly before this instant (overdue at it); tasks without a due date never are. */
  dueBefore?: Date;
}

/**
 * The order of an inbox, always total (the task id breaks ties), so pages are stable. `opened`:
 * opened time; `due`: due time, then opened time, a task without a due date counting as due after
 * every dated one (last in ascending order, first in descending).
 */
export interface InboxOrder {
  sort: 'opened' | 'due';
  direction: 'asc' | 'desc';
}

export interface InboxPage {
  limit: number;
  offset: number;
}

export const INBOX_OLDEST_FIRST: InboxOrder = { sort: 'opened', direction: 'asc' };

/**
 * The inbox as a query: awaited (each time anew), its entries; `toSQL()`, the statement (for
 * EXPLAIN). Its rows are the entries themselves: the columns are named as `InboxEntry` names them,
 * and only the two timestamps (which Drizzle's driver settings leave as text) become Dates, in
 * place. Drizzle's own row mapping builds an array and then an object per row and walks each
 * column's path; over a whole inbox of 10,000 rows that about doubled the garbage and the GC pauses
 * that made the inbox's tail (docs/inbox.md, "Where the whole inbox's p99 goes").
 */
export class InboxQuery extends QueryPromise<InboxEntry[]> {
  constructor(
    private readonly db: Executor,
    private readonly statement: SQLWrapper & { toSQL(): { sql: string; params: unknown[] } },
  ) {
    super();
  }

  toSQL(): { sql: string; params: unknown[] } {
    return this.statement.toSQL();
  }

  async execute(): Promise<InboxEntry[]> {
    type Row = Omit<InboxEntry, 'openedAt' | 'dueAt'> & { openedAt: string | Date; dueAt: string | Date | null };
    const { rows } = await this.db.execute<Row>(this.statement);
    for (const row of rows) {
      row.openedAt = new Date(row.openedAt);
      if (row.dueAt !== null) row.dueAt = new Date(row.dueAt);
    }
    return rows as InboxEntry[];
  }
}

/**
 * The open tasks addressed to the user or to a role the user holds, read from the projection
 * `open_tasks` (migration 0017). One branch per addressee (the user, each role), each an index scan
 * in the order asked for, cut at the end of the page; the branches' rows (at most offset + limit
 * each) are then ordered and cut again: no anti-join, and no sort over the whole inbox. Without a
 * page, every open task, in order. A task addressed to the user and to one of their roles is listed
 * once (in the user's branch).
 */
export function listInbox(
  db: Executor,
  userId: string,
  roleNames: readonly string[],
  options: { filter?: InboxFilter; order?: InboxOrder; page?: InboxPage } = {},
): InboxQuery {
  const order = options.order ?? INBOX_OLDEST_FIRST;
  const page = options.page;
  const [first, second, ...rest] = inboxBranches(db, userId, roleNames, options.filter ?? {});
  const inBranch = inboxOrderBy(openTasks, order);
  let query;
  if (!second) {
    const only = first!.orderBy(...inBranch);
    query = page ? only.limit(page.limit).offset(page.offset) : only;
  } else {
    // A page starting at `offset` needs at most offset + limit tasks of any one branch. The union is
    // ordered by its output columns, which carry the entry's names.
    const cut = (branch: typeof first) => (page ? branch!.orderBy(...inBranch).limit(page.offset + page.limit) : branch!.orderBy(...inBranch));
    const union = unionAll(cut(first), cut(second), ...rest.map(cut))
      .orderBy(...inboxOrderBy({ openedAt: sql.identifier('openedAt'), dueAt: sql.identifier('dueAt'), taskId: sql.identifier('taskId') }, order))
      .$dynamic();
    query = page ? union.limit(page.limit).offset(page.offset) : union;
  }
  return new InboxQuery(db, query);
}

function inboxOrderBy(
  columns: { openedAt: AnyColumn | SQLWrapper; dueAt: AnyColumn | SQLWrapper; taskId: AnyColumn | SQLWrapper },
  { sort, direction }: InboxOrder,
): SQL[] {
  const by = direction === 'asc' ? asc : desc;
  return sort === 'opened' ? [by(columns.openedAt), by(columns.taskId)] : [by(columns.dueAt), by(columns.openedAt), by(columns.taskId)];
}

/**
 * How many open tasks the inbox holds with these filters, on every page together: a count per
 * addressee, each an index-only scan (the opened-order indexes carry the filtered columns), summed.
 */
export async function countInbox(db: Executor, userId: string, roleNames: readonly string[], filter: InboxFilter = {}): Promise<number> {
  const conditions = inboxConditions(filter);
  const [first, second, ...rest] = addressedTo(userId, roleNames).map((addressee) =>
    db
      .select({ n: sql<number>`count(*)`.as('n') })
      .from(openTasks)
      .where(and(addressee, ...conditions)),
  );
  const counts = (second ? unionAll(first!, second, ...rest) : first!).as('counts');
  const [row] = await db.select({ total: sql<number>`coalesce(sum(${counts.n}), 0)::int` }).from(counts);
  return row?.total ?? 0;
}

function inboxConditions(filter: InboxFilter): (SQL | undefined)[] {
  return [
    filter.recordType !== undefined ? eq(openTasks.recordType, filter.recordType) : undefined,
    filter.dueBefore !== undefined ? lt(openTasks.dueAt, filter.dueBefore) : undefined,
  ];
}

/** One condition per addressee: the user, then each role (leaving out what the user's own branch lists). */
function addressedTo(userId: string, roleNames: readonly string[]): SQL[] {
  return [
    eq(openTasks.assigneeUserId, userId),
    ...[...new Set(roleNames)].map((role) => and(eq(openTasks.assigneeRole, role), sql`${openTasks.assigneeUserId} IS DISTINCT FROM ${userId}`)!),
  ];
}

function inboxBranches(db: Executor, userId: string, roleNames: readonly string[], filter: InboxFilter) {
  // Named as the entry's fields, so that the rows are the entries (InboxQuery.execute).
  const named = <T>(column: AnyColumn, name: keyof InboxEntry) => sql<T>`${column}`.as(name);
  const columns = {
    taskId: named<string>(openTasks.taskId, 'taskId'),
    recordId: named<string>(openTasks.recordId, 'recordId'),
    recordNumber: named<string>(openTasks.recordNumber, 'recordNumber'),
    recordType: named<string>(openTasks.recordType, 'recordType'),
    step: named<string>(openTasks.step, 'step'),
    action: named<string>(openTasks.action, 'action'),
    title: named<string>(openTasks.title, 'title'),
    assigneeRole: named<string | null>(openTasks.assigneeRole, 'assigneeRole'),
    openedAt: named<string>(openTasks.openedAt, 'openedAt'),
    dueAt: named<string | null>(openTasks.dueAt, 'dueAt'),
    escalated: named<boolean>(openTasks.escalated, 'escalated'),
  };
  const conditions = inboxConditions(filter);
  return addressedTo(userId, roleNames).map((addressee) =>
    db
      .select(columns)
      .from(openTasks)
      .where(and(addressee, ...conditions))
      .$dynamic(),
  );
}

/**
 * The same inbox read from the record itself, not from the projection: tasks addressed to the user
 * or their roles that have no completion, oldest first. An anti-join over every such task and a sort;
 * what `listInbox` must equal, for verification and for the benchmark's before/after.
 */
export function listInboxFromTasks(db: Executor, userId: string, roleNames: readonly string[]) {
  const addressedToUser = eq(tasks.assigneeUserId, userId);
  const addressed = roleNames.length ? or(addressedToUser, inArray(tasks.assigneeRole, [...roleNames])) : addressedToUser;
  return db
    .select({
      taskId: tasks.id,
      recordId: tasks.recordId,
      recordNumber: records.number,
      recordType: records.type,
      step: tasks.step,
      action: tasks.action,
      title: tasks.title,
      assigneeRole: tasks.assigneeRole,
      openedAt: tasks.openedAt,
      dueAt: tasks.dueAt,
      escalated: sql<boolean>`${tasks.escalatesTaskId} IS NOT NULL`,
    })
    .from(tasks)
    .innerJoin(records, eq(records.id, tasks.recordId))
    .where(and(addressed, sql`NOT EXISTS (SELECT 1 FROM ${taskCompletions} WHERE ${taskCompletions.taskId} = ${tasks.id})`))
    .orderBy(asc(tasks.openedAt), asc(tasks.id))
    .$dynamic();
}

/**
 * Where the projection `open_tasks` differs from what `tasks`, `task_completions` and `records` say:
 * task ids with no row or a row that differs (`missing`), and rows the truth does not have or has
 * otherwise (`extra`). Both empty when the projection is right.
 */
export async function findOpenTasksDrift(db: Executor): Promise<{ missing: string[]; extra: string[] }> {
  const truth = sql`
    SELECT t.id AS task_id, t.record_id, r.type AS record_type, r.number AS record_number, t.step, t.action, t.title,
           t.assignee_user_id, t.assignee_role, t.opened_at, t.due_at, t.escalates_task_id IS NOT NULL AS escalated
    FROM ${tasks} t JOIN ${records} r ON r.id = t.record_id
    WHERE NOT EXISTS (SELECT 1 FROM ${taskCompletions} c WHERE c.task_id = t.id)`;
  const projected = sql`
    SELECT task_id, record_id, record_type, record_number, step, action, title, assignee_user_id, assignee_role, opened_at, due_at, escalated
    FROM ${openTasks}`;
  const ids = async (query: SQL) => (await db.execute<{ task_id: string }>(sql`SELECT task_id FROM (${query}) d ORDER BY task_id`)).rows.map((r) => r.task_id);
  const [missing, extra] = await Promise.all([ids(sql`${truth} EXCEPT ${projected}`), ids(sql`${projected} EXCEPT ${truth}`)]);
  return { missing, extra };
}
