import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { sealingIdentity } from '../../config/pki-store';
import { InjectDatabase, SETTINGS, type AppSettings } from '../infrastructure';
import { runWorker, type RunningWorker } from './temporal-worker';

/** The Temporal worker as a plain Nest provider: started after the app boots, drained on shutdown. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private running?: RunningWorker;

  constructor(
    @Inject(SETTINGS) private readonly settings: AppSettings,
    @InjectDatabase() private readonly database: DatabaseHandle,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.runWorker) return;
    this.running = await runWorker({
      address: this.settings.temporalAddress,
      namespace: this.settings.config.temporalNamespace,
      taskQueue: this.settings.config.temporalTaskQueue,
      db: this.database.db,
      identity: sealingIdentity(this.settings.config),
      workflowBundlePath: this.settings.workflowBundlePath,
    });
    this.running.done.catch((error: unknown) => this.logger.error(`Worker stopped: ${String(error)}`));
    this.logger.log(`Temporal worker polling task queue "${this.settings.config.temporalTaskQueue}"`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running?.shutdown().catch(() => undefined);
  }
}
