import type { Executor } from '../../db/client';
import { hasTaskAssignedTo, type RecordReadScope, type UserWithRoles } from '../../db/repositories';
import type { RecordRow } from '../../db/schema';
import { AppError } from '../common/app-error';

/** Roles that read every record; anyone else reads the records they authored (and see below, tasks). */
export const READ_ALL_ROLES = [
  'qa',
  'auditor',
  'administrator',
  'approver_engineering',
  'approver_production',
  'approver_quality_control',
  'approver_regulatory',
  'approver_supply_chain',
  'document_controller',
  'mrb',
  'supplier_quality',
  'manager',
];

export function canRead(user: UserWithRoles, record: Pick<RecordRow, 'createdBy'>): boolean {
  return user.roles.some((role) => READ_ALL_ROLES.includes(role)) || record.createdBy === user.id;
}

export function assertCanRead(user: UserWithRoles, record: Pick<RecordRow, 'createdBy' | 'number'>): void {
  if (!canRead(user, record)) throw new AppError('record_not_readable', `You may not read ${record.number}.`);
}

/**
 * The same rule, and a person to whom the record ever assigned a task by name (a CAPA action's
 * owner, an implementation task's owner) reads the record the task belongs to.
 */
export async function assertMayRead(db: Executor, user: UserWithRoles, record: Pick<RecordRow, 'id' | 'createdBy' | 'number'>): Promise<void> {
  if (await mayRead(db, user, record)) return;
  assertCanRead(user, record);
}

/** Whether `assertMayRead` lets this person read the record (for lists that leave out what the reader may not see). */
export async function mayRead(db: Executor, user: UserWithRoles, record: Pick<RecordRow, 'id' | 'createdBy'>): Promise<boolean> {
  // A person asked to act on a record (a task by name, or to one of their roles: a reviewer role) reads it.
  return canRead(user, record) || hasTaskAssignedTo(db, record.id, user.id, user.roles);
}

/**
 * The same rule as a list filter (db/repositories/record-list.repository.ts applies it in SQL):
 * everything for the read-all roles, else what the person authored or was ever given a task on.
 */
export function readScopeOf(user: UserWithRoles): RecordReadScope {
  return user.roles.some((role) => READ_ALL_ROLES.includes(role)) ? { everything: true } : { everything: false, userId: user.id, roles: user.roles };
}
