import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { signatures, type SignatureRow } from '../schema';

export async function findSignature(db: Executor, id: string): Promise<SignatureRow | undefined> {
  const [row] = await db.select().from(signatures).where(eq(signatures.id, id));
  return row;
}

export async function insertSignature(tx: Executor, signature: typeof signatures.$inferInsert): Promise<SignatureRow> {
  const [row] = await tx.insert(signatures).values(signature).returning();
  return row!;
}

export function listSignaturesForRecord(db: Executor, recordId: string): Promise<SignatureRow[]> {
  return db.select().from(signatures).where(eq(signatures.recordId, recordId)).orderBy(asc(signatures.signedAt));
}
