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
  /** Set when consecutive failures reach the policy's threshold; cleared by an administrator. */
  lockedAt: utcTimestamp('locked_at'),
  passwordChangedAt: utcTimestamp('password_changed_at').notNull().defaultNow(),
  createdAt: utcTimestamp('created_at').notNull().defaultNow(),
});
export type UserRow = typeof users.$inferSelect;

/**
 * Roles, each saying whether its holders may sign records and own tasks (DESIGN.md: auditors and
 * administrators never do). No default: a new role must say. A person holding any role that may
 * not sign (or own a task) signs nothing (owns no task), whatever else they hold.
 */
export const roles = pgTable('roles', {
  name: text('name').primaryKey(),
  description: text('description').notNull(),
  maySign: boolean('may_sign').notNull(),
  mayOwnTasks: boolean('may_own_tasks').notNull(),
});
export type RoleRow = typeof roles.$inferSelect;

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
    /** Why it ended: logout, idle, absolute, revoked, password_changed, user_disabled. */
    endReason: text('end_reason'),
    /** 11.200(a)(1)(i): the first signature of a session needs user id and password, later ones the password. */
    firstSignatureAt: utcTimestamp('first_signature_at'),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);
export type SessionRow = typeof sessions.$inferSelect;

/** Earlier password hashes, for the no-reuse rule. Append-only. */
export const passwordHistory = pgTable(
  'password_history',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    passwordHash: text('password_hash').notNull(),
    setAt: utcTimestamp('set_at').notNull(),
  },
  (t) => [index('password_history_user_idx').on(t.userId, t.setAt)],
);

/** TOTP second factor (11.300(e)); `lastStep` refuses reuse of a code. */
export const userTotp = pgTable('user_totp', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  secret: text('secret').notNull(),
  confirmedAt: utcTimestamp('confirmed_at'),
  lastStep: integer('last_step'),
  createdAt: utcTimestamp('created_at').notNull(),
});

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    createdAt: utcTimestamp('created_at').notNull(),
    usedAt: utcTimestamp('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Urgent notices to administrators (11.300(d)): lockouts and repeated failures. */
export const alerts = pgTable('alerts', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull(),
  userId: uuid('user_id').references(() => users.id),
  message: text('message').notNull(),
  createdAt: utcTimestamp('created_at').notNull(),
  acknowledgedAt: utcTimestamp('acknowledged_at'),
  acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
});
export type AlertRow = typeof alerts.$inferSelect;
