import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../client';
import { appendAuditEvent } from '../repositories/audit.repository';
import { defectCodes, type DefectCodeRow } from '../schema';
import type { MaterialActor, MaterialClient } from './actor';
import { MaterialRefusal } from './material-refusal';
import { isUniqueViolation } from './sql-errors';

// The managed list of defect codes an NCMR names. Append-only: each change of a code (a new one,
// a new description, its retirement) is a new version; the latest version is the code's state.

export interface DefectCode {
  code: string;
  description: string;
  active: boolean;
  /** The code's latest version. */
  seq: number;
}

const toDefectCode = (row: Pick<DefectCodeRow, 'code' | 'description' | 'active' | 'seq'>): DefectCode => ({
  code: row.code,
  description: row.description,
  active: row.active,
  seq: row.seq,
});

/** Every code in its latest version, retired ones included, by code. */
export async function listDefectCodes(db: Executor): Promise<DefectCode[]> {
  const rows = await db
    .selectDistinctOn([defectCodes.code], { code: defectCodes.code, description: defectCodes.description, active: defectCodes.active, seq: defectCodes.seq })
    .from(defectCodes)
    .orderBy(defectCodes.code, desc(defectCodes.seq));
  return rows.map(toDefectCode);
}

/** The codes a new NCMR may name. */
export async function listActiveDefectCodes(db: Executor): Promise<DefectCode[]> {
  return (await listDefectCodes(db)).filter((c) => c.active);
}

export async function findDefectCode(db: Executor, code: string): Promise<DefectCode | undefined> {
  const [row] = await db.select().from(defectCodes).where(eq(defectCodes.code, code)).orderBy(desc(defectCodes.seq)).limit(1);
  return row ? toDefectCode(row) : undefined;
}

/** Refuses (`unknown_defect_code`) a code that is not on the list or is retired; returns it otherwise. */
export async function assertActiveDefectCode(db: Executor, code: string): Promise<DefectCode> {
  const found = await findDefectCode(db, code);
  if (!found) throw new MaterialRefusal('unknown_defect_code', `No defect code ${code} on the managed list.`, { defectCode: code });
  if (!found.active)
    throw new MaterialRefusal('unknown_defect_code', `Defect code ${code} is retired: a new NCMR cannot name it.`, { defectCode: code, retired: true });
  return found;
}

/**
 * Appends a version of a code (new, described anew, retired with `active: false`, or brought back),
 * audited, in the caller's transaction. Two writers of one code at once: the second is refused by
 * the unique (code, seq) index and told to try again.
 */
export async function recordDefectCode(
  tx: Executor,
  input: { code: string; description: string; active: boolean; reason: string; actor: MaterialActor; client?: MaterialClient; at?: Date },
): Promise<DefectCode> {
  const at = input.at ?? new Date();
  const previous = await findDefectCode(tx, input.code);
  const row = {
    code: input.code,
    seq: (previous?.seq ?? 0) + 1,
    description: input.description,
    active: input.active,
    recordedBy: input.actor.id,
    recordedAt: at,
    reason: input.reason,
  };
  try {
    await tx.insert(defectCodes).values(row);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new MaterialRefusal('defect_code_changed', `Defect code ${input.code} was changed by someone else meanwhile; read it again.`, {
        defectCode: input.code,
      });
    throw error;
  }
  await appendAuditEvent(tx, {
    occurredAt: at,
    actorId: input.actor.id,
    actorName: input.actor.name,
    action: previous ? 'defect_code.changed' : 'defect_code.added',
    entityType: 'defect_code',
    entityId: input.code,
    oldValue: previous ? { description: previous.description, active: previous.active } : null,
    newValue: { description: row.description, active: row.active, seq: row.seq },
    reason: input.reason,
    ...input.client,
  });
  return toDefectCode(row);
}

/**
 * The first version of each code that has none yet (a code changed since keeps its history):
 * run at every start, like the roles, so a plant gets the starter list once.
 */
export async function ensureDefectCodes(db: Executor, codes: readonly { code: string; description: string }[], reason: string): Promise<void> {
  if (!codes.length) return;
  await db
    .insert(defectCodes)
    .values(codes.map((c) => ({ code: c.code, seq: 1, description: c.description, active: true, recordedBy: null, recordedAt: new Date(), reason })))
    .onConflictDoNothing();
}
