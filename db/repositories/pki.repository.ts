import { and, asc, desc, eq, notExists } from 'drizzle-orm';
import type { Executor } from '../client';
import { certificateRevocations, policyAcknowledgements, userKeys, type UserKeyRow } from '../schema';

/** The user's current key: the newest one whose certificate is not revoked. */
export async function currentUserKey(db: Executor, userId: string): Promise<UserKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(userKeys)
    .where(
      and(eq(userKeys.userId, userId), notExists(db.select().from(certificateRevocations).where(eq(certificateRevocations.serialHex, userKeys.serialHex)))),
    )
    .orderBy(desc(userKeys.issuedAt))
    .limit(1);
  return row;
}

export async function insertUserKey(tx: Executor, row: typeof userKeys.$inferInsert): Promise<void> {
  await tx.insert(userKeys).values(row);
}

export async function updateEncryptedKey(tx: Executor, id: string, encryptedPrivateKey: unknown): Promise<void> {
  await tx.update(userKeys).set({ encryptedPrivateKey }).where(eq(userKeys.id, id));
}

export async function findKeyBySerial(db: Executor, serialHex: string): Promise<UserKeyRow | undefined> {
  const [row] = await db.select().from(userKeys).where(eq(userKeys.serialHex, serialHex));
  return row;
}

export async function revokeCertificate(tx: Executor, row: typeof certificateRevocations.$inferInsert): Promise<void> {
  await tx.insert(certificateRevocations).values(row).onConflictDoNothing();
}

export function listRevocations(db: Executor) {
  return db.select().from(certificateRevocations).orderBy(asc(certificateRevocations.revokedAt));
}

/** Revoked serials with their revocation time, as the signature verifiers take them. */
export async function revokedSerials(db: Executor): Promise<{ serialHex: string; revokedAt: Date; reason: string }[]> {
  return (await listRevocations(db)).map((r) => ({ serialHex: r.serialHex, revokedAt: r.revokedAt, reason: r.reason }));
}

export async function findAcknowledgement(db: Executor, userId: string) {
  const [row] = await db.select().from(policyAcknowledgements).where(eq(policyAcknowledgements.userId, userId));
  return row;
}

export async function insertAcknowledgement(tx: Executor, row: typeof policyAcknowledgements.$inferInsert): Promise<void> {
  await tx.insert(policyAcknowledgements).values(row);
}

/** The first certificate the organisation CA issued that this database holds, if any (for the start-up continuity check). */
export async function firstIssuedUserCertificate(db: Executor): Promise<Pick<UserKeyRow, 'serialHex' | 'certificatePem'> | undefined> {
  const [row] = await db
    .select({ serialHex: userKeys.serialHex, certificatePem: userKeys.certificatePem })
    .from(userKeys)
    .orderBy(asc(userKeys.issuedAt))
    .limit(1);
  return row;
}
