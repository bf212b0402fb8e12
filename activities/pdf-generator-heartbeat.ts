import os from 'node:os';
import type Redis from 'ioredis';

/**
 * The PDF generator's heartbeat: every interval the render worker writes when it last beat, its
 * process id and host to one Redis key. Several generators may share the key: it shows the one that
 * beat last, and "some generator is alive" is what health and the dossier view need to know.
 */
export interface PdfGeneratorBeat {
  pid: number;
  host: string;
  startedAt: string;
  at: string;
  intervalMs: number;
}

export interface PdfGeneratorStatus {
  ok: boolean;
  /** Milliseconds since the last heartbeat; absent when none is known (never beat, or long gone). */
  lastHeartbeatAgeMs?: number;
  pid?: number;
  host?: string;
  startedAt?: string;
  error?: string;
}

/** Missing this many beats in a row makes the generator stale. */
const STALE_AFTER_BEATS = 3;

export const heartbeatKey = (queuePrefix: string) => `${queuePrefix}:pdf-generator:heartbeat`;

/** Beats now and every `intervalMs` until stopped; a graceful stop removes the generator's beat. */
export function startHeartbeat(redis: Redis, queuePrefix: string, intervalMs: number): { stop(): Promise<void> } {
  const startedAt = new Date().toISOString();
  const beat = () => {
    const value: PdfGeneratorBeat = { pid: process.pid, host: os.hostname(), startedAt, at: new Date().toISOString(), intervalMs };
    // Kept for an hour after the last beat, so health can say how long ago the generator went quiet.
    return redis.set(heartbeatKey(queuePrefix), JSON.stringify(value), 'PX', 3_600_000).catch(() => undefined);
  };
  // beat() swallows its own failure (a missed beat is what health reports); nothing to wait for.
  void beat();
  const timer = setInterval(() => void beat(), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      // Only our own beat: another generator that beat since keeps its.
      const current = await redis.get(heartbeatKey(queuePrefix)).catch(() => null);
      const last = current ? (JSON.parse(current) as PdfGeneratorBeat) : undefined;
      if (last?.pid === process.pid && last.host === os.hostname()) await redis.del(heartbeatKey(queuePrefix)).catch(() => undefined);
    },
  };
}

/** Whether a PDF generator beat within the last three of its intervals. */
export async function pdfGeneratorStatus(redis: Redis, queuePrefix: string, now = new Date()): Promise<PdfGeneratorStatus> {
  const raw = await redis.get(heartbeatKey(queuePrefix));
  if (!raw) return { ok: false, error: 'no PDF generator has sent a heartbeat in the last hour' };
  const beat = JSON.parse(raw) as PdfGeneratorBeat;
  const age = Math.max(0, now.getTime() - new Date(beat.at).getTime());
  const ok = age <= STALE_AFTER_BEATS * beat.intervalMs;
  return {
    ok,
    lastHeartbeatAgeMs: age,
    pid: beat.pid,
    host: beat.host,
    startedAt: beat.startedAt,
    ...(ok ? {} : { error: `no heartbeat for ${(age / 1000).toFixed(1)} s (expected every ${(beat.intervalMs / 1000).toFixed(1)} s)` }),
  };
}
