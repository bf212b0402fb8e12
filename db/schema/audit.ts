import { bigint, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { jsonb, utcTimestamp } from './columns';

/**
 * The audit trail (11.10(e)). Append-only: triggers refuse UPDATE and DELETE, and refuse an INSERT
 * whose seq or prev_hash does not continue the chain. `hash` is SHA-256 of the RFC 8785 JSON of
 * every other column (see signatures/audit-chain.ts).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    occurredAt: utcTimestamp('occurred_at').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    recordId: uuid('record_id'),
    oldValue: jsonb('old_value'),
    newValue: jsonb('new_value'),
    reason: text('reason'),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (t) => [index('audit_events_record_idx').on(t.recordId, t.seq), index('audit_events_entity_idx').on(t.entityType, t.entityId)],
);
export type AuditEventRow = typeof auditEvents.$inferSelect;
