// The steps a process takes by itself, one runner per kind of step: a wait's durable timer, a pass
// step's move on, a tasks step's children, a hold's periodic reviews. Author and sign-off steps only
// wait for their Updates (record-actions.ts, signoff-actions.ts); a final step ends the loop.
import { condition } from '@temporalio/workflow';
import { startChildren, tellParentDone } from './child-processes';
import { workflowNow } from './clock';
import { nextOf, stepOf, type HoldStep, type PassStep, type StepDefinition, type TaskStep, type WaitStep } from './definition';
import type { ProcessRun } from './process-run';
import { contentTitle, dueIn, ms, newTask } from './step-tasks';
import { move, openTasks } from './transitions';

/** The step being run: entered as `status` in `round`; `ended` once an Update moved on or an event it names is raised. */
interface StepAt {
  status: string;
  round: number;
  left: () => boolean;
  ended: () => boolean;
}

/**
 * Moves on by itself from `status` (in `round`), unless an Update moved the process meanwhile:
 * to where a raised event the step names leads, else to `to`. Decided inside the lock, so the
 * effects of the Update that entered the step (and the events they raise) have all run.
 */
const moveByItself = (run: ProcessRun, at: StepAt, to: string | null, auditAction = '', reason: string | null = null) =>
  run.exclusive(async (current) => {
    if (run.state.hasLeft(at.status, at.round)) return;
    const pending = run.state.eventIn(stepOf(run.definition, at.status));
    if (pending) {
      run.state.consume(pending.name);
      await move(run, current, pending.event.to, pending.event.auditAction, { context: null, reason: pending.event.reason });
    } else if (to !== null) {
      await move(run, current, to, auditAction, { context: null, reason });
    }
  });

async function runWait(run: ProcessRun, at: StepAt, step: WaitStep): Promise<void> {
  const until = step.until(run.state.record.content, run.timing, workflowNow());
  if (!(await condition(at.ended, Math.max(1, until - workflowNow()))))
    await moveByItself(run, at, nextOf(step.next, run.state.record.content), 'record.timer_elapsed');
}

function runPass(run: ProcessRun, at: StepAt, step: PassStep): Promise<void> {
  // Its enter effects ran with the transition into it; an event they raised wins over `next`.
  return moveByItself(run, at, nextOf(step.next, run.state.record.content), step.auditAction);
}

async function runTasks(run: ProcessRun, at: StepAt, step: TaskStep): Promise<void> {
  const { state } = run;
  await startChildren(run, step.children?.(state.record.content) ?? []);
  if (!state.record.openTasks.some((t) => t.step === at.status && t.action === 'complete'))
    await moveByItself(run, at, nextOf(step.next, state.record.content), 'record.implemented', 'No implementation tasks');
  else await condition(at.ended);
}

async function runHold(run: ProcessRun, at: StepAt, step: HoldStep): Promise<void> {
  const review = step.periodicReview;
  if (!review) {
    await condition(at.ended);
  } else if (!(await condition(at.ended, ms(run.timing[review.every])))) {
    await run.exclusive(async (current) => {
      if (at.left()) return;
      const task = newTask({
        step: at.status,
        action: 'review',
        title: `${review.title}: ${contentTitle(current.content)}`,
        assigneeUserId: null,
        assigneeRole: review.role,
        dueAt: dueIn(run.timing.taskDue),
        place: null,
      });
      await run.activities.openProcessTask({ recordId: current.recordId, task, auditAction: 'task.periodic_review_due' });
      openTasks(run, [task]);
    });
  }
}

/** Runs the process's steps until it reaches a final one. */
export async function runSteps(run: ProcessRun, tellsParentWhenDone: boolean): Promise<void> {
  const { definition, input, state } = run;
  let toldParent = false;
  while (!state.record.final) {
    const status = state.record.status;
    if (tellsParentWhenDone && input.parent && !toldParent && definition.doneForParent.includes(status)) {
      toldParent = true;
      await tellParentDone(run, input.parent.recordId, status);
    }
    const round = state.record.round;
    const step: StepDefinition = stepOf(definition, status);
    const left = () => state.hasLeft(status, round);
    // The step ends when an Update moves the process, or when an event it names is raised.
    const at: StepAt = { status, round, left, ended: () => left() || state.eventIn(step) !== null };
    if (state.eventIn(step)) {
      await moveByItself(run, at, null);
      continue;
    }
    switch (step.kind) {
      case 'wait':
        await runWait(run, at, step);
        break;
      case 'pass':
        await runPass(run, at, step);
        break;
      case 'tasks':
        await runTasks(run, at, step);
        break;
      case 'hold':
        await runHold(run, at, step);
        break;
      default:
        await condition(at.ended);
    }
  }
}
