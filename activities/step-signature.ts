// One rule set for every e-signature on a process step, checked against the database in the
// transaction that stores it: the signer is active, holds the step's role and no role that never
// signs, is not the author where separation of duties applies, signed the current version, signed
// exactly this request, and is trained on what the step requires. Used by the process activities.
import type { Executor } from '../db/client';
import {
  appendAuditEvent,
  dutyLimits,
  findLatestVersion,
  findUserById,
  insertSignature,
  isTrainedOn,
  requirementsFor,
  type UserWithRoles,
} from '../db/repositories';
import type { RecordRow, SignatureRow } from '../db/schema';
import { RefusalCodes, type RequestContext } from '../workflows/contracts/common';
import type { ProcessActivities } from '../workflows/contracts/process-activities';
import { refusal } from './refusal';

export async function activeActor(tx: Executor, context: RequestContext): Promise<UserWithRoles> {
  const user = await findUserById(tx, context.actorId);
  if (!user || user.status !== 'active') throw refusal(RefusalCodes.userInactive, 'The acting user does not exist or is disabled.');
  return user;
}

/**
 * Auditors and administrators never sign (DESIGN.md): a person holding any role that may not sign
 * signs nothing, whatever else they hold (a grant made before that rule, or straight in the database).
 */
export async function assertMaySign(tx: Executor, actor: UserWithRoles): Promise<void> {
  const { mayNotSign } = await dutyLimits(tx, actor.roles);
  if (mayNotSign.length) {
    throw refusal(RefusalCodes.roleMayNotSign, `${actor.printedName} holds the role ${mayNotSign.join(', ')}, which never signs records.`);
  }
}

/** Auditors and administrators never own a task: a person holding such a role completes none. */
export async function assertMayOwnTasks(tx: Executor, actor: UserWithRoles): Promise<void> {
  const { mayNotOwnTasks } = await dutyLimits(tx, actor.roles);
  if (mayNotOwnTasks.length) {
    throw refusal(RefusalCodes.roleMayNotOwnTask, `${actor.printedName} holds the role ${mayNotOwnTasks.join(', ')}, which never owns or completes a task.`);
  }
}

/** What a step signature carries (as the workflow sends it), with the record and the signer read in the transaction. */
export type StepSignatureRequest = Pick<
  Parameters<ProcessActivities['signProcessStep']>[0],
  'signatureId' | 'step' | 'role' | 'meaning' | 'reason' | 'authorMayNotSign' | 'signed'
> & {
  record: RecordRow;
  actor: UserWithRoles;
  context: RequestContext;
};

export interface AppliedSignature {
  signature: SignatureRow;
  version: { version: number; contentHash: string };
  at: Date;
}

/** Checks the request (refusals are not retried) and stores the signature with its audit event. */
export async function applyStepSignature(tx: Executor, request: StepSignatureRequest): Promise<AppliedSignature> {
  const { record, actor, context, signatureId, step, role, meaning, signed } = request;
  const { manifest } = signed;
  if (!actor.roles.includes(role)) {
    throw refusal(RefusalCodes.notAuthorised, `${actor.printedName} does not hold the role ${role} required to sign step "${step}".`);
  }
  await assertMaySign(tx, actor);
  if (request.authorMayNotSign && record.createdBy === actor.id) {
    throw refusal(RefusalCodes.selfApproval, `The author of ${record.number} cannot sign step "${step}" (separation of duties).`);
  }
  const latest = (await findLatestVersion(tx, record.id))!;
  if (manifest.recordId !== record.id || manifest.recordVersion !== latest.version || manifest.contentHash !== latest.contentHash) {
    throw refusal(
      RefusalCodes.staleVersion,
      `${record.number} has changed since you opened it: version ${latest.version} is current. Review it again before signing.`,
    );
  }
  if (manifest.signerId !== actor.id || manifest.signatureId !== signatureId || manifest.meaning !== meaning || manifest.step !== step) {
    throw refusal(RefusalCodes.notAuthorised, 'The signed manifest does not match this request.');
  }
  const at = new Date(manifest.signedAt);
  for (const requirement of await requirementsFor(tx, record.type, step)) {
    if (!(await isTrainedOn(tx, actor.id, requirement.documentNumber, at))) {
      throw refusal(
        RefusalCodes.trainingRequired,
        `${actor.printedName} has no current training on ${requirement.documentNumber} (${requirement.title}), which step "${step}" requires.`,
      );
    }
  }
  const signature = await insertSignature(tx, {
    id: signatureId,
    recordId: record.id,
    recordVersion: latest.version,
    contentHash: latest.contentHash,
    step,
    signerId: actor.id,
    printedName: manifest.printedName,
    meaning,
    comment: manifest.comment,
    signedAt: at,
    clientIp: context.clientIp,
    userAgent: context.userAgent,
    manifest,
    cms: signed.cms,
    certificateSerial: signed.certificateSerial,
  });
  await appendAuditEvent(tx, {
    actorId: actor.id,
    actorName: actor.printedName,
    clientIp: context.clientIp,
    userAgent: context.userAgent,
    occurredAt: at,
    action: 'signature.applied',
    entityType: 'signature',
    entityId: signatureId,
    recordId: record.id,
    newValue: {
      printedName: signature.printedName,
      signedAt: at.toISOString(),
      meaning,
      step,
      role,
      recordVersion: latest.version,
      contentHash: latest.contentHash,
      comment: signature.comment,
      certificateSerial: signed.certificateSerial,
    },
    reason: request.reason,
  });
  return { signature, version: { version: latest.version, contentHash: latest.contentHash }, at };
}
