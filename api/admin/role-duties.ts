// Separation of duties between administering the system and signing in it (DESIGN.md, "Roles and
// what they may do"): a role either may sign (and own tasks) or may not; nobody holds one of each.
import type { RoleRow } from '../../db/schema';
import { AppError } from '../common/app-error';

/** The role whose holders manage accounts; at least one active person always holds it. */
export const ADMINISTRATOR_ROLE = 'administrator';

/**
 * Refuses a set of roles that mixes a role that never signs (administrator, auditor) with one that
 * signs, or a role that never owns a task with one that does: an administrator cannot become a
 * signer, and a signer cannot become an administrator, under one account.
 */
export function assertNoDutyConflict(username: string, granted: readonly RoleRow[]): void {
  for (const duty of ['maySign', 'mayOwnTasks'] as const) {
    const without = granted.filter((r) => !r[duty]).map((r) => r.name);
    const holding = granted.filter((r) => r[duty]).map((r) => r.name);
    if (!without.length || !holding.length) continue;
    const what = duty === 'maySign' ? 'signs records' : 'owns a task';
    throw new AppError(
      'duty_conflict',
      `${username} cannot hold ${without.join(', ')} together with ${holding.join(', ')}: ${without.join(' and ')} never ${what}. ` +
        'Give the person a separate account for each duty.',
      { [duty === 'maySign' ? 'mayNotSign' : 'mayNotOwnTasks']: without, conflictsWith: holding },
    );
  }
}
