// Persistence of every process transition (change control, document revision, CAPA): one
// transaction each, idempotent by the id the workflow chose (a retried activity finds its own
// transition, signature or amendment and returns the same result). Authority, separation of duties,
// training and the signed version are checked here, against the database, where the row is written.
import { canonicalHash, type JsonValue } from '../signatures';
import type { Database, Executor } from '../db/client';
import {
  appendAuditEvent,
  appendTransition,
  completeTasks,
  findLatestVersion,
  findRecord,
  findSignature,
  findTransition,
  findUserById,
  insertRecord,
  insertRecordLink,
  insertRecordVersion,
  insertSignatureInvalidation,
  insertTask,
  nextRecordNumber,
  type UserWithRoles,
} from '../db/repositories';
import type { RecordRow } from '../db/schema';
import { RefusalCodes } from '../workflows/contracts/common';
import type { ActorContext, JsonContent, ProcessTask } from '../workflows/contracts/process-contracts';
import type { Eligibility, ProcessActivities, TransitionSpec, VersionResult } from '../workflows/contracts/process-activities';
import { completeRevisionContent } from './document-revision-content';
import { assertSameSignature } from './recorded-signature';
import { refusal } from './refusal';
import { activeActor, applyStepSignature, assertMayOwnTasks } from './step-signature';
import { SYSTEM_ACTOR_NAME } from './system-actor';

export interface ProcessActivityDeps {
  db: Database;
  now?: () => Date;
}

function checkEligible(actor: UserWithRoles, eligible: Eligibility | null, what: string): void {
  if (!eligible) return;
  if (eligible.userIds?.includes(actor.id) || eligible.roles?.some((r) => actor.roles.includes(r))) return;
  throw refusal(RefusalCodes.notAuthorised, `${actor.printedName} may not ${what}.`);
}

const auditActor = (actor: UserWithRoles | null, context: ActorContext | null) => ({
  actorId: actor?.id ?? null,
  actorName: actor?.printedName ?? SYSTEM_ACTOR_NAME,
  clientIp: context?.clientIp ?? null,
  userAgent: context?.userAgent ?? null,
});

export async function insertProcessTasks(tx: Executor, recordId: string, tasks: ProcessTask[], at: Date): Promise<void> {
  for (const task of tasks) {
    await insertTask(tx, {
      id: task.taskId,
      recordId,
      step: task.step,
      action: task.action,
      title: task.title,
      assigneeUserId: task.assigneeUserId,
      assigneeRole: task.assigneeRole,
      openedAt: at,
      dueAt: task.dueAt ? new Date(task.dueAt) : null,
      escalatesTaskId: task.escalatesTaskId,
    });
  }
}

