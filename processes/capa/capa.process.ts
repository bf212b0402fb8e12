// CAPA (DESIGN.md): initiated from a source → investigation (root cause and method) → action plan
// approved by QA → actions (each may start a change control) → effectiveness check after a
// configured wait (durable timer, 90 days by default) → closed by QA, or reopened when not effective.
// Pure: imported by the workflow bundle (no Node, no NestJS, no class-validator).
import { msToNumber, type Duration } from '@temporalio/common';
import type { JsonContent } from '../../workflows/contracts/process-contracts';
import type { ImplementationTask, ProcessDefinition } from '../../workflows/steps/definition';

export const CAPA_SOURCES = ['ncmr', 'complaint', 'audit_finding', 'trend', 'other'] as const;

export interface CapaAction extends ImplementationTask {
  ownerName: string;
  /** When set, the action starts a change control with this content. */
  changeControl?: { title: string; description: string; reason: string; riskLevel: 'low' | 'medium' | 'high' } | null;
}

export interface CapaContent extends JsonContent {
  title: string;
  description: string;
  source: { kind: (typeof CAPA_SOURCES)[number]; reference: string };
  investigation?: { rootCause: string; method: string } | null;
  actions?: CapaAction[];
}

const msOf = (duration: string) => msToNumber(duration as Duration);

export const capaProcess: ProcessDefinition<CapaContent> = {
  type: 'capa',
  label: 'CAPA',
  prefix: 'CAPA',
  fieldLabels: { 'actions.changeControl': 'Change control to start', 'actions.changeControl.riskLevel': 'Risk level (change control to start)' },
  initial: 'initiated',
  cancelRoles: ['qa'],
  doneForParent: ['closed'],
  steps: {
    initiated: { kind: 'author', title: 'Describe the problem and submit', performer: 'author', next: 'investigation', amendable: true },
    investigation: {
      kind: 'author',
      title: 'Investigate the root cause and plan actions',
      performer: 'author',
      next: 'plan_approval',
      amendable: true,
      missing: (content) => {
        const { investigation, actions } = content;
        if (!investigation?.rootCause || !investigation.method) return 'the root cause and the investigation method are missing.';
        if (!actions?.length) return 'the action plan has no actions.';
        return null;
      },
    },
    plan_approval: {
      kind: 'signoff',
      title: 'Approve the action plan',
      quorum: () => ['qa'],
      outcomes: {
        approve: { meaning: 'approved', next: 'implementation' },
        reject: { meaning: 'rejected', quorum: 'any', next: 'investigation', auditAction: 'record.rejected', reasonRequired: true },
      },
      authorMayNotSign: true,
      amendable: true,
    },
    implementation: {
      kind: 'tasks',
      title: 'Carry out the actions',
      next: 'effectiveness_wait',
      tasks: (content) => content.actions ?? [],
      children: (content) =>
        (content.actions ?? [])
          .filter((action) => action.changeControl)
          // Keyed by the action and the change it asks for: a CAPA reopened as not effective does not
          // start the same change control again, but a replanned action that asks for another change does.
          .map((action) => ({
            type: 'change_control' as const,
            relation: 'resulting_change',
            content: { ...action.changeControl! },
            key: `${action.key}:${action.changeControl!.title}`,
          })),
    },
    effectiveness_wait: {
      kind: 'wait',
      title: 'Wait before checking effectiveness',
      label: 'Waiting for the effectiveness check',
      next: 'effectiveness_check',
      until: (_content, timing, enteredAt) => enteredAt + msOf(timing.effectivenessWait),
    },
    effectiveness_check: {
      kind: 'signoff',
      title: 'Check effectiveness and close',
      quorum: () => ['qa'],
      outcomes: {
        effective: { meaning: 'effective', next: 'closed', requiresChildrenClosed: true },
        reject: { meaning: 'not_effective', quorum: 'any', next: 'investigation', auditAction: 'record.reopened', reasonRequired: true },
      },
      authorMayNotSign: true,
    },
    closed: { kind: 'final', title: 'Closed', sealRecord: true },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};
