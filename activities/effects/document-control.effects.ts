// Document control's effects on a revision's process: assigning training (on entering its training
// step), making it effective (on entering the step that does; the previous effective revision
// superseded in the same transaction, or this one superseded when a newer one came first), and
// recording its obsolescence (on entering its obsolete end).
import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client';
import {
  activeUsersHoldingRoles,
  appendAuditEvent,
  appendDocumentStatus,
  effectiveRevision,
  findLatestVersion,
  findRecord,
  findRevisionByRecordId,
  findUserById,
  insertTask,
  lockDocument,
  taskExists,
} from '../../db/repositories';
import { RefusalCodes } from '../../workflows/contracts/common';
import type { ActorContext } from '../../workflows/contracts/process-contracts';
import type { DocumentRevisionContent } from '../../processes/document-revision/document-revision.process';
import type { EffectOutcome } from '../../workflows/contracts/effect-activities';
import { refusal } from '../refusal';
import { SYSTEM_ACTOR_NAME } from '../system-actor';
import type { EffectDeps, EffectRegistry } from './effect-registry';

async function revisionOf(tx: Executor, recordId: string) {
  // One after the other: a transaction is one connection, which runs one query at a time.
  const record = await findRecord(tx, recordId);
  const version = await findLatestVersion(tx, recordId);
  const link = await findRevisionByRecordId(tx, recordId);
  return { record: record!, content: version!.content as DocumentRevisionContent, documentId: link!.documentId };
}

/** The event a revision raises on itself when a newer one is effective already, and sends the one it supersedes. */
export const SUPERSEDED_EVENT = 'superseded';

export function documentControlEffects({ db, now = () => new Date() }: EffectDeps) {
  const documentControl = {
    /** One training task per person holding a role that needs the document; task ids derive from `taskIdSeed`. */
    async assignRevisionTraining({ recordId, taskIdSeed, step }: { recordId: string; taskIdSeed: string; step: string }) {
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
            step,
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

    /**
     * The revision becomes the document's effective one; the previous effective revision is
     * superseded. When a newer revision is effective already (its effective date came first), this
     * one never becomes effective: it is superseded by that newer one (`supersededByRecordId`).
     */
    async makeRevisionEffective({ recordId }: { recordId: string }): Promise<{ supersededRecordId: string | null; supersededByRecordId?: string | null }> {
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

    /** Records the end of an effective revision (obsolete with a reason, or superseded). */
    async endRevision({
      recordId,
      status,
      reason,
      context,
    }: {
      recordId: string;
      status: 'superseded' | 'obsolete';
      reason: string | null;
      context: ActorContext | null;
    }): Promise<void> {
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

  const effects: EffectRegistry = {
    'document.assign_training': async ({ recordId, effectId, to }) => {
      await documentControl.assignRevisionTraining({ recordId, taskIdSeed: effectId, step: to });
    },
    'document.make_effective': async ({ recordId }): Promise<EffectOutcome> => {
      const { supersededRecordId, supersededByRecordId } = await documentControl.makeRevisionEffective({ recordId });
      return {
        // The database already records the supersession; the event ends the old revision's process.
        notify: supersededRecordId ? [{ recordId: supersededRecordId, event: SUPERSEDED_EVENT }] : [],
        // A newer revision is effective already: this one goes straight to its superseded end.
        raise: supersededByRecordId ? [SUPERSEDED_EVENT] : [],
      };
    },
    'document.obsolete': async ({ recordId, reason, context }) => {
      await documentControl.endRevision({ recordId, status: 'obsolete', reason, context });
    },
  };
  return effects;
}
