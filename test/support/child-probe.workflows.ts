// A parent process whose tasks step starts children, and the child it starts, without any domain:
// bundled on their own by test/process-children.test.ts and run against stub activities. The
// parent's review sends it back to its tasks step ("again") or closes it ("done"); the content says
// how many children the tasks step starts and whether each has a key.
import type { ProcessInput, ProcessResult } from '../../workflows/contracts/process-contracts';
import type { ChildSpec, ProcessDefinition } from '../../workflows/steps/definition';
import { runProcess } from '../../workflows/steps/run-process';

/** The children's type: any will do, this bundle runs the probe child under that type's workflow name. */
const CHILD_TYPE = 'change_control' as const;

const childrenOf = (content: Record<string, unknown>): ChildSpec[] =>
  (Array.isArray(content.children) ? (content.children as string[]) : []).map((name) => ({
    type: CHILD_TYPE,
    relation: 'probe_child',
    content: { title: name },
    ...(content.keyed === true ? { key: name } : {}),
  }));

export const parentProbeDefinition: ProcessDefinition = {
  type: 'capa',
  prefix: 'PARENT',
  initial: 'draft',
  cancelRoles: ['qa'],
  doneForParent: ['closed'],
  steps: {
    draft: { kind: 'author', title: 'Draft', performer: 'author', next: 'working' },
    working: { kind: 'tasks', title: 'Start the children', next: 'review', tasks: () => [], children: childrenOf },
    review: {
      kind: 'signoff',
      title: 'Review',
      quorum: () => ['qa'],
      outcomes: { done: { meaning: 'done', next: 'closed' }, again: { meaning: 'again', next: 'working' } },
      authorMayNotSign: false,
    },
    closed: { kind: 'final', title: 'Closed', sealRecord: false },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};

/** The child: passes straight through to closed. */
export const childProbeDefinition: ProcessDefinition = {
  type: CHILD_TYPE,
  prefix: 'CHILD',
  initial: 'passing',
  cancelRoles: ['qa'],
  doneForParent: ['closed'],
  steps: {
    passing: { kind: 'pass', title: 'Pass through', next: 'closed', auditAction: 'record.passed' },
    closed: { kind: 'final', title: 'Closed', sealRecord: false },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};

export async function parentProbeProcess(input: ProcessInput): Promise<ProcessResult> {
  return runProcess(parentProbeDefinition, input);
}

/** Registered under the workflow name of the children's type (`PROCESS_WORKFLOWS.change_control`). */
export async function changeControlProcess(input: ProcessInput): Promise<ProcessResult> {
  return runProcess(childProbeDefinition, input);
}
