// Due dates on durable timers: a task that is still open `reminderLead` before its due date sends a
// reminder; at the due date a follow-up task goes to the manager role, and `escalationInterval`
// later one to QA. Each follow-up points at the task it chases and closes with it.
import { condition } from '@temporalio/workflow';
import type { ProcessActivities } from '../contracts/process-activities';
import type { ProcessState, ProcessTask, ProcessTiming } from '../contracts/process-contracts';
import { workflowNow } from './clock';
import { QA_ROLE } from './rules';
import { ms, newTask } from './step-tasks';

/** The role asked to follow up an overdue task first; QA after it. */
export const MANAGER_ROLE = 'manager';

/** What watching a task needs from its process. */
export interface TaskWatching {
  recordId: string;
  timing: ProcessTiming;
  isOpen(taskId: string): boolean;
  /** Runs `run` as the process's one action at a time, on its live state. */
  exclusive<T>(run: (current: ProcessState) => Promise<T>): Promise<T>;
  noteOverdueTask: ProcessActivities['noteOverdueTask'];
}

export async function watchTask(task: ProcessTask, { recordId, timing, isOpen, exclusive, noteOverdueTask }: TaskWatching): Promise<void> {
  if (!task.dueAt || task.action === 'follow_up') return;
  /** Waits until the task closes or `waitMs` pass; true when it closed. */
  const closedWithin = (waitMs: number) => condition(() => !isOpen(task.taskId), Math.max(1, waitMs));
  const due = Date.parse(task.dueAt);
  if (await closedWithin(due - ms(timing.reminderLead) - workflowNow())) return;
  await exclusive(() => noteOverdueTask({ recordId, task, level: 'reminder', followUp: null }));
  if (await closedWithin(due - workflowNow())) return;
  for (const role of [MANAGER_ROLE, QA_ROLE]) {
    const escalated = await exclusive(async (current) => {
      if (!isOpen(task.taskId)) return false;
      const followUp = newTask({
        step: task.step,
        action: 'follow_up',
        title: `Overdue in ${current.number}: ${task.title}`,
        assigneeUserId: null,
        assigneeRole: role,
        dueAt: null,
        place: null,
        escalatesTaskId: task.taskId,
      });
      await noteOverdueTask({ recordId, task, level: 'escalation', followUp });
      current.openTasks.push(followUp);
      return true;
    });
    if (!escalated || (await closedWithin(ms(timing.escalationInterval)))) return;
  }
}
