import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../client';
import { credentialResets, type CredentialResetRow } from '../schema/credential-resets';

/** The reset the person still has to complete, if any (at most one: a partial unique index). */
export async function pendingCredentialReset(db: Executor, userId: string): Promise<CredentialResetRow | undefined> {
  const [row] = await db
    .select()
    .from(credentialResets)
    .where(and(eq(credentialResets.userId, userId), isNull(credentialResets.completedAt), isNull(credentialResets.supersededAt)))
    .limit(1);
  return row;
}

/** A new reset replaces a pending one (its one-time password is no longer valid either). */
export async function openCredentialReset(
  tx: Executor,
  reset: { id: string; userId: string; requestedBy: string; requestedAt: Date; reason: string },
): Promise<CredentialResetRow | undefined> {
  const [superseded] = await tx
    .update(credentialResets)
    .set({ supersededAt: reset.requestedAt })
    .where(and(eq(credentialResets.userId, reset.userId), isNull(credentialResets.completedAt), isNull(credentialResets.supersededAt)))
    .returning();
  await tx.insert(credentialResets).values(reset);
  return superseded;
}

export async function approveCredentialReset(tx: Executor, id: string, by: string, at: Date, reason: string): Promise<boolean> {
  const rows = await tx
    .update(credentialResets)
    .set({ approvedBy: by, approvedAt: at, approvalReason: reason })
    .where(and(eq(credentialResets.id, id), isNull(credentialResets.approvedBy), isNull(credentialResets.completedAt), isNull(credentialResets.supersededAt)))
    .returning({ id: credentialResets.id });
  return rows.length === 1;
}

export async function completeCredentialReset(tx: Executor, id: string, at: Date, factor: NonNullable<CredentialResetRow['completedWith']>): Promise<boolean> {
  const rows = await tx
    .update(credentialResets)
    .set({ completedAt: at, completedWith: factor })
    .where(and(eq(credentialResets.id, id), isNull(credentialResets.completedAt), isNull(credentialResets.supersededAt)))
    .returning({ id: credentialResets.id });
  return rows.length === 1;
}
