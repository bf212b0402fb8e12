// A controlled document's revision (DESIGN.md): draft with its content file → review → approval →
// training assigned → effective on its date (durable timer) → the previous revision superseded;
// periodic review while effective; obsolete with a reason.
// Pure: imported by the workflow bundle (no Node, no NestJS, no class-validator).
import type { JsonContent } from '../../workflows/contracts/process-contracts';
import type { ProcessDefinition } from '../../workflows/steps/definition';

export interface DocumentRevisionContent extends JsonContent {
  documentNumber: string;
  /** Completed when the revision is created: the document's id, title and the revision number. */
  documentId?: string;
  title?: string;
  revision?: number;
  changeSummary: string;
  file?: { sha256: string; fileName: string; size: number; mediaType: string } | null;
  /** ISO date-time from which the revision is effective. */
  effectiveDate?: string | null;
  reviewerRoles?: string[];
  trainingRoles?: string[];
}

export const documentRevisionProcess: ProcessDefinition<DocumentRevisionContent> = {
  type: 'document_revision',
  label: 'Document revision',
  prefix: 'DOC',
  initial: 'draft',
  cancelRoles: ['document_controller', 'qa'],
  // An effective revision has done what the change control that asked for it wanted.
  doneForParent: ['effective'],
  amendRoles: ['document_controller'],
  steps: {
    draft: {
      kind: 'author',
      title: 'Draft the revision and upload its content',
      performer: ['document_controller'],
      next: 'review',
      amendable: true,
      missing: (content) => {
        const { file, effectiveDate } = content;
        if (!file) return 'the content file is not uploaded.';
        if (!effectiveDate || Number.isNaN(Date.parse(effectiveDate))) return 'the effective date is missing.';
        return null;
      },
    },
    review: {
      kind: 'signoff',
      title: 'Review the revision',
      quorum: (content) => (content.reviewerRoles?.length ? content.reviewerRoles : ['qa']),
      outcomes: {
        review: { meaning: 'reviewed', next: 'approval' },
        reject: { meaning: 'rejected', quorum: 'any', next: 'draft', auditAction: 'record.rejected', reasonRequired: true },
      },
      authorMayNotSign: true,
      amendable: true,
    },
    approval: {
      kind: 'signoff',
      title: 'Approve the revision',
      quorum: () => ['qa'],
      outcomes: {
        approve: { meaning: 'approved', next: 'training' },
        reject: { meaning: 'rejected', quorum: 'any', next: 'draft', auditAction: 'record.rejected', reasonRequired: true },
      },
      authorMayNotSign: true,
      amendable: true,
    },
    training: {
      kind: 'pass',
      title: 'Assign training',
      onEnter: ['document.assign_training'],
      next: 'pending_effective',
      auditAction: 'record.training_assigned',
    },
    pending_effective: {
      kind: 'wait',
      title: 'Wait for the effective date',
      next: 'becoming_effective',
      until: (content, _timing, enteredAt) => {
        const at = Date.parse(content.effectiveDate ?? '');
        return Number.isNaN(at) ? enteredAt : at;
      },
    },
    becoming_effective: {
      kind: 'pass',
      title: 'Make effective',
      onEnter: ['document.make_effective'],
      next: 'effective',
      auditAction: 'record.effective',
      // Raised by document.make_effective when a newer revision became effective first.
      events: { superseded: { to: 'superseded', auditAction: 'record.superseded', reason: 'A newer revision became effective first' } },
    },
    effective: {
      kind: 'hold',
      title: 'Effective',
      periodicReview: { every: 'periodicReview', role: 'document_controller', title: 'Periodic review due' },
      obsolete: { to: 'obsolete', roles: ['document_controller'] },
      // Sent by the next revision's document.make_effective.
      events: { superseded: { to: 'superseded', auditAction: 'record.superseded', reason: 'Superseded by a new effective revision' } },
    },
    superseded: { kind: 'final', title: 'Superseded', sealRecord: true },
    obsolete: { kind: 'final', title: 'Obsolete', sealRecord: true, onEnter: ['document.obsolete'] },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};
