// A process declaration that exercises the interpreter's effects and events without any domain:
// bundled on its own by test/process-effects.test.ts and run against stub activities.
import type { ProcessInput, ProcessResult } from '../../workflows/contracts/process-contracts';
import type { ProcessDefinition } from '../../workflows/steps/definition';
import { runProcess } from '../../workflows/steps/run-process';

export const probeDefinition: ProcessDefinition = {
  type: 'capa',
  prefix: 'PROBE',
  initial: 'draft',
  cancelRoles: ['qa'],
  doneForParent: ['closed'],
  onExit: ['probe.process_exit'],
  steps: {
    draft: {
      kind: 'author',
      title: 'Draft',
      performer: 'author',
      // `next` may depend on the content.
      next: (content) => (content.route === 'pass' ? 'passing' : 'held'),
      onEnter: ['probe.enter_draft'],
      onExit: ['probe.exit_draft'],
    },
    passing: {
      kind: 'pass',
      title: 'Pass through',
      next: 'held',
      auditAction: 'record.passed',
      onEnter: ['probe.raise_skip'],
      events: { skip: { to: 'closed', auditAction: 'record.skipped', reason: 'An effect raised skip' } },
    },
    held: { kind: 'hold', title: 'Held', events: { poke: { to: 'closed', auditAction: 'record.poked', reason: 'Another process poked it' } } },
    closed: { kind: 'final', title: 'Closed', sealRecord: false, onEnter: ['probe.enter_closed'] },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};

export async function probeProcess(input: ProcessInput): Promise<ProcessResult> {
  return runProcess(probeDefinition, input);
}