export function createProcessActivities({ db, now = () => new Date() }: ProcessActivityDeps): ProcessActivities {
  async function currentVersion(tx: Executor, recordId: string): Promise<VersionResult> {
    const version = (await findLatestVersion(tx, recordId))!;
    return { version: version.version, contentHash: version.contentHash };
  }

  async function newVersion(tx: Executor, record: RecordRow, content: JsonContent, actorId: string, reason: string, at: Date): Promise<VersionResult> {
    const latest = (await findLatestVersion(tx, record.id))!;
    const version = latest.version + 1;
    const contentHash = canonicalHash(content as JsonValue);
    await insertRecordVersion(tx, { recordId: record.id, version, content, contentHash, createdBy: actorId, createdAt: at, reason });
    return { version, contentHash };
  }

  /** Writes a transition, its tasks and its audit event (the caller has written anything else). */
  async function writeTransition(
    tx: Executor,
    record: RecordRow,
    actor: UserWithRoles | null,
    context: ActorContext | null,
    transition: TransitionSpec,
    version: VersionResult,
    at: Date,
  ): Promise<void> {
    await appendTransition(tx, {
      id: transition.transitionId,
      recordId: record.id,
      fromStatus: transition.from,
      toStatus: transition.to,
      actorId: actor?.id ?? null,
      reason: transition.reason,
      occurredAt: at,
    });
    await insertProcessTasks(tx, record.id, transition.openTasks, at);
    await appendAuditEvent(tx, {
      ...auditActor(actor, context),
      occurredAt: at,
      action: transition.auditAction,
      entityType: record.type,
      entityId: record.number,
      recordId: record.id,
      oldValue: { status: transition.from },
      newValue: { status: transition.to, version: version.version, contentHash: version.contentHash },
      reason: transition.reason,
    });
  }

  return {
    async createProcessRecord({ type, prefix, recordId, workflowId, content, context, parent, initialStatus, openTasks }) {
      return db.transaction(async (tx) => {
        const existing = await findRecord(tx, recordId);
        if (existing) {
          const version = (await findLatestVersion(tx, recordId))!;
          return {
            number: existing.number,
            version: version.version,
            contentHash: version.contentHash,
            authorId: existing.createdBy,
            content: version.content as JsonContent,
          };
        }
        // A person creates a record; a child process is created by its parent process, on behalf of
        // the parent's author (who did not act at this moment and may have left since): the audit
        // event names the process, not a person, and the record exists either way.
        const parentRecord = parent ? await findRecord(tx, parent.recordId) : null;
        const author = parentRecord ? await findUserById(tx, context.actorId) : await activeActor(tx, context);
        if (!author) throw refusal(RefusalCodes.userInactive, 'The author of the parent process does not exist.');
        const actor = parentRecord ? null : author;
        const at = now();
        const number = await nextRecordNumber(tx, prefix, at.getUTCFullYear());
        await insertRecord(tx, { id: recordId, type, number, workflowId, createdBy: author.id, createdAt: at });
        const stored = type === 'document_revision' ? await completeRevisionContent(tx, recordId, content, at) : content;
        const contentHash = canonicalHash(stored as JsonValue);
        const createdReason = parentRecord ? `Started by ${parentRecord.number} (${parent!.relation})` : 'Created';
        await insertRecordVersion(tx, { recordId, version: 1, content: stored, contentHash, createdBy: author.id, createdAt: at, reason: createdReason });
        await appendTransition(tx, { id: recordId, recordId, fromStatus: null, toStatus: initialStatus, actorId: actor?.id ?? null, occurredAt: at });
        if (parent) await insertRecordLink(tx, { fromRecordId: parent.recordId, toRecordId: recordId, relation: parent.relation, createdAt: at });
        await insertProcessTasks(tx, recordId, openTasks, at);
        await appendAuditEvent(tx, {
          ...auditActor(actor, actor ? context : null),
          occurredAt: at,
          action: 'record.created',
          entityType: type,
          entityId: number,
          recordId,
          newValue: {
            number,
            status: initialStatus,
            version: 1,
            contentHash,
            content: stored as JsonValue,
            authorId: author.id,
            parentRecordId: parent?.recordId ?? null,
          },
          reason: parentRecord ? createdReason : typeof stored.reason === 'string' ? stored.reason : null,
        });
        return { number, version: 1, contentHash, authorId: author.id, content: stored };
      });
    },

    async transitionProcess({ recordId, context, eligible, newContent, closeTaskIds, closeOutcome, transition }) {
      return db.transaction(async (tx) => {
        if (await findTransition(tx, transition.transitionId)) return currentVersion(tx, recordId);
        const actor = context ? await activeActor(tx, context) : null;
        if (actor) checkEligible(actor, eligible, `take this step of the record`);
        const record = (await findRecord(tx, recordId))!;
        const at = now();
        let version = await currentVersion(tx, recordId);
        if (newContent) version = await newVersion(tx, record, newContent.content, actor?.id ?? record.createdBy, newContent.reason, at);
        await completeTasks(tx, closeTaskIds, closeOutcome, actor?.id ?? null, at);
        await writeTransition(tx, record, actor, context, transition, version, at);
        return version;
      });
    },

    async signProcessStep({ recordId, signatureId, step, role, meaning, reason, authorMayNotSign, signed, context, closeTaskIds, transition }) {
      return db.transaction(async (tx) => {
        const existing = await findSignature(tx, signatureId);
        if (existing) {
          assertSameSignature(existing, { recordId, signerId: context.actorId, step, meaning, signed });
          return currentVersion(tx, recordId);
        }
        const actor = await activeActor(tx, context);
        const record = (await findRecord(tx, recordId))!;
        const { version, at } = await applyStepSignature(tx, { record, actor, context, signatureId, step, role, meaning, reason, authorMayNotSign, signed });
        await completeTasks(tx, transition ? transition.closeTaskIds : closeTaskIds, 'completed', actor.id, at);
        if (transition) await writeTransition(tx, record, actor, context, transition, version, at);
        return version;
      });
    },

    async amendProcessRecord({ recordId, amendmentId, baseVersion, content, reason, context, invalidatedSignatureIds, reopenTasks }) {
      return db.transaction(async (tx) => {
        const record = (await findRecord(tx, recordId))!;
        const latest = (await findLatestVersion(tx, recordId))!;
        // Idempotent: the amendment id is kept as the version's reason suffix-free key in the audit event.
        if (latest.version === baseVersion + 1 && latest.contentHash === canonicalHash(content as JsonValue)) {
          return { version: latest.version, contentHash: latest.contentHash };
        }
        if (latest.version !== baseVersion) {
          throw refusal(RefusalCodes.staleVersion, `${record.number} has changed since you opened it: version ${latest.version} is current.`);
        }
        const actor = await activeActor(tx, context);
        const at = now();
        const version = await newVersion(tx, record, content, actor.id, reason, at);
        for (const signatureId of invalidatedSignatureIds) {
          await insertSignatureInvalidation(tx, { signatureId, recordId, byVersion: version.version, reason, invalidatedAt: at });
        }
        await insertProcessTasks(tx, recordId, reopenTasks, at);
        await appendAuditEvent(tx, {
          ...auditActor(actor, context),
          occurredAt: at,
          action: 'record.amended',
          entityType: record.type,
          entityId: record.number,
          recordId,
          oldValue: { version: latest.version, contentHash: latest.contentHash, content: latest.content as JsonValue },
          newValue: { version: version.version, contentHash: version.contentHash, content: content as JsonValue, amendmentId, invalidatedSignatureIds },
          reason,
        });
        return version;
      });
    },

    async completeProcessTask({ recordId, taskId, note, context, closeTaskIds, transition }) {
      await db.transaction(async (tx) => {
        if (transition && (await findTransition(tx, transition.transitionId))) return;
        const actor = await activeActor(tx, context);
        await assertMayOwnTasks(tx, actor);
        const record = (await findRecord(tx, recordId))!;
        const at = now();
        await completeTasks(tx, closeTaskIds, 'completed', actor.id, at);
        await appendAuditEvent(tx, {
          ...auditActor(actor, context),
          occurredAt: at,
          action: 'task.completed',
          entityType: 'task',
          entityId: taskId,
          recordId,
          newValue: { note },
        });
        if (transition) await writeTransition(tx, record, actor, context, transition, await currentVersion(tx, recordId), at);
      });
    },

    async noteOverdueTask({ recordId, task, level, followUp }) {
      await db.transaction(async (tx) => {
        const record = (await findRecord(tx, recordId))!;
        const at = now();
        if (followUp) await insertProcessTasks(tx, recordId, [followUp], at);
        await appendAuditEvent(tx, {
          ...auditActor(null, null),
          occurredAt: at,
          action: level === 'reminder' ? 'task.reminder_sent' : 'task.escalated',
          entityType: 'task',
          entityId: task.taskId,
          recordId,
          newValue: {
            record: record.number,
            title: task.title,
            dueAt: task.dueAt,
            assigneeUserId: task.assigneeUserId,
            assigneeRole: task.assigneeRole,
            escalatedTo: followUp?.assigneeRole ?? null,
          },
        });
      });
    },

    async openProcessTask({ recordId, task, auditAction }) {
      await db.transaction(async (tx) => {
        const record = (await findRecord(tx, recordId))!;
        const at = now();
        await insertProcessTasks(tx, recordId, [task], at);
        await appendAuditEvent(tx, {
          ...auditActor(null, null),
          occurredAt: at,
          action: auditAction,
          entityType: 'task',
          entityId: task.taskId,
          recordId,
          newValue: { record: record.number, title: task.title, assigneeRole: task.assigneeRole, dueAt: task.dueAt },
        });
      });
    },
  };
}
