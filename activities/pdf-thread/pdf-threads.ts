import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { RecordPdfInput } from '../../templates/record.template';
import type { SealingIdentity } from '../controlled-record';
import { interactiveGateBuffer } from './interactive-gate';
import sealedRecordPdfInThisThread, { type PdfThreadData, type SealedRecordPdfResult, type SealedRecordPdfTask } from './sealed-record-pdf.task';

/** Renders and seals record PDFs; returns the sealed bytes. */
export interface RecordPdfSealer {
  sealedRecordPdf(input: RecordPdfInput, identity: SealingIdentity, reason: string): Promise<Buffer>;
}

export interface PdfThreads extends RecordPdfSealer {
  close(): Promise<void>;
}

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const taskOf = (input: RecordPdfInput, identity: SealingIdentity, reason: string): SealedRecordPdfTask => ({
  input,
  // Only what the seal needs crosses into the thread (no directories, no callbacks).
  identity: { organisation: identity.organisation, seal: identity.seal, caCertificatePem: identity.caCertificatePem, timeZone: identity.timeZone },
  reason,
});

/**
 * Record PDFs rendered and sealed in worker threads of their own (piscina), so that pdfkit and
 * node-forge never block the event loop of the API or the Temporal worker. One thread less than the
 * machine has cores (at least one), at a lower priority: PDFs wait their turn instead of taking
 * every core from requests. Threads start on first use and stop after a minute idle.
 */
export function startPdfThreads(options: { maxThreads?: number; maxPauseMs?: number } = {}): PdfThreads {
  // Requests of this process go first: a render pauses between rows and pages while the API answers
  // one (interactive-gate.ts), at most maxPauseMs per PDF.
  const workerData: PdfThreadData = {
    taskModule: require.resolve('./sealed-record-pdf.task'),
    interactiveGate: interactiveGateBuffer,
    maxPauseMs: options.maxPauseMs ?? 10_000,
  };
  const pool = new Piscina({
    filename: path.join(__dirname, '..', '..', 'bin', 'ts-thread.js'),
    workerData,
    minThreads: 0,
    maxThreads: options.maxThreads ?? Math.max(1, os.availableParallelism() - 1),
    idleTimeout: 60_000,
    // A lower scheduling priority (nice +10, Linux and macOS through piscina's optional
    // @napi-rs/nice): when requests and a PDF want the same core, the request goes first; an idle
    // machine still gives the PDF all of it.
    niceIncrement: 10,
  });
  return {
    async sealedRecordPdf(input, identity, reason) {
      const result = (await pool.run(taskOf(input, identity, reason))) as SealedRecordPdfResult;
      return toBuffer(result.pdf);
    },
    close: () => pool.close({ force: true }),
  };
}

/** The same work on the caller's own thread (scripts and benchmarks that call an activity directly). */
export const sealInThisThread: RecordPdfSealer = {
  async sealedRecordPdf(input, identity, reason) {
    return toBuffer((await sealedRecordPdfInThisThread(taskOf(input, identity, reason))).pdf);
  },
};
