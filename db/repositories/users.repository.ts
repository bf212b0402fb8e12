import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client';
import { roles, sessions, userRoles, users, type SessionRow, type UserRow } from '../schema';

export interface UserWithRoles extends UserRow {
  roles: string[];
}

/** A user row with the names of the roles they hold, sorted, read in the same statement. */
const userWithRoles = {
  ...getTableColumns(users),
  roles: sql<
    string[]
  >`coalesce((select array_agg(${userRoles.role} order by ${userRoles.role} collate "C") from ${userRoles} where ${userRoles.userId} = ${users.id}), '{}')`,
};

export async function findUserByUsername(db: Executor, username: string): Promise<UserWithRoles | undefined> {
  const [user] = await db.select(userWithRoles).from(users).where(eq(users.username, username));
  return user;
}

export async function findUserById(db: Executor, id: string): Promise<UserWithRoles | undefined> {
  const [user] = await db.select(userWithRoles).from(users).where(eq(users.id, id));
  return user;
}

/** A session that has not ended, with its person and their roles: one statement per request. */
export async function findLiveSessionWithUser(db: Executor, id: string): Promise<{ session: SessionRow; user: UserWithRoles } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: userWithRoles })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
  return row;
}

export async function insertUser(db: Executor, user: typeof users.$inferInsert, roleNames: string[]): Promise<void> {
  await db.insert(users).values(user);
  if (roleNames.length) await db.insert(userRoles).values(roleNames.map((role) => ({ userId: user.id, role })));
}

export async function ensureRoles(db: Executor, definitions: (typeof roles.$inferInsert)[]): Promise<void> {
  await db.insert(roles).values(definitions).onConflictDoNothing();
}

export async function countUsers(db: Executor): Promise<number> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length;
}

/** One more consecutive failure, counted in the database: concurrent failed attempts all count. Returns the new count. */
export async function incrementFailedAttempts(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ failedAttempts: sql`${users.failedAttempts} + 1` })
    .where(eq(users.id, userId))
    .returning({ failedAttempts: users.failedAttempts });
  return row?.failedAttempts ?? 0;
}

export async function recordFailedAttempt(db: Executor, userId: string, failedAttempts: number): Promise<void> {
  await db.update(users).set({ failedAttempts }).where(eq(users.id, userId));
}

export async function insertSession(db: Executor, session: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(session);
}

export async function findLiveSession(db: Executor, id: string): Promise<SessionRow | undefined> {
  const [session] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
  return session;
}

export async function touchSession(db: Executor, id: string, lastSeenAt: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt }).where(eq(sessions.id, id));
}

export async function endSession(db: Executor, id: string, endedAt: Date, endReason: string): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt, endReason })
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
}

export async function findUsersByIds(db: Executor, ids: string[]): Promise<UserRow[]> {
  if (!ids.length) return [];
  return db.select().from(users).where(inArray(users.id, ids));
}

/** Active users holding any of the roles (each once). */
export async function activeUsersHoldingRoles(db: Executor, roleNames: string[]): Promise<UserRow[]> {
  if (!roleNames.length) return [];
  const holders = db.selectDistinct({ userId: userRoles.userId }).from(userRoles).where(inArray(userRoles.role, roleNames));
  return db
    .select()
    .from(users)
    .where(and(eq(users.status, 'active'), inArray(users.id, holders)))
    .orderBy(users.username);
}
