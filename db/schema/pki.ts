import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { jsonb, utcTimestamp } from './columns';
import { users } from './identity';

/**
 * Each person's signing key and certificate, issued by the organisation CA. The private key is
 * stored encrypted under a key derived from that person's password (signatures/pki/private-key-vault.ts).
 */
export const userKeys = pgTable(
  'user_keys',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    serialHex: text('serial_hex').notNull().unique(),
    certificatePem: text('certificate_pem').notNull(),
    encryptedPrivateKey: jsonb('encrypted_private_key').notNull(),
    issuedAt: utcTimestamp('issued_at').notNull(),
    notAfter: utcTimestamp('not_after').notNull(),
  },
  (t) => [index('user_keys_user_idx').on(t.userId, t.issuedAt)],
);
export type UserKeyRow = typeof userKeys.$inferSelect;

/** Revoked certificates (published as a CRL). Append-only. */
export const certificateRevocations = pgTable('certificate_revocations', {
  serialHex: text('serial_hex').primaryKey(),
  revokedAt: utcTimestamp('revoked_at').notNull(),
  reason: text('reason').notNull(),
  revokedBy: uuid('revoked_by').references(() => users.id),
});

/**
 * Each person's signed acknowledgement of the electronic-signature policy (11.100(c), 11.10(j)):
 * required once before the first signature on a record; itself a CMS signature by the person's key.
 */
export const policyAcknowledgements = pgTable('policy_acknowledgements', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id),
  policyVersion: text('policy_version').notNull(),
  policyHash: text('policy_hash').notNull(),
  manifest: jsonb('manifest').notNull(),
  cms: text('cms').notNull(),
  certificateSerial: text('certificate_serial').notNull(),
  signedAt: utcTimestamp('signed_at').notNull(),
  clientIp: text('client_ip'),
  userAgent: text('user_agent'),
});
