import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerInterceptors } from '@temporalio/worker';
import { createEffectActivities } from '../../activities/effects/effect-registry';
import { withIncurableFailuresNotRetried } from '../../activities/incurable-failure';
import { createProcessActivities } from '../../activities/process.activities';
import type { Database } from '../../db/client';
import type { SealingIdentity } from '../../activities/controlled-record';
import { createRecordClosureActivities } from '../../activities/record-closure.activities';
import { startPdfThreads } from '../../activities/pdf-thread/pdf-threads';
import { assertNoRetiredRuns } from './retired-workflow-types';

export interface WorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** Seals controlled-record PDFs at closure. */
  identity: SealingIdentity;
  /** A prebuilt bundle (bundleWorkflowCode); without it the worker bundles workflows/ at start. */
  workflowBundlePath?: string;
  /** Temporal interceptors around this worker's activities and workflows (tracing, a test's gate). */
  interceptors?: WorkerInterceptors;
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;
/** The SDK logs at WARN and above (bundling chatter at INFO is noise in a service log). */
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by the embedding process
  }
}

/**
 * Connects, creates and runs a worker for every Attestflow workflow and activity. Refuses to start
 * (RetiredWorkflowRunsError) while runs of a workflow type this release no longer has are open.
 */
export async function runWorker(settings: WorkerSettings): Promise<RunningWorker> {
  installRuntime();
  const connection = await NativeConnection.connect({ address: settings.address });
  try {
    await assertNoRetiredRuns(new Client({ connection, namespace: settings.namespace }), settings.taskQueue);
  } catch (error) {
    await connection.close();
    throw error;
  }
  // Closure PDFs render and seal in threads of their own, off this event loop (and the API's).
  const pdfThreads = startPdfThreads();
  const workflowSource = settings.workflowBundlePath
    ? { workflowBundle: { codePath: settings.workflowBundlePath } }
    : { workflowsPath: require.resolve('../../workflows') };
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    ...workflowSource,
    ...(settings.interceptors ? { interceptors: settings.interceptors } : {}),
    activities: withIncurableFailuresNotRetried({
      ...createProcessActivities({ db: settings.db }),
      ...createEffectActivities({ db: settings.db }),
      ...createRecordClosureActivities({ db: settings.db, identity: settings.identity, pdf: pdfThreads }),
    }),
  });
  const done = worker.run().finally(async () => {
    await pdfThreads.close();
    await connection.close();
  });
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
