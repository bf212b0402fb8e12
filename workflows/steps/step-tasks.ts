// The tasks a step opens when it is entered: the author's submission, one signature task per quorum
// place, one task per implementation task or action. Deterministic (ids from the workflow's uuid4,
// due dates from the workflow clock).
import { uuid4 } from '@temporalio/workflow';
import { msToNumber, type Duration } from '@temporalio/common';
import type { ProcessState, ProcessTask, ProcessTiming } from '../contracts/process-contracts';
import { workflowNow } from './clock';
import { stepOf, type ProcessDefinition } from './definition';

/** Timing strings are validated where configuration is read (config/config.ts). */
export const ms = (duration: string) => msToNumber(duration as Duration);
export const contentTitle = (content: Record<string, unknown>) => (typeof content.title === 'string' ? content.title : '');
export const dueIn = (duration: string) => new Date(workflowNow() + ms(duration)).toISOString();

export const newTask = (fields: Omit<ProcessTask, 'taskId' | 'escalatesTaskId'> & { escalatesTaskId?: string | null }): ProcessTask => ({
  taskId: uuid4(),
  escalatesTaskId: null,
  ...fields,
});

/** The tasks a step opens when it is entered, for the given content. */
export function tasksOpenedBy(
  definition: ProcessDefinition,
  timing: ProcessTiming,
  status: string,
  current: Pick<ProcessState, 'content' | 'authorId' | 'number'>,
  onlyPlaces?: string[],
): ProcessTask[] {
  const step = stepOf(definition, status);
  const title = contentTitle(current.content);
  switch (step.kind) {
    case 'author':
      return [
        newTask({
          step: status,
          action: 'submit',
          title: `${step.title}: ${title}`,
          assigneeUserId: step.performer === 'author' ? current.authorId : null,
          assigneeRole: step.performer === 'author' ? null : step.performer[0]!,
          dueAt: dueIn(timing.taskDue),
          place: null,
        }),
      ];
    case 'signoff':
      return step
        .quorum(current.content)
        .filter((role) => !onlyPlaces || onlyPlaces.includes(role))
        .map((role) =>
          newTask({
            step: status,
            action: 'sign',
            title: `${step.title} (${role}): ${title}`,
            assigneeUserId: null,
            assigneeRole: role,
            dueAt: dueIn(timing.taskDue),
            place: role,
          }),
        );
    case 'tasks':
      return step.tasks(current.content).map((t) =>
        newTask({
          step: status,
          action: 'complete',
          title: t.title,
          assigneeUserId: t.ownerId,
          assigneeRole: null,
          dueAt: t.dueAt ?? dueIn(timing.taskDue),
          place: t.key,
        }),
      );
    default:
      return [];
  }
}
