// Moving a process between steps: the tasks a step opens (each watched for its due date), entering
// a step (new round, its tasks, its effects) and the one-activity move used by cancellation,
// submission, obsolescence and the moves a process makes by itself.
import { uuid4 } from '@temporalio/workflow';
import type { ActorContext, ProcessState, ProcessTask } from '../contracts/process-contracts';
import { stepOf } from './definition';
import { runEffects } from './effects';
import { watchTask } from './escalation';
import type { ProcessRun } from './process-run';
import { tasksOpenedBy } from './step-tasks';

/** The tasks step `status` opens for this content (only these quorum places, when given). */
export const tasksFor = (run: ProcessRun, status: string, current: Pick<ProcessState, 'content' | 'authorId' | 'number'>, onlyPlaces?: string[]) =>
  tasksOpenedBy(run.definition, run.timing, status, current, onlyPlaces);

/** Adds opened tasks to the state and watches each for its due date. */
export function openTasks(run: ProcessRun, tasks: ProcessTask[]): void {
  run.state.addTasks(tasks);
  // Each watcher runs beside the process on its own timers and ends when its task closes;
  // allHandlersFinished does not wait for it, and the workflow's end cancels its timers.
  for (const task of tasks) void watchTask(task, run.watching);
}

/** After a recorded transition: enters `to`, opens its tasks, runs the transition's effects. */
export async function enterStep(
  run: ProcessRun,
  transition: { from: string; to: string; openTasks: ProcessTask[]; reason: string | null; context: ActorContext | null },
): Promise<void> {
  run.state.enter(transition.to);
  openTasks(run, transition.openTasks);
  await runEffects(run, { from: transition.from, to: transition.to, reason: transition.reason, context: transition.context });
}

/** Moves the process to `to`; the activity writes the transition and the tasks `to` opens. */
export async function move(
  run: ProcessRun,
  current: ProcessState,
  to: string,
  auditAction: string,
  options: {
    context: ActorContext | null;
    reason?: string | null;
    eligible?: { userIds?: string[]; roles?: string[] } | null;
    newContent?: Record<string, unknown> | null;
    closeOutcome?: 'completed' | 'cancelled';
  },
): Promise<void> {
  const content = options.newContent ?? current.content;
  const openTasks = tasksFor(run, to, { ...current, content });
  const closeTaskIds = current.openTasks.map((t) => t.taskId);
  const result = await run.activities.transitionProcess({
    recordId: current.recordId,
    context: options.context,
    eligible: options.eligible ?? null,
    newContent: options.newContent ? { content: options.newContent, reason: `${stepOf(run.definition, current.status).title} completed` } : null,
    closeTaskIds,
    closeOutcome: options.closeOutcome ?? 'completed',
    transition: { transitionId: uuid4(), from: current.status, to, auditAction, reason: options.reason ?? null, openTasks },
  });
  current.content = content;
  run.state.noteVersion(result);
  run.state.closeTasks(closeTaskIds);
  await enterStep(run, { from: current.status, to, openTasks, reason: options.reason ?? null, context: options.context });
}
