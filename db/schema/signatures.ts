import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { jsonb, utcTimestamp } from './columns';
import { users } from './identity';
import { records } from './records';

/**
 * Electronic signatures (11.50, 11.70). The id is chosen by the signer's client, so a retried
 * request cannot sign twice. Bound to the record version through its content hash.
 */
export const signatures = pgTable(
  'signatures',
  {
    id: uuid('id').primaryKey(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id),
    recordVersion: integer('record_version').notNull(),
    contentHash: text('content_hash').notNull(),
    step: text('step').notNull(),
    signerId: uuid('signer_id')
      .notNull()
      .references(() => users.id),
    printedName: text('printed_name').notNull(),
    meaning: text('meaning').notNull(),
    comment: text('comment'),
    signedAt: utcTimestamp('signed_at').notNull(),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
    /** The canonical signature manifest the CMS signs (RFC 8785 JSON of it is the signed content). */
    manifest: jsonb('manifest'),
    /** CMS (PKCS#7) detached SignedData over the manifest, by the signer's own key; base64 DER. */
    cms: text('cms'),
    certificateSerial: text('certificate_serial'),
  },
  (t) => [index('signatures_record_idx').on(t.recordId)],
);
export type SignatureRow = typeof signatures.$inferSelect;

/**
 * An amendment made these signatures stale within their step: they stay valid evidence of what was
 * signed (the version they bind to), but no longer count toward the step's quorum. Append-only.
 */
export const signatureInvalidations = pgTable('signature_invalidations', {
  signatureId: uuid('signature_id')
    .primaryKey()
    .references(() => signatures.id),
  recordId: uuid('record_id')
    .notNull()
    .references(() => records.id),
  byVersion: integer('by_version').notNull(),
  reason: text('reason').notNull(),
  invalidatedAt: utcTimestamp('invalidated_at').notNull(),
});
