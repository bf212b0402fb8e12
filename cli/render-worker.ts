import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { dossierQueue, DOSSIER_QUEUE, enqueueDossier, redisConnection, type DossierJob } from '../activities/dossier-queue';
import { renderDossier } from '../activities/dossier-render';
import { startHeartbeat } from '../activities/pdf-generator-heartbeat';
import type { AttestflowConfig } from '../config/config';
import { sealingIdentity } from '../config/pki-store';
import { assertOrganisationCaContinuity } from '../config/organisation-ca-continuity';
import { connectDatabase } from '../db/client';
import { appendAuditEvent, unfinishedDossiers, updateDossier } from '../db/repositories';

export interface RunningRenderWorker {
  requeued: number;
  close(): Promise<void>;
}

/**
 * The PDF generator: a BullMQ worker of its own (`attestflow render-worker`, also started by
 * `attestflow start`). On start it re-queues every dossier the database says is unfinished, so a
 * job lost with Redis is rendered anyway.
 */
export async function startRenderWorker(config: AttestflowConfig, log: (line: string) => void = () => undefined): Promise<RunningRenderWorker> {
  const database = connectDatabase(config.databaseUrl, { max: 4 });
  try {
    await assertOrganisationCaContinuity(database.db, config);
  } catch (error) {
    await database.close();
    throw error;
  }
  const identity = sealingIdentity(config);
  const queue = dossierQueue(config.redisUrl, config.queuePrefix);
  const unfinished = await unfinishedDossiers(database.db);
  for (const dossier of unfinished) await enqueueDossier(queue, dossier.id);
  if (unfinished.length) log(`Re-queued ${unfinished.length} unfinished dossier(s) from the database`);

  const worker = new Worker<DossierJob>(
    DOSSIER_QUEUE,
    async (job) => {
      await renderDossier(database.db, identity, job.data.dossierId, (done, total) => job.updateProgress({ done, total }));
    },
    { connection: redisConnection(config.redisUrl), prefix: config.queuePrefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    // An event handler cannot be awaited; marking the dossier failed is best effort (caught below).
    void database.db
      .transaction(async (tx) => {
        await updateDossier(tx, job.data.dossierId, { status: 'failed', failureReason: error.message });
        await appendAuditEvent(tx, {
          occurredAt: new Date(),
          actorId: null,
          actorName: 'system (PDF generator)',
          action: 'dossier.failed',
          entityType: 'dossier',
          entityId: job.data.dossierId,
          reason: error.message,
        });
      })
      .catch(() => undefined);
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  // Seen by /api/health and the dossier view: a generator that stops beating is taken for dead.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const heartbeat = startHeartbeat(redis, config.queuePrefix, config.pdfGeneratorHeartbeatMs);
  log(`PDF generator polling queue "${config.queuePrefix}:${DOSSIER_QUEUE}" (pid ${process.pid})`);
  return {
    requeued: unfinished.length,
    async close() {
      await heartbeat.stop();
      redis.disconnect();
      await worker.close();
      await queue.close();
      await database.close();
    },
  };
}
