// Workflow types an earlier release ran and this one no longer has in its bundle. An open run of one
// of them could never make progress here, so a worker that finds one refuses to start, naming it.
import type { Client } from '@temporalio/client';

/** Removed from workflows/index.ts; see docs/workflow-versioning.md ("Retired workflow types"). */
export const RETIRED_WORKFLOW_TYPES: readonly string[] = [
  /** The 0.1 single-approval change control (draft → QA approval → closed), retired in 0.2. */
  'changeControl',
];

export interface RetiredRun {
  workflowType: string;
  workflowId: string;
  runId: string;
}

/** Visibility query for the running executions of the retired types on one task queue. */
export function retiredRunsQuery(taskQueue: string, types: readonly string[] = RETIRED_WORKFLOW_TYPES): string {
  const quoted = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const ofType = types.map((type) => `WorkflowType = ${quoted(type)}`).join(' OR ');
  return `(${ofType}) AND ExecutionStatus = 'Running' AND TaskQueue = ${quoted(taskQueue)}`;
}

/** The running executions of retired workflow types on the worker's task queue (Temporal visibility). */
export async function listRetiredRuns(client: Client, taskQueue: string): Promise<RetiredRun[]> {
  if (RETIRED_WORKFLOW_TYPES.length === 0) return [];
  const runs: RetiredRun[] = [];
  for await (const execution of client.workflow.list({ query: retiredRunsQuery(taskQueue) })) {
    runs.push({ workflowType: execution.type, workflowId: execution.workflowId, runId: execution.runId });
  }
  return runs;
}

export class RetiredWorkflowRunsError extends Error {
  constructor(
    readonly runs: RetiredRun[],
    taskQueue: string,
  ) {
    super(
      `This worker does not run the retired workflow type(s) ${[...new Set(runs.map((r) => r.workflowType))].join(', ')}, ` +
        `but ${runs.length} execution(s) of them are still running on task queue "${taskQueue}": ` +
        `${runs.map((r) => `${r.workflowId} (${r.workflowType}, run ${r.runId})`).join(', ')}. ` +
        'Finish them (close, or cancel with a reason) on the previous release, whose worker still runs them, ' +
        'then start this one; see docs/workflow-versioning.md ("Retired workflow types"). The worker was not started.',
    );
    this.name = 'RetiredWorkflowRunsError';
  }
}

/** Throws RetiredWorkflowRunsError naming every open run of a retired workflow type on the task queue. */
export async function assertNoRetiredRuns(client: Client, taskQueue: string): Promise<void> {
  const runs = await listRetiredRuns(client, taskQueue);
  if (runs.length > 0) throw new RetiredWorkflowRunsError(runs, taskQueue);
}
