// Runs in a worker thread (see pdf-threads.ts): renders a record PDF and seals it, both synchronous
// CPU work (pdfkit, node-forge) that would otherwise stall the event loop of the API and the
// Temporal worker for as long as they take.
import { isMainThread, workerData } from 'node:worker_threads';
import { renderRecordPdf, type RecordPdfInput } from '../../templates/record.template';
import { setRenderYield } from '../../templates/render-yield';
import { sealAs, type SealingIdentity } from '../controlled-record';
import { renderPauses, type RenderPauses } from './interactive-gate';

export interface SealedRecordPdfTask {
  input: RecordPdfInput;
  identity: Pick<SealingIdentity, 'organisation' | 'seal' | 'caCertificatePem' | 'timeZone'>;
  reason: string;
}

export interface SealedRecordPdfResult {
  pdf: Uint8Array;
  renderMs: number;
  sealMs: number;
  /** How long the render paused for requests in flight (0 on the caller's own thread). */
  pausedMs: number;
}

/** What pdf-threads.ts hands each thread: the API's request counter and the pause cap. */
export interface PdfThreadData {
  taskModule: string;
  interactiveGate?: SharedArrayBuffer;
  maxPauseMs?: number;
}

// In a PDF thread, renders pause between rows and pages while the API answers requests.
const data = (isMainThread ? undefined : workerData) as PdfThreadData | undefined;
const pauses: RenderPauses | null = data?.interactiveGate ? renderPauses(data.interactiveGate, { maxPauseMs: data.maxPauseMs ?? 10_000 }) : null;

export default async function sealedRecordPdf(task: SealedRecordPdfTask): Promise<SealedRecordPdfResult> {
  const started = performance.now();
  pauses?.reset();
  if (pauses) setRenderYield(pauses.pause);
  let pdf: Buffer;
  try {
    pdf = await renderRecordPdf(task.input);
    // Sealing (hashing, the CMS) runs at one stretch: it starts only when no request is waiting.
    pauses?.pause();
  } finally {
    setRenderYield(null);
  }
  const pausedMs = pauses?.reset() ?? 0;
  const rendered = performance.now();
  const sealed = await sealAs(task.identity as SealingIdentity, pdf, task.reason, task.input.generatedAt);
  // Copied to the calling thread (structured clone; it arrives as a Uint8Array), a few milliseconds
  // at most, against the seconds the rendering takes.
  return { pdf: sealed, renderMs: rendered - started, sealMs: performance.now() - rendered, pausedMs };
}
