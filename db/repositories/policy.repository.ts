// Administrator-set configuration: password policy versions, signature meanings, training.
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Executor } from '../client';
import { policyVersions, signatureMeanings, trainingRecords, trainingRequirements } from '../schema';

export async function latestPolicy(db: Executor): Promise<{ version: number; policy: unknown } | undefined> {
  const [row] = await db.select().from(policyVersions).orderBy(desc(policyVersions.version)).limit(1);
  return row;
}

export async function insertPolicyVersion(tx: Executor, row: typeof policyVersions.$inferInsert): Promise<number> {
  const [inserted] = await tx.insert(policyVersions).values(row).returning({ version: policyVersions.version });
  return inserted!.version;
}

export async function activeMeanings(db: Executor): Promise<string[]> {
  const rows = await db.select({ name: signatureMeanings.name }).from(signatureMeanings).where(eq(signatureMeanings.active, true));
  return rows.map((r) => r.name);
}

/** Every signature meaning, active or not, by name. */
export function listMeanings(db: Executor) {
  return db.select().from(signatureMeanings).orderBy(signatureMeanings.name);
}

export async function upsertMeaning(tx: Executor, name: string, description: string, active: boolean): Promise<void> {
  await tx.insert(signatureMeanings).values({ name, description, active }).onConflictDoUpdate({ target: signatureMeanings.name, set: { description, active } });
}

export function requirementsFor(db: Executor, process: string, step: string) {
  return db
    .select()
    .from(trainingRequirements)
    .where(and(eq(trainingRequirements.process, process), eq(trainingRequirements.step, step)));
}

export async function insertRequirement(tx: Executor, row: typeof trainingRequirements.$inferInsert): Promise<void> {
  await tx.insert(trainingRequirements).values(row).onConflictDoNothing();
}

/** Every training requirement, by process, step and document. */
export function listRequirements(db: Executor) {
  return db.select().from(trainingRequirements).orderBy(trainingRequirements.process, trainingRequirements.step, trainingRequirements.documentNumber);
}

/** A person's training records, the latest training first. */
export function trainingRecordsOf(db: Executor, userId: string) {
  return db.select().from(trainingRecords).where(eq(trainingRecords.userId, userId)).orderBy(desc(trainingRecords.trainedAt), trainingRecords.id);
}

export async function insertTrainingRecord(tx: Executor, row: typeof trainingRecords.$inferInsert): Promise<void> {
  await tx.insert(trainingRecords).values(row);
}

/** True when the user has a training record on the document that has not expired at `at`. */
export async function isTrainedOn(db: Executor, userId: string, documentNumber: string, at: Date): Promise<boolean> {
  const rows = await db
    .select({ id: trainingRecords.id })
    .from(trainingRecords)
    .where(
      and(
        eq(trainingRecords.userId, userId),
        eq(trainingRecords.documentNumber, documentNumber),
        or(isNull(trainingRecords.expiresAt), gt(trainingRecords.expiresAt, at)),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
