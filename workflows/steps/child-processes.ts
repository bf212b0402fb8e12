// Processes a step starts as its children, followed (not awaited) to their end, and the signal a
// child sends its parent once it has done what the parent asked of it.
import { condition, getExternalWorkflowHandle, ParentClosePolicy, startChild, uuid4 } from '@temporalio/workflow';
import {
  childCreatedSignal,
  childDoneSignal,
  PROCESS_WORKFLOWS,
  processWorkflowId,
  type ChildProcess,
  type ProcessResult,
} from '../contracts/process-contracts';
import type { ChildSpec } from './definition';
import type { ProcessRun } from './process-run';

/**
 * Starts one child process per spec, but none whose key this process has started already (patched);
 * each child's end is noted in the state when it comes. Returns once each child's record exists (it
 * says so by signal), or the child has ended without one.
 */
export async function startChildren(run: ProcessRun, specs: ChildSpec[]): Promise<void> {
  const { state, input, timing } = run;
  const started: string[] = [];
  for (const spec of specs) {
    if (run.childOncePerKey && spec.key !== undefined && state.hasChildKeyed(spec.key)) continue;
    const childId = uuid4();
    started.push(childId);
    const child: ChildProcess = {
      recordId: childId,
      type: spec.type,
      relation: spec.relation,
      status: 'open',
      ...(spec.key !== undefined ? { key: spec.key } : {}),
    };
    state.record.children.push(child);
    const handle = await startChild(PROCESS_WORKFLOWS[spec.type], {
      workflowId: processWorkflowId(childId),
      args: [
        { recordId: childId, content: spec.content, context: input.context, timing, parent: { recordId: state.record.recordId, relation: spec.relation } },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    // Followed, not awaited: the parent goes on while its child runs; both outcomes are handled.
    void handle.result().then(
      (result: ProcessResult) => state.childEnded(childId, result.status === 'cancelled' ? 'cancelled' : 'closed'),
      () => state.childEnded(childId, 'cancelled'),
    );
  }
  if (run.childrenTellCreation) await condition(() => started.every((id) => state.childCreated(id) || state.childStatus(id) !== 'open'));
}

/** Tells the parent that this process's record (and its link to the parent) now exists. */
export async function tellParentCreated(run: ProcessRun, parentRecordId: string): Promise<void> {
  await getExternalWorkflowHandle(processWorkflowId(parentRecordId))
    .signal(childCreatedSignal, { recordId: run.state.record.recordId })
    .catch(() => undefined);
}

/** Tells the parent that this process, now in `status`, has done what the parent asked of it. */
export async function tellParentDone(run: ProcessRun, parentRecordId: string, status: string): Promise<void> {
  // The parent may have ended meanwhile (cancelled, say): then nobody is waiting for this.
  await getExternalWorkflowHandle(processWorkflowId(parentRecordId))
    .signal(childDoneSignal, { recordId: run.state.record.recordId, status })
    .catch(() => undefined);
}
