import { boolean, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { utcTimestamp } from './columns';

/** People. Never deleted and their ids never reused (11.100): a leaver is disabled. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull().unique(),
  printedName: text('printed_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  mustChangePassword: boolean('must_change_password').notNull().default(true),
  status: text('status', { enum: ['active', 'disabled'] })
    .notNull()
    .default('active'),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  createdAt: utcTimestamp('created_at').notNull().defaultNow(),
});
export type UserRow = typeof users.$inferSelect;

export const roles = pgTable('roles', {
  name: text('name').primaryKey(),
  description: text('description').notNull(),
});

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role')
      .notNull()
      .references(() => roles.name),
    grantedAt: utcTimestamp('granted_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] }), index('user_roles_role_idx').on(t.role)],
);

/** Server-side sessions; the cookie holds a random token whose SHA-256 is the id. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: utcTimestamp('created_at').notNull(),
    lastSeenAt: utcTimestamp('last_seen_at').notNull(),
    expiresAt: utcTimestamp('expires_at').notNull(),
    endedAt: utcTimestamp('ended_at'),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
export type SessionRow = typeof sessions.$inferSelect;
