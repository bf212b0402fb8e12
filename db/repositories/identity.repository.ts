// Identity evidence beyond the user row: password history, second factor, alerts, role changes.
import { and, desc, eq, ilike, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { alerts, passwordHistory, recoveryCodes, sessions, userRoles, users, userTotp, type AlertRow } from '../schema';
import { containing, type ListPage } from './list-page';

export async function setUserPassword(tx: Executor, userId: string, passwordHash: string, at: Date, mustChange: boolean): Promise<void> {
  await tx.update(users).set({ passwordHash, passwordChangedAt: at, mustChangePassword: mustChange, failedAttempts: 0 }).where(eq(users.id, userId));
  await tx.insert(passwordHistory).values({ userId, passwordHash, setAt: at });
}

export async function recentPasswordHashes(db: Executor, userId: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const rows = await db
    .select({ hash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, userId))
    .orderBy(desc(passwordHistory.setAt))
    .limit(count);
  return rows.map((r) => r.hash);
}

export async function setUserStatus(tx: Executor, userId: string, status: 'active' | 'disabled'): Promise<void> {
  await tx.update(users).set({ status }).where(eq(users.id, userId));
}

/** Locks the account unless it is locked already; true when this call locked it. */
export async function lockUser(tx: Executor, userId: string, at: Date): Promise<boolean> {
  const locked = await tx
    .update(users)
    .set({ lockedAt: at })
    .where(and(eq(users.id, userId), isNull(users.lockedAt)))
    .returning({ id: users.id });
  return locked.length > 0;
}

export async function unlockUser(tx: Executor, userId: string): Promise<void> {
  await tx.update(users).set({ lockedAt: null, failedAttempts: 0 }).where(eq(users.id, userId));
}

export async function replaceRoles(tx: Executor, userId: string, roleNames: string[]): Promise<void> {
  await tx.delete(userRoles).where(eq(userRoles.userId, userId));
  if (roleNames.length) await tx.insert(userRoles).values(roleNames.map((role) => ({ userId, role })));
}

/** Ends every live session of a user (disable, password reset, revocation). */
export async function endUserSessions(tx: Executor, userId: string, at: Date, reason: string): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ endedAt: at, endReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}

/** Ends every open session of the user except `keepSessionId` (the one that changed the password). */
export async function endOtherUserSessions(tx: Executor, userId: string, keepSessionId: string, at: Date, reason: string): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ endedAt: at, endReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt), ne(sessions.id, keepSessionId)))
    .returning({ id: sessions.id });
  return ended.length;
}

export async function markFirstSignature(tx: Executor, sessionId: string, at: Date): Promise<void> {
  await tx
    .update(sessions)
    .set({ firstSignatureAt: at })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.firstSignatureAt)));
}

export async function insertAlert(tx: Executor, alert: typeof alerts.$inferInsert): Promise<void> {
  await tx.insert(alerts).values(alert);
}

export function listAlerts(db: Executor, onlyOpen: boolean): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(onlyOpen ? isNull(alerts.acknowledgedAt) : sql`TRUE`)
    .orderBy(desc(alerts.createdAt));
}

export async function acknowledgeAlert(tx: Executor, id: string, by: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(alerts)
    .set({ acknowledgedAt: at, acknowledgedBy: by })
    .where(and(eq(alerts.id, id), isNull(alerts.acknowledgedAt)))
    .returning({ id: alerts.id });
  return rows.length > 0;
}

export async function findTotp(db: Executor, userId: string) {
  const [row] = await db.select().from(userTotp).where(eq(userTotp.userId, userId));
  return row;
}

export async function saveTotpSecret(tx: Executor, userId: string, secret: string, at: Date): Promise<void> {
  await tx
    .insert(userTotp)
    .values({ userId, secret, createdAt: at })
    .onConflictDoUpdate({ target: userTotp.userId, set: { secret, createdAt: at, confirmedAt: null, lastStep: null } });
}

export async function confirmTotp(tx: Executor, userId: string, step: number, at: Date): Promise<void> {
  await tx.update(userTotp).set({ confirmedAt: at, lastStep: step }).where(eq(userTotp.userId, userId));
}

/** Records the time step used; refuses (returns false) a step not newer than the last one used. */
export async function useTotpStep(tx: Executor, userId: string, step: number): Promise<boolean> {
  const rows = await tx
    .update(userTotp)
    .set({ lastStep: step })
    .where(and(eq(userTotp.userId, userId), sql`(${userTotp.lastStep} IS NULL OR ${userTotp.lastStep} < ${step})`))
    .returning({ userId: userTotp.userId });
  return rows.length > 0;
}

export async function replaceRecoveryCodes(tx: Executor, userId: string, hashes: string[], at: Date): Promise<void> {
  await tx
    .update(recoveryCodes)
    .set({ usedAt: at })
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  if (hashes.length) await tx.insert(recoveryCodes).values(hashes.map((codeHash) => ({ id: crypto.randomUUID(), userId, codeHash, createdAt: at })));
}

export function unusedRecoveryCodes(db: Executor, userId: string) {
  return db
    .select()
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
}

export async function useRecoveryCode(tx: Executor, id: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(recoveryCodes)
    .set({ usedAt: at })
    .where(and(eq(recoveryCodes.id, id), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length > 0;
}

/** Users by username; `page.text` is looked for in the username and the printed name. */
export function listUsers(db: Executor, page: ListPage = {}) {
  const query = db
    .select()
    .from(users)
    .where(page.text === undefined ? undefined : or(ilike(users.username, containing(page.text)), ilike(users.printedName, containing(page.text))))
    .orderBy(users.username)
    .$dynamic();
  if (page.limit !== undefined) query.limit(page.limit);
  if (page.offset) query.offset(page.offset);
  return query;
}

/** Users with their roles (all, or a page of them), in two queries. */
export async function listUsersWithRoles(db: Executor, page: ListPage = {}): Promise<(typeof users.$inferSelect & { roles: string[] })[]> {
  const all = await listUsers(db, page);
  const ids = all.map((u) => u.id);
  const granted = ids.length ? await db.select({ userId: userRoles.userId, role: userRoles.role }).from(userRoles).where(inArray(userRoles.userId, ids)) : [];
  const rolesOf = new Map<string, string[]>();
  for (const g of granted) rolesOf.set(g.userId, [...(rolesOf.get(g.userId) ?? []), g.role]);
  return all.map((u) => ({ ...u, roles: (rolesOf.get(u.id) ?? []).sort() }));
}
