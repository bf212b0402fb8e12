import { Queue, type ConnectionOptions } from 'bullmq';

/** The BullMQ queue of the PDF generator. Redis holds jobs only; the dossier row is the truth. */
export const DOSSIER_QUEUE = 'dossiers';

export interface DossierJob {
  dossierId: string;
}

export function redisConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

export function dossierQueue(redisUrl: string, prefix: string): Queue<DossierJob> {
  return new Queue<DossierJob>(DOSSIER_QUEUE, { connection: redisConnection(redisUrl), prefix });
}

/** Adds the job under the dossier's id, so re-queuing the same dossier never renders it twice. */
export async function enqueueDossier(queue: Queue<DossierJob>, dossierId: string): Promise<void> {
  await queue.add(
    'render',
    { dossierId },
    { jobId: dossierId, attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  );
}
