import { canonicalHash, type JsonValue } from '../signatures';
import type { Database, Executor } from '../db/client';
import {
  appendAuditEvent,
  appendTransition,
  completeOpenTasks,
  findLatestVersion,
  findRecord,
  findSignature,
  findTransition,
  insertRecord,
  insertRecordVersion,
  insertTask,
  latestTransition,
  nextRecordNumber,
  type UserWithRoles,
} from '../db/repositories';
import { type ChangeControlStatus, type RequestContext } from '../workflows/contracts';
import type { ChangeControlActivities, TransitionResult } from './change-control.contracts';
import { activeActor, applyStepSignature } from './step-signature';
import { assertSameSignature } from './recorded-signature';

export const CHANGE_CONTROL_TYPE = 'change_control';
export const CHANGE_CONTROL_PREFIX = 'CC';
/** The role whose members sign the QA approval step. */
export const QA_ROLE = 'qa';

export interface ChangeControlActivityDeps {
  db: Database;
  now?: () => Date;
}

function auditContext(actor: UserWithRoles, context: RequestContext) {
  return { actorId: actor.id, actorName: actor.printedName, clientIp: context.clientIp, userAgent: context.userAgent };
}

/**
 * Persistence of change-control transitions. Each activity is one transaction and is idempotent:
 * a retry after a crash finds its own transition (or signature) and returns the same result.
 */
export function createChangeControlActivities({ db, now = () => new Date() }: ChangeControlActivityDeps): ChangeControlActivities {
  async function currentResult(tx: Executor, recordId: string): Promise<TransitionResult> {
    // One after the other: a transaction is one connection, which runs one query at a time.
    const transition = await latestTransition(tx, recordId);
    const version = await findLatestVersion(tx, recordId);
    return { status: transition!.toStatus as ChangeControlStatus, version: version!.version, contentHash: version!.contentHash };
  }

  return {
    async createChangeControlRecord({ recordId, workflowId, content, context }) {
      return db.transaction(async (tx) => {
        const existing = await findRecord(tx, recordId);
        if (existing) {
          const version = await findLatestVersion(tx, recordId);
          return { recordId, number: existing.number, version: version!.version, contentHash: version!.contentHash, authorId: existing.createdBy };
        }
        const actor = await activeActor(tx, context);
        const at = now();
        const number = await nextRecordNumber(tx, CHANGE_CONTROL_PREFIX, at.getUTCFullYear());
        const contentHash = canonicalHash(content);
        await insertRecord(tx, { id: recordId, type: CHANGE_CONTROL_TYPE, number, workflowId, createdBy: actor.id, createdAt: at });
        await insertRecordVersion(tx, { recordId, version: 1, content, contentHash, createdBy: actor.id, createdAt: at, reason: 'Created' });
        await appendTransition(tx, { id: recordId, recordId, fromStatus: null, toStatus: 'draft', actorId: actor.id, occurredAt: at });
        await insertTask(tx, {
          id: crypto.randomUUID(),
          recordId,
          step: 'draft',
          action: 'submit',
          title: `Complete and submit ${number}: ${content.title}`,
          assigneeUserId: actor.id,
          openedAt: at,
        });
        await appendAuditEvent(tx, {
          ...auditContext(actor, context),
          occurredAt: at,
          action: 'record.created',
          entityType: CHANGE_CONTROL_TYPE,
          entityId: number,
          recordId,
          newValue: { number, status: 'draft', version: 1, contentHash, content: content as unknown as JsonValue },
          reason: content.reason,
        });
        return { recordId, number, version: 1, contentHash, authorId: actor.id };
      });
    },

    async submitChangeControl({ recordId, transitionId, round, context }) {
      return db.transaction(async (tx) => {
        if (await findTransition(tx, transitionId)) return currentResult(tx, recordId);
        const actor = await activeActor(tx, context);
        const record = (await findRecord(tx, recordId))!;
        const at = now();
        await completeOpenTasks(tx, recordId, actor.id, at);
        await appendTransition(tx, { id: transitionId, recordId, fromStatus: 'draft', toStatus: 'qa_approval', actorId: actor.id, occurredAt: at });
        await insertTask(tx, {
          id: crypto.randomUUID(),
          recordId,
          step: 'qa_approval',
          action: 'sign',
          title: `QA approval of ${record.number}`,
          assigneeRole: QA_ROLE,
          openedAt: at,
        });
        await appendAuditEvent(tx, {
          ...auditContext(actor, context),
          occurredAt: at,
          action: 'record.submitted',
          entityType: CHANGE_CONTROL_TYPE,
          entityId: record.number,
          recordId,
          oldValue: { status: 'draft' },
          newValue: { status: 'qa_approval', round },
        });
        return currentResult(tx, recordId);
      });
    },

    async decideQaApproval({ recordId, transitionId, signatureId, outcome, reason, signed, context }) {
      return db.transaction(async (tx) => {
        const existing = await findSignature(tx, signatureId);
        if (existing) {
          assertSameSignature(existing, { recordId, signerId: context.actorId, step: 'qa_approval', meaning: outcome, signed });
          return currentResult(tx, recordId);
        }
        const actor = await activeActor(tx, context);
        const record = (await findRecord(tx, recordId))!;
        const { version, at } = await applyStepSignature(tx, {
          record,
          actor,
          context,
          signatureId,
          step: 'qa_approval',
          role: QA_ROLE,
          meaning: outcome,
          reason,
          authorMayNotSign: true,
          signed,
        });
        const toStatus: ChangeControlStatus = outcome === 'approved' ? 'closed' : 'draft';
        await completeOpenTasks(tx, recordId, actor.id, at);
        await appendTransition(tx, { id: transitionId, recordId, fromStatus: 'qa_approval', toStatus, actorId: actor.id, reason, occurredAt: at });
        if (toStatus === 'draft') {
          await insertTask(tx, {
            id: crypto.randomUUID(),
            recordId,
            step: 'draft',
            action: 'submit',
            title: `Revise and resubmit ${record.number} (rejected by QA: ${reason ?? ''})`,
            assigneeUserId: record.createdBy,
            openedAt: at,
          });
        }
        await appendAuditEvent(tx, {
          ...auditContext(actor, context),
          occurredAt: at,
          action: outcome === 'approved' ? 'record.closed' : 'record.rejected',
          entityType: CHANGE_CONTROL_TYPE,
          entityId: record.number,
          recordId,
          oldValue: { status: 'qa_approval' },
          newValue: { status: toStatus },
          reason,
        });
        return { status: toStatus, version: version.version, contentHash: version.contentHash };
      });
    },
  };
}
