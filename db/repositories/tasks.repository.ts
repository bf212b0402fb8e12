import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { records, taskCompletions, tasks, type TaskRow } from '../schema';

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

export interface InboxPage {
  limit: number;
  offset: number;
}

/** Open tasks addressed to the user or to any role the user holds, oldest first; one page of them when `page` is given. */
export function listInbox(db: Executor, userId: string, roleNames: string[], page?: InboxPage): Promise<InboxEntry[]> {
  const addressedToUser = eq(tasks.assigneeUserId, userId);
  const addressed = roleNames.length ? or(addressedToUser, inArray(tasks.assigneeRole, roleNames)) : addressedToUser;
  const query = db
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
  return page ? query.limit(page.limit).offset(page.offset) : query;
}
