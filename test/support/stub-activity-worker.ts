// A Temporal worker for fast workflow tests: one bundle of workflows against stub activities on its
// own task queue of the test Temporal server, with a client to drive it. No database, no API.
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { EffectActivities } from '../../workflows/contracts/effect-activities';
import type { ProcessActivities } from '../../workflows/contracts/process-activities';
import type { RecordClosureActivities } from '../../workflows/contracts/record-closure-activities';
import { testTemporalAddress } from './test-env';

/** Every activity a process workflow calls. */
export type ProcessStubActivities = ProcessActivities & EffectActivities & RecordClosureActivities;

export interface StubActivityWorker {
  client: Client;
  close(): Promise<void>;
}

/** Bundles `workflowsPath`, runs it with `activities` on `taskQueue`; `close()` stops the worker and both connections. */
export async function startStubActivityWorker(options: {
  workflowsPath: string;
  taskQueue: string;
  activities: ProcessStubActivities;
}): Promise<StubActivityWorker> {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already in this worker process
  }
  const { code } = await bundleWorkflowCode({ workflowsPath: options.workflowsPath, logger: new DefaultLogger('ERROR') });
  const workerConnection = await NativeConnection.connect({ address: testTemporalAddress() });
  const worker = await Worker.create({ connection: workerConnection, taskQueue: options.taskQueue, workflowBundle: { code }, activities: options.activities });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: testTemporalAddress() }) });
  return {
    client,
    async close() {
      await client.connection.close();
      worker.shutdown();
      await running;
      await workerConnection.close();
    },
  };
}
