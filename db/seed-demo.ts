import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword, oneTimePassword } from '../signatures';
import type { Database } from './client';
import { ensureDefectCodes } from './material/defect-codes';
import { appendAuditEvent, countUsers, ensureRoles, insertRequirement, insertTrainingRecord, insertUser } from './repositories';

/** The roles of DESIGN.md. Approver roles are per area. Auditors and administrators never sign and never own a task. */
export const ROLES = [
  { name: 'initiator', description: 'Raises change requests, nonconformances, CAPAs and supplier requests', maySign: true, mayOwnTasks: true },
  { name: 'qa', description: 'Quality assurance: approves, verifies and closes', maySign: true, mayOwnTasks: true },
  { name: 'approver_engineering', description: 'Approves for the engineering area', maySign: true, mayOwnTasks: true },
  { name: 'approver_production', description: 'Approves for the production area', maySign: true, mayOwnTasks: true },
  { name: 'approver_quality_control', description: 'Approves for the quality-control laboratory', maySign: true, mayOwnTasks: true },
  { name: 'approver_regulatory', description: 'Approves for regulatory affairs', maySign: true, mayOwnTasks: true },
  { name: 'approver_supply_chain', description: 'Approves for purchasing and supply chain', maySign: true, mayOwnTasks: true },
  { name: 'document_controller', description: 'Drafts and issues controlled document revisions', maySign: true, mayOwnTasks: true },
  { name: 'mrb', description: 'Material review board: signs nonconforming material dispositions', maySign: true, mayOwnTasks: true },
  { name: 'supplier_quality', description: 'Reviews supplier qualification', maySign: true, mayOwnTasks: true },
  { name: 'manager', description: 'Area manager: follows up overdue tasks escalated to them', maySign: true, mayOwnTasks: true },
  { name: 'auditor', description: 'Read-only: records, audit trails and dossiers', maySign: false, mayOwnTasks: false },
  { name: 'administrator', description: 'Users, roles, training requirements and policies; does not sign records', maySign: false, mayOwnTasks: false },
] as const;

const DEMO_USERS = [
  { username: 'initiator', printedName: 'Ines Ortega', roles: ['initiator'] },
  { username: 'qa', printedName: 'Quentin Adeyemi', roles: ['qa'] },
  { username: 'qa2', printedName: 'Qiu Anning', roles: ['qa'] },
  { username: 'engineering', printedName: 'Elena Novak', roles: ['approver_engineering', 'initiator'] },
  { username: 'production', printedName: 'Pedro Rossi', roles: ['approver_production', 'initiator'] },
  { username: 'doccontrol', printedName: 'Dana Kowalski', roles: ['document_controller'] },
  { username: 'mrb', printedName: 'Mira Bauer', roles: ['mrb'] },
  { username: 'supplierquality', printedName: 'Samir Haddad', roles: ['supplier_quality'] },
  // Incoming quality control: receives lots into quarantine and releases or holds them (api/material/material-roles.ts).
  { username: 'incoming', printedName: 'Ivo Brandt', roles: ['approver_quality_control'] },
  { username: 'manager', printedName: 'Marta Lindqvist', roles: ['manager'] },
  { username: 'auditor', printedName: 'Aiko Tanaka', roles: ['auditor'] },
  { username: 'admin', printedName: 'Adrian Miles', roles: ['administrator'] },
];

/** A starter list of defect codes an NCMR names (db/material/defect-codes.ts); the plant manages it from there. */
export const DEFECT_CODES = [
  { code: 'DIM-OOT', description: 'Dimension out of tolerance' },
  { code: 'VIS-CONT', description: 'Visual: contamination or foreign matter' },
  { code: 'VIS-DMG', description: 'Visual: damaged, cracked or deformed' },
  { code: 'MAT-SPEC', description: 'Material does not meet its specification or certificate' },
  { code: 'LBL-ERR', description: 'Labelling or identification error' },
  { code: 'FUNC-FAIL', description: 'Functional test failed' },
  { code: 'DOC-MISS', description: 'Documentation missing (certificate of conformance, device history)' },
] as const;

export const DEMO_TRAINING = {
  requirement: { process: 'change_control', step: 'approval', documentNumber: 'SOP-QA-007', title: 'Change control procedure' },
} as const;

export interface SeededUser {
  username: string;
  printedName: string;
  roles: string[];
  oneTimePassword: string;
}

/**
 * Seeds the demo organisation when the database has no users yet: one user per role, each with a
 * random one-time password that is returned (to be printed) and stored only as an argon2id hash.
 */
export async function seedDemoOrganisation(db: Database): Promise<SeededUser[] | null> {
  await ensureRoles(db, [...ROLES]);
  await ensureDefectCodes(db, DEFECT_CODES, 'Starter list seeded on first start');
  if ((await countUsers(db)) > 0) return null;
  const seeded: SeededUser[] = [];
  const prepared = await Promise.all(
    DEMO_USERS.map(async (user) => {
      const password = oneTimePassword(randomBytes);
      return { ...user, id: randomUUID(), password, passwordHash: await hashPassword(password) };
    }),
  );
  await db.transaction(async (tx) => {
    for (const user of prepared) {
      await insertUser(
        tx,
        { id: user.id, username: user.username, printedName: user.printedName, passwordHash: user.passwordHash, mustChangePassword: true },
        user.roles,
      );
      await appendAuditEvent(tx, {
        occurredAt: new Date(),
        actorId: null,
        actorName: 'system (demo seed)',
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        newValue: { username: user.username, printedName: user.printedName, roles: user.roles },
        reason: 'Demo organisation seeded on first start',
      });
      seeded.push({ username: user.username, printedName: user.printedName, roles: user.roles, oneTimePassword: user.password });
    }
    // The demo's change-control approval step requires current training on the change-control SOP;
    // everyone who approves changes (QA and the area owners) is trained on it.
    await insertRequirement(tx, { ...DEMO_TRAINING.requirement });
    const approvers = prepared.filter((u) => u.roles.some((role) => role === 'qa' || role.startsWith('approver_')));
    for (const user of approvers) {
      await insertTrainingRecord(tx, {
        id: randomUUID(),
        userId: user.id,
        documentNumber: DEMO_TRAINING.requirement.documentNumber,
        revision: 1,
        trainedAt: new Date(),
        expiresAt: null,
        recordedBy: null,
        recordedAt: new Date(),
        reason: 'Demo organisation seeded on first start',
      });
    }
    await appendAuditEvent(tx, {
      occurredAt: new Date(),
      actorId: null,
      actorName: 'system (demo seed)',
      action: 'training_requirement.added',
      entityType: 'training_requirement',
      entityId: `${DEMO_TRAINING.requirement.process}/${DEMO_TRAINING.requirement.step}/${DEMO_TRAINING.requirement.documentNumber}`,
      newValue: { ...DEMO_TRAINING.requirement, trainedUsers: approvers.map((u) => u.username) },
      reason: 'Demo organisation seeded on first start',
    });
  });
  return seeded;
}
