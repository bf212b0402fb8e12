// The document-control side effects of a revision's process: completing its content at creation
// (document, title, revision number), assigning training, making it effective (the previous
// effective revision superseded in the same transaction), and making it obsolete.
import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../db/client';
import {
  activeUsersHoldingRoles,
  appendAuditEvent,
  appendDocumentStatus,
  effectiveRevision,
  findDocumentByNumber,
  findLatestVersion,
  findRecord,
  findRevisionByRecordId,
  findUserById,
  insertDocumentRevision,
  insertTask,
  lockDocument,
  nextRevisionNumber,
  taskExists,
} from '../db/repositories';
import { RefusalCodes } from '../workflows/contracts';
import type { JsonContent } from '../workflows/process-contracts';
import type { DocumentRevisionContent } from '../workflows/processes/document-revision.process';
import type { DocumentRevisionActivities } from './process.contracts';
import { refusal } from './refusal';
import { SYSTEM_ACTOR_NAME } from './system-actor';

/** Inside the creating transaction: ties the record to its document and assigns the revision number. */
export async function completeRevisionContent(tx: Executor, recordId: string, content: JsonContent, at: Date): Promise<JsonContent> {
  const requested = content as DocumentRevisionContent;
  const document = await findDocumentByNumber(tx, requested.documentNumber);
  if (!document) throw refusal(RefusalCodes.unknownDocument, `No controlled document ${requested.documentNumber}.`);
  await lockDocument(tx, document.id);
  const revision = await nextRevisionNumber(tx, document.id);
  await insertDocumentRevision(tx, { recordId, documentId: document.id, revision, createdAt: at });
  return {
    ...content,
    documentId: document.id,
    documentNumber: document.number,
    title: `${document.number} revision ${revision}: ${document.title}`,
    revision,
    file: requested.file ?? null,
    effectiveDate: requested.effectiveDate ?? null,
    reviewerRoles: requested.reviewerRoles ?? [],
    trainingRoles: requested.trainingRoles ?? [],
  };
}

async function revisionOf(tx: Executor, recordId: string) {
  // One after the other: a transaction is one connection, which runs one query at a time.
  const record = await findRecord(tx, recordId);
  const version = await findLatestVersion(tx, recordId);
  const link = await findRevisionByRecordId(tx, recordId);
  return { record: record!, content: version!.content as DocumentRevisionContent, documentId: link!.documentId };
}

export function createDocumentRevisionActivities({ db, now = () => new Date() }: { db: Database; now?: () => Date }): DocumentRevisionActivities {
  return {
    async assignRevisionTraining({ recordId, taskIdSeed }) {
      return db.transaction(async (tx) => {
        const { record, content } = await revisionOf(tx, recordId);
        const people = await activeUsersHoldingRoles(tx, content.trainingRoles ?? []);
        // Task ids derive from the seed the workflow chose, so a retry finds what it wrote.
        const ids = people.map((_, i) => `${taskIdSeed.slice(0, 24)}${String(i).padStart(12, '0')}`);
        if (ids.length && (await taskExists(tx, ids[0]!))) return { assigned: ids.length };
        const at = now();
        for (const [i, person] of people.entries()) {
          await insertTask(tx, {
            id: ids[i]!,
            recordId,
            step: 'training',
            action: 'train',
            title: `Read and train on ${content.documentNumber} revision ${content.revision}`,
            assigneeUserId: person.id,
            openedAt: at,
            dueAt: content.effectiveDate ? new Date(content.effectiveDate) : null,
          });
        }
        await appendAuditEvent(tx, {
          occurredAt: at,
          actorId: null,
          actorName: SYSTEM_ACTOR_NAME,
          action: 'training.assigned',
          entityType: 'document_revision',
          entityId: record.number,
          recordId,
          newValue: {
            documentNumber: content.documentNumber,
            revision: content.revision ?? null,
            roles: content.trainingRoles ?? [],
            users: people.map((p) => p.username),
          },
        });
        return { assigned: people.length };
      });
    },

    async makeRevisionEffective({ recordId }) {
      return db.transaction(async (tx) => {
        const { record, content, documentId } = await revisionOf(tx, recordId);
        await lockDocument(tx, documentId);
        const previous = await effectiveRevision(tx, documentId);
        if (previous?.recordId === recordId) return { supersededRecordId: null };
        const at = now();
        if (previous && previous.revision > (content.revision ?? 0)) {
          const reason = `Revision ${previous.revision} (${previous.recordNumber}) became effective first`;
          await appendDocumentStatus(tx, { id: randomUUID(), documentId, recordId, status: 'superseded', occurredAt: at, actorId: null, reason });
          await appendAuditEvent(tx, {
            occurredAt: at,
            actorId: null,
            actorName: SYSTEM_ACTOR_NAME,
            action: 'document.superseded',
            entityType: 'document',
            entityId: content.documentNumber,
            recordId,
            oldValue: null,
            newValue: { revision: content.revision ?? null, record: record.number, effectiveRevision: previous.revision },
            reason,
          });
          return { supersededRecordId: null, supersededByRecordId: previous.recordId };
        }
        if (previous) {
          await appendDocumentStatus(tx, {
            id: randomUUID(),
            documentId,
            recordId: previous.recordId,
            status: 'superseded',
            occurredAt: at,
            actorId: null,
            reason: `Superseded by ${record.number}`,
          });
        }
        await appendDocumentStatus(tx, { id: randomUUID(), documentId, recordId, status: 'effective', occurredAt: at, actorId: null, reason: null });
        await appendAuditEvent(tx, {
          occurredAt: at,
          actorId: null,
          actorName: SYSTEM_ACTOR_NAME,
          action: 'document.effective',
          entityType: 'document',
          entityId: content.documentNumber,
          recordId,
          oldValue: previous ? { effectiveRevision: previous.revision, record: previous.recordNumber } : null,
          newValue: {
            effectiveRevision: content.revision ?? null,
            record: record.number,
            fileSha256: content.file?.sha256 ?? null,
            effectiveDate: content.effectiveDate ?? null,
          },
        });
        return { supersededRecordId: previous?.recordId ?? null };
      });
    },

    async endRevision({ recordId, status, reason, context }) {
      await db.transaction(async (tx) => {
        const { record, content, documentId } = await revisionOf(tx, recordId);
        await lockDocument(tx, documentId);
        const actor = context ? await findUserById(tx, context.actorId) : undefined;
        if (context && (!actor || actor.status !== 'active')) throw refusal(RefusalCodes.userInactive, 'The acting user does not exist or is disabled.');
        if (actor && !actor.roles.includes('document_controller'))
          throw refusal(RefusalCodes.notAuthorised, `${actor.printedName} is not a document controller.`);
        const current = await effectiveRevision(tx, documentId);
        if (current?.recordId !== recordId) return;
        const at = now();
        await appendDocumentStatus(tx, { id: randomUUID(), documentId, recordId, status, occurredAt: at, actorId: actor?.id ?? null, reason });
        await appendAuditEvent(tx, {
          occurredAt: at,
          actorId: actor?.id ?? null,
          actorName: actor?.printedName ?? SYSTEM_ACTOR_NAME,
          action: `document.${status}`,
          entityType: 'document',
          entityId: content.documentNumber,
          recordId,
          newValue: { revision: content.revision ?? null, record: record.number },
          reason,
          clientIp: context?.clientIp ?? null,
          userAgent: context?.userAgent ?? null,
        });
      });
    },
  };
}
