import { inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { roles, type RoleRow } from '../schema';

/** The rows of the named roles (unknown names are simply absent). */
export async function findRoles(db: Executor, names: readonly string[]): Promise<RoleRow[]> {
  if (!names.length) return [];
  return db
    .select()
    .from(roles)
    .where(inArray(roles.name, [...new Set(names)]))
    .orderBy(roles.name);
}

/** What a person holding `roleNames` may not do: the roles among them that may not sign, and those that may not own a task. */
export async function dutyLimits(db: Executor, roleNames: readonly string[]): Promise<{ mayNotSign: string[]; mayNotOwnTasks: string[] }> {
  const rows = await findRoles(db, roleNames);
  return { mayNotSign: rows.filter((r) => !r.maySign).map((r) => r.name), mayNotOwnTasks: rows.filter((r) => !r.mayOwnTasks).map((r) => r.name) };
}

/**
 * Serialises changes to who holds which role and who is active, for the rest of the transaction,
 * so two administrators acting at once cannot both remove the last other administrator.
 */
export async function lockRoleAssignments(tx: Executor): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('attestflow:role_assignments'))`);
}
