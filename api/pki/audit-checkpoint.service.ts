import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DatabaseHandle } from '../../db/client';
import { sealingIdentity } from '../../config/pki-store';
import { startAuditCheckpointTimer } from '../../activities/audit-checkpoint';
import { InjectDatabase, SETTINGS, type AppSettings } from '../infrastructure';

/**
 * Signs a checkpoint of the audit chain's head every AUDIT_CHECKPOINT_INTERVAL (when the head moved)
 * and once at start, into the audit_checkpoints table and DATA_DIR/audit-checkpoints (11.10(e)).
 * Runs on a timer, never on the append path: appending an audit event costs what it did before.
 */
@Injectable()
export class AuditCheckpointService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpoint');
  private timer?: { stop(): Promise<void> };

  constructor(
    @Inject(SETTINGS) private readonly settings: AppSettings,
    @InjectDatabase() private readonly database: DatabaseHandle,
  ) {}

  onApplicationBootstrap(): void {
    const { config } = this.settings;
    const signer = sealingIdentity(config);
    const onError = (error: unknown) => this.logger.error(`Could not write an audit checkpoint: ${String(error)}`);
    this.timer = startAuditCheckpointTimer(this.database.db, signer, config.auditCheckpointIntervalMs, onError);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer?.stop();
  }
}
