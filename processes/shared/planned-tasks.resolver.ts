// Planned tasks as people send them (owner by username) → tasks in the content (owner id and printed
// name, due date normalised). An unknown, inactive or non-owning owner is refused before any process sees it.
import { AppError } from '../../api/common/app-error';
import type { Database } from '../../db/client';
import { dutyLimits, findUserByUsername } from '../../db/repositories';
import type { ImplementationTask } from '../../workflows/steps/definition';
import type { PlannedTaskDto } from './planned-task.schemas';

export type PlannedTask = ImplementationTask & { ownerName: string };

/** Keys are `<prefix>-1`, `<prefix>-2`, … in the order sent. */
export async function resolvePlannedTasks(db: Database, tasks: readonly PlannedTaskDto[], prefix: string): Promise<PlannedTask[]> {
  return Promise.all(
    tasks.map(async (task, index) => {
      const owner = await findUserByUsername(db, task.ownerUsername);
      if (!owner || owner.status !== 'active') throw new AppError('unknown_user', `Task "${task.title}": no active user ${task.ownerUsername}.`);
      const { mayNotOwnTasks } = await dutyLimits(db, owner.roles);
      if (mayNotOwnTasks.length) {
        throw new AppError(
          'role_may_not_own_task',
          `Task "${task.title}": ${task.ownerUsername} holds the role ${mayNotOwnTasks.join(', ')}, which never owns a task.`,
          { ownerUsername: task.ownerUsername, roles: mayNotOwnTasks },
        );
      }
      return {
        key: `${prefix}-${index + 1}`,
        title: task.title,
        ownerId: owner.id,
        ownerName: owner.printedName,
        dueAt: task.dueAt ? new Date(task.dueAt).toISOString() : null,
      };
    }),
  );
}

/** Only the fields that were sent (validated DTO instances carry declared-but-absent fields as undefined). */
export function sentFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
