// Change control, full path (DESIGN.md): draft → impact assessment → approval by QA and the owner of
// every affected area → implementation (tasks, and a document revision per affected document) →
// effectiveness verification and closure by QA, refused while a document revision is still open.
// Pure: imported by the workflow bundle (no Node, no NestJS, no class-validator).
import type { JsonContent } from '../../workflows/contracts/process-contracts';
import type { ImplementationTask, ProcessDefinition } from '../../workflows/steps/definition';

export interface ImpactAssessment {
  affectedDocuments: string[];
  affectedItems: string[];
  affectedSuppliers: string[];
  /** Areas whose owners approve: each adds the role approver_<area> to the approval quorum. */
  affectedAreas: string[];
  validationRequired: boolean;
  validationNotes: string;
  riskLevel: 'low' | 'medium' | 'high';
  riskRationale: string;
}

export interface ChangeControlContent extends JsonContent {
  title: string;
  description: string;
  reason: string;
  riskLevel: 'low' | 'medium' | 'high';
  impact?: ImpactAssessment;
  implementationTasks?: (ImplementationTask & { ownerName: string })[];
}

export const changeControlProcess: ProcessDefinition<ChangeControlContent> = {
  type: 'change_control',
  label: 'Change control',
  prefix: 'CC',
  fieldLabels: {
    riskLevel: 'Risk level (change request)',
    impact: 'Impact assessment',
    'impact.riskLevel': 'Risk level (impact assessment)',
    'impact.riskRationale': 'Risk rationale (impact assessment)',
  },
  initial: 'draft',
  cancelRoles: ['qa'],
  doneForParent: ['closed'],
  steps: {
    draft: { kind: 'author', title: 'Complete and submit the change request', performer: 'author', next: 'impact_assessment', amendable: true },
    impact_assessment: {
      kind: 'author',
      title: 'Assess the impact and plan the implementation',
      performer: 'author',
      next: 'approval',
      amendable: true,
      missing: (content) => (content.impact ? null : 'the impact assessment (affected documents, items, suppliers, areas, validation, risk) is missing.'),
    },
    approval: {
      kind: 'signoff',
      title: 'Approve the change',
      quorum: (content) => ['qa', ...(content.impact?.affectedAreas ?? []).map((area) => `approver_${area}`)],
      outcomes: {
        approve: { meaning: 'approved', next: 'implementation' },
        reject: { meaning: 'rejected', quorum: 'any', next: 'impact_assessment', auditAction: 'record.rejected', reasonRequired: true },
      },
      authorMayNotSign: true,
      amendable: true,
    },
    implementation: {
      kind: 'tasks',
      title: 'Implement the change',
      next: 'effectiveness_verification',
      tasks: (content) => content.implementationTasks ?? [],
      children: (content) =>
        (content.impact?.affectedDocuments ?? []).map((documentNumber) => ({
          type: 'document_revision' as const,
          relation: 'document_revision',
          content: { documentNumber, changeSummary: `Revision required by change control: ${content.title}` },
        })),
    },
    effectiveness_verification: {
      kind: 'signoff',
      title: 'Verify effectiveness and close',
      quorum: () => ['qa'],
      outcomes: { verify: { meaning: 'verified', next: 'closed', requiresChildrenClosed: true } },
      authorMayNotSign: true,
    },
    closed: { kind: 'final', title: 'Closed', sealRecord: true },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};
