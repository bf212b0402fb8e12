import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import type { SignatureManifest } from '../../signatures/pki';
import type { SignedRecordVersion, StoredSignature } from '../../signatures/verify-signature';
import { signatureInvalidations, signatures, type SignatureRow } from '../schema';
import { findRecord, findVersion } from './records.repository';

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

/** A stored signature in the form the verifier reads (signatures/verify-signature.ts). */
export function toStoredSignature(row: SignatureRow): StoredSignature {
  return {
    id: row.id,
    recordId: row.recordId,
    recordVersion: row.recordVersion,
    contentHash: row.contentHash,
    signerId: row.signerId,
    printedName: row.printedName,
    meaning: row.meaning,
    signedAt: row.signedAt.toISOString(),
    manifest: (row.manifest as SignatureManifest | null) ?? null,
    cms: row.cms,
  };
}

/** The record version a signature claims to sign, as stored now (undefined when there is none). */
export async function findSignedRecordVersion(db: Executor, recordId: string, version: number): Promise<SignedRecordVersion | undefined> {
  const [record, row] = await Promise.all([findRecord(db, recordId), findVersion(db, recordId, version)]);
  return record && row ? { recordId: record.id, number: record.number, version: row.version, content: row.content } : undefined;
}

export async function insertSignatureInvalidation(tx: Executor, row: typeof signatureInvalidations.$inferInsert): Promise<void> {
  await tx.insert(signatureInvalidations).values(row).onConflictDoNothing();
}

export function listSignatureInvalidations(db: Executor, recordId: string) {
  return db.select().from(signatureInvalidations).where(eq(signatureInvalidations.recordId, recordId));
}
