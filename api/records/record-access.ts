import type { UserWithRoles } from '../../db/repositories';
import type { RecordRow } from '../../db/schema';
import { AppError } from '../common/app-error';

/** Roles that read every record; anyone else reads the records they authored. */
export const READ_ALL_ROLES = [
  'qa',
  'auditor',
  'administrator',
  'approver_engineering',
  'approver_production',
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
