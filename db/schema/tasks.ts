import { boolean, index, pgTable, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { utcTimestamp } from './columns';
import { users } from './identity';
import { records } from './records';

/** Inbox entries opened by workflows, for one user or for everyone holding a role. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id),
    step: text('step').notNull(),
    action: text('action').notNull(),
    title: text('title').notNull(),
    assigneeUserId: uuid('assignee_user_id').references(() => users.id),
    assigneeRole: text('assignee_role'),
    openedAt: utcTimestamp('opened_at').notNull(),
    dueAt: utcTimestamp('due_at'),
    /** An escalation task points at the overdue task it chases. */
    escalatesTaskId: uuid('escalates_task_id').references((): AnyPgColumn => tasks.id),
  },
  (t) => [index('tasks_assignee_user_idx').on(t.assigneeUserId), index('tasks_assignee_role_idx').on(t.assigneeRole), index('tasks_record_idx').on(t.recordId)],
);
export type TaskRow = typeof tasks.$inferSelect;

/** A task is closed by appending its completion; tasks themselves are never edited. */
export const taskCompletions = pgTable('task_completions', {
  taskId: uuid('task_id')
    .primaryKey()
    .references(() => tasks.id),
  outcome: text('outcome', { enum: ['completed', 'cancelled'] }).notNull(),
  completedBy: uuid('completed_by').references(() => users.id),
  completedAt: utcTimestamp('completed_at').notNull(),
});

/**
 * Derived, not a record: the tasks without a completion, with what the inbox shows. Kept by triggers
 * on `tasks` and `task_completions` in the transaction that writes them (migration 0017), which also
 * refuse any other write; `tasks` and `task_completions` stay the record.
 */
export const openTasks = pgTable('open_tasks', {
  taskId: uuid('task_id')
    .primaryKey()
    .references(() => tasks.id),
  recordId: uuid('record_id')
    .notNull()
    .references(() => records.id),
  recordType: text('record_type').notNull(),
  recordNumber: text('record_number').notNull(),
  step: text('step').notNull(),
  action: text('action').notNull(),
  title: text('title').notNull(),
  assigneeUserId: uuid('assignee_user_id'),
  assigneeRole: text('assignee_role'),
  openedAt: utcTimestamp('opened_at').notNull(),
  dueAt: utcTimestamp('due_at'),
  escalated: boolean('escalated').notNull(),
});
