// A worker that finds open runs of a workflow type this release no longer runs refuses to start,
// naming them (docs/workflow-versioning.md, "Retired workflow types").
import { randomUUID } from 'node:crypto';
import { RETIRED_WORKFLOW_TYPES, retiredRunsQuery, RetiredWorkflowRunsError } from '../api/temporal/retired-workflow-types';
import { runWorker, type RunningWorker } from '../api/temporal/temporal-worker';
import { startTestSystem, workerSettingsOf, type TestSystem } from './support/test-system';

let system: TestSystem;
let worker: RunningWorker | undefined;
const started: string[] = [];
beforeAll(async () => {
  system = await startTestSystem('retired_workflow_types', { runWorker: false });
});
afterAll(async () => {
  await worker?.shutdown();
  for (const workflowId of started)
    await system?.temporal.workflow
      .getHandle(workflowId)
      .terminate('test cleanup')
      .catch(() => undefined);
  await system?.close();
});

/** Starts an execution of a workflow type without any worker: Temporal records it as running. */
async function startRetiredRun(type: string, taskQueue: string): Promise<string> {
  const workflowId = `change-control/${randomUUID()}`;
  await system.temporal.workflow.start(type, { workflowId, taskQueue, args: [] });
  started.push(workflowId);
  return workflowId;
}

/** Visibility is eventually consistent: wait (by polling, bounded in attempts) until it shows `count` runs. */
async function untilVisibilityCounts(taskQueue: string, count: number): Promise<void> {
  const query = retiredRunsQuery(taskQueue);
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await system.temporal.workflow.count(query)).count === count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`visibility never showed ${count} run(s) for ${query}`);
}

test('the v1 change control is a retired type', () => {
  expect(RETIRED_WORKFLOW_TYPES).toContain('changeControl');
});

test('an open run of the retired changeControl type stops the worker from starting, naming it; once terminated, the worker starts', async () => {
  const taskQueue = system.config.temporalTaskQueue;
  const workflowId = await startRetiredRun('changeControl', taskQueue);
  // A run of a retired type on another task queue is no business of this worker.
  const elsewhere = await startRetiredRun('changeControl', `${taskQueue}-elsewhere`);
  await untilVisibilityCounts(taskQueue, 1);
  await untilVisibilityCounts(`${taskQueue}-elsewhere`, 1);

  const refused = await runWorker(workerSettingsOf(system)).then(
    (running) => {
      worker = running;
      return null;
    },
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(RetiredWorkflowRunsError);
  const message = (refused as Error).message;
  expect(message).toContain(workflowId);
  expect(message).toContain('changeControl');
  expect(message).toContain('previous release');
  expect(message).toContain('docs/workflow-versioning.md');
  expect(message).not.toContain(elsewhere);
  expect((refused as RetiredWorkflowRunsError).runs.map((r) => r.workflowId)).toEqual([workflowId]);

  await system.temporal.workflow.getHandle(workflowId).terminate('finished on the previous release');
  await untilVisibilityCounts(taskQueue, 0);
  worker = await runWorker(workerSettingsOf(system));
  expect(worker.worker.getState()).toBe('RUNNING');
});
