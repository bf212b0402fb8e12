// Runs in a worker thread (see pdf-threads.ts): renders a record PDF and seals it, both synchronous
// CPU work (pdfkit, node-forge) that would otherwise stall the event loop of the API and the
// Temporal worker for as long as they take.
import { renderRecordPdf, type RecordPdfInput } from '../../templates/record.template';
import { sealAs, type SealingIdentity } from '../controlled-record';

export interface SealedRecordPdfTask {
  input: RecordPdfInput;
  identity: Pick<SealingIdentity, 'organisation' | 'seal' | 'caCertificatePem' | 'timeZone'>;
  reason: string;
}

export interface SealedRecordPdfResult {
  pdf: Uint8Array;
  renderMs: number;
  sealMs: number;
}

export default async function sealedRecordPdf(task: SealedRecordPdfTask): Promise<SealedRecordPdfResult> {
  const started = performance.now();
  const pdf = await renderRecordPdf(task.input);
  const rendered = performance.now();
  const sealed = await sealAs(task.identity as SealingIdentity, pdf, task.reason, task.input.generatedAt);
  // Copied to the calling thread (structured clone; it arrives as a Uint8Array), a few milliseconds
  // at most, against the seconds the rendering takes.
  return { pdf: sealed, renderMs: rendered - started, sealMs: performance.now() - rendered };
}
