import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { utcTimestamp } from './columns';
import { users } from './identity';

/**
 * Administrator password resets (11.300(c), 11.200(a)): pending until the person completes them with
 * a factor the administrator cannot read, or a second, different administrator approves. Mutable
 * like the other identity tables; every step is also an audit event.
 */
export const credentialResets = pgTable('credential_resets', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  requestedBy: uuid('requested_by')
    .notNull()
    .references(() => users.id),
  requestedAt: utcTimestamp('requested_at').notNull(),
  reason: text('reason').notNull(),
  approvedBy: uuid('approved_by').references(() => users.id),
  approvedAt: utcTimestamp('approved_at'),
  approvalReason: text('approval_reason'),
  completedAt: utcTimestamp('completed_at'),
  completedWith: text('completed_with', { enum: ['totp', 'recovery_code', 'second_administrator'] }),
  supersededAt: utcTimestamp('superseded_at'),
});
export type CredentialResetRow = typeof credentialResets.$inferSelect;
