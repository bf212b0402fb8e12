// Controlled-record PDFs: a record PDF with 1,000 audit events and its PAdES seal, and a dossier of
// 200 records, each next to a plain pdfkit writer (or the seal's bare cryptography) in the same run.
// Every case runs in a child process of its own (bench/pdf-child.ts), so each peak RSS is its own.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifySealedPdf } from '../signatures/pades';
import { block, fromSamples, type Measurement, type Row } from './harness';
import { RENDER_WORKER_NODE_FLAGS } from '../cli/render-worker-node-flags';
import type { PdfCase, PdfCaseOptions, PdfCaseResult } from './pdf-child';

export interface PdfBenchOptions {
  /** Audit events of the record PDF (1,000). */
  auditEvents: number;
  /** Timed renders and seals of the record PDF, after one warm-up (5). */
  runs: number;
  /** Records of the dossier (200) and audit events per record (about 20). */
  dossierRecords: number;
  dossierAuditEvents: number;
  /** Timed dossier renders, after one warm-up (3). */
  dossierRuns: number;
  /** Records of the larger dossier whose peak RSS is compared with the first one's (2,000). */
  dossierRssRecords: number;
}

const ROOT = path.join(__dirname, '..');

/**
 * The dossier case runs with the Node flags of the PDF generator process that renders dossiers
 * (cli/render-worker-node-flags.ts, as `attestflow start` spawns it); the other cases, the plain
 * pdfkit baselines among them, with none (Node's defaults).
 */
const nodeFlags = (name: PdfCase): readonly string[] => (name === 'dossier' ? RENDER_WORKER_NODE_FLAGS : []);

/** Runs one case in `node [flags] bin/run-ts.js bench/pdf-child.ts <case> <options>` and reads its JSON line. */
function runChild(name: PdfCase, options: PdfCaseOptions): Promise<PdfCaseResult> {
  return new Promise((resolve, reject) => {
    const args = [...nodeFlags(name), path.join(ROOT, 'bin', 'run-ts.js'), path.join('bench', 'pdf-child.ts'), name, JSON.stringify(options)];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`pdf-child ${name} exited with ${signal ?? code}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as PdfCaseResult);
      } catch {
        reject(new Error(`pdf-child ${name} printed no JSON result: ${stdout.slice(0, 500)}`));
      }
    });
  });
}

/** Pages as poppler's pdfinfo reads them; checks the child's own count of page objects. */
function pdfinfoPages(file: string, expected: number): number {
  const out = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  if (out.error) throw new Error(`pdfinfo is needed to count pages (apt-get install poppler-utils): ${out.error.message}`);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out.stdout)?.[1]);
  if (!Number.isInteger(pages)) throw new Error(`pdfinfo could not read ${file}: ${out.stderr.trim()}`);
  if (pages !== expected) throw new Error(`${file}: pdfinfo counts ${pages} pages, the page objects ${expected}`);
  return pages;
}

const withPeak = (m: Measurement, r: PdfCaseResult): Measurement => ({ ...m, peakRssKiB: r.maxRssKiB });
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const int = (n: number) => n.toLocaleString('en');
const msList = (r: PdfCaseResult) => r.runsMs.map((v) => v.toFixed(0)).join(', ');
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');

export async function pdfBenchmarks(options: PdfBenchOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-bench-pdf-'));
  const loadBefore = load();
  try {
    const file = (name: string) => path.join(dir, name);
    const runs = { runs: options.runs, warmup: 1 };
    const events = int(options.auditEvents);

    console.error(`bench: record PDF with ${events} audit events (${options.runs} renders after 1 warm-up), then the plain pdfkit writer …`);
    const record = await runChild('record', { ...runs, auditEvents: options.auditEvents, file: file('record.pdf') });
    const recordPlain = await runChild('record-plain', { ...runs, auditEvents: options.auditEvents, file: file('record-plain.pdf') });
    const recordPages = pdfinfoPages(file('record.pdf'), record.pages!);
    const recordPlainPages = pdfinfoPages(file('record-plain.pdf'), recordPlain.pages!);

    console.error('bench: PAdES seal of that PDF, then SHA-256 + RSA sign alone …');
    const seal = await runChild('seal', { ...runs, file: file('record.pdf') });
    const sealBaseline = await runChild('seal-baseline', { ...runs, file: file('record.pdf') });
    const verification = verifySealedPdf(fs.readFileSync(file('record.pdf.sealed.pdf')), {
      caCertificatePem: fs.readFileSync(file('record.pdf.ca.pem'), 'utf8'),
    });
    if (!verification.ok || !verification.coversWholeFile) throw new Error(`the sealed record PDF does not verify: ${JSON.stringify(verification.checks)}`);

    const dossierShape = { records: options.dossierRecords, auditEvents: options.dossierAuditEvents };
    const dossierRuns = { runs: options.dossierRuns, warmup: 1 };
    console.error(
      `bench: dossier of ${options.dossierRecords} records (${options.dossierRuns} renders after 1 warm-up), then the plain writer to the same page count …`,
    );
    const dossier = await runChild('dossier', { ...dossierRuns, ...dossierShape, file: file('dossier.pdf') });
    const dossierPages = pdfinfoPages(file('dossier.pdf'), dossier.pages!);
    const dossierPlain = await runChild('dossier-plain', { ...dossierRuns, ...dossierShape, pages: dossierPages, file: file('dossier-plain.pdf') });
    const dossierPlainPages = pdfinfoPages(file('dossier-plain.pdf'), dossierPlain.pages!);

    // Peak RSS against the record count: one render each of the same dossier shape at the two sizes,
    // each in a fresh child (no warm-up), so that only the record count differs.
    console.error(`bench: peak RSS of one dossier render of ${options.dossierRecords}, then of ${options.dossierRssRecords} records …`);
    const rssSmall = await runChild('dossier', { runs: 1, warmup: 0, ...dossierShape, file: file('dossier-rss-small.pdf') });
    const rssLarge = await runChild('dossier', {
      runs: 1,
      warmup: 0,
      ...dossierShape,
      records: options.dossierRssRecords,
      file: file('dossier-rss-large.pdf'),
    });
    const rssLargePages = pdfinfoPages(file('dossier-rss-large.pdf'), rssLarge.pages!);
    for (const name of ['dossier.pdf', 'dossier-rss-large.pdf']) {
      const sealed = verifySealedPdf(fs.readFileSync(file(name)), { caCertificatePem: fs.readFileSync(file(`${name}.ca.pem`), 'utf8') });
      if (!sealed.ok || !sealed.coversWholeFile) throw new Error(`the sealed ${name} does not verify: ${JSON.stringify(sealed.checks)}`);
    }

    const dossierMeasured = fromSamples(dossier.runsMs);
    const dossierPlainMeasured = fromSamples(dossierPlain.runsMs);
    const pagesPerSecond = (pages: number, m: Measurement) => block(pages, m.p50Ms! / 1000);

    const rows: Row[] = [
      {
        benchmark: `record PDF, ${events} audit events, 3 signatures (renderRecordPdf), ms per render`,
        measured: withPeak(fromSamples(record.runsMs), record),
        baseline: `pdfkit plain text: same ${int(recordPlain.chars!)} chars, embedded TTF, doc.text flow`,
        baselineMeasured: withPeak(fromSamples(recordPlain.runsMs), recordPlain),
      },
      {
        benchmark: `PAdES B-B seal of that ${mb(record.bytes)} PDF (sealPdf, RSA-2048), ms per seal`,
        measured: withPeak(fromSamples(seal.runsMs), seal),
        baseline: 'SHA-256 of the same PDF + one RSA-2048 sign (node:crypto)',
        baselineMeasured: withPeak(fromSamples(sealBaseline.runsMs), sealBaseline),
      },
      {
        benchmark: `dossier, ${options.dossierRecords} records × ~${options.dossierAuditEvents} events (renderDossierPdfToFile + sealPdfFile; node ${RENDER_WORKER_NODE_FLAGS.join(' ')}), pages/s`,
        measured: withPeak(pagesPerSecond(dossierPages, dossierMeasured), dossier),
        baseline: `pdfkit plain text to the same ${int(dossierPages)} pages, pages/s`,
        baselineMeasured: withPeak(pagesPerSecond(dossierPlainPages, dossierPlainMeasured), dossierPlain),
      },
    ];
    const setup = [record, recordPlain, seal, sealBaseline, dossier, dossierPlain].map((r) => r.setupMaxRssKiB);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
    const cpuPagesPerSecond = (pages: number, r: PdfCaseResult) => pages / (median(r.runsCpuMs) / 1000);
    const cpuRatio = cpuPagesPerSecond(dossierPages, dossier) / cpuPagesPerSecond(dossierPlainPages, dossierPlain);
    const notes = [
      `record PDF: ${recordPages} A4 pages (pdfinfo), ${mb(record.bytes)}, 8 embedded files (canonical JSON, 3 × CMS ≈ 3 KB + manifest, manifest.json); ` +
        `renders ${msList(record)} ms. Baseline: ${recordPlainPages} pages, ${mb(recordPlain.bytes)}; renders ${msList(recordPlain)} ms.`,
      `seal: RSA-2048 CA and sealing certificate from signatures/pki; sealed file ${mb(seal.bytes)}, verified with verifySealedPdf (whole file covered); seals ${msList(seal)} ms.`,
      `dossier: ${int(dossierPages)} pages (pdfinfo), ${mb(dossier.bytes)}; median ${(dossierMeasured.p50Ms! / 1000).toFixed(1)} s per dossier ` +
        `(${(dossierMeasured.p50Ms! / options.dossierRecords).toFixed(0)} ms per record; runs ${msList(dossier)} ms). ` +
        `Baseline: ${int(dossierPlainPages)} pages of ${int(dossierPlain.chars!)} chars (the dossier's strings, cycled), ${mb(dossierPlain.bytes)}; runs ${msList(dossierPlain)} ms. ` +
        `pages/s = pages ÷ median run; n = pages per dossier.`,
      `dossier by CPU time (user + system of the child, median run; steadier than wall time under load): ${cpuPagesPerSecond(dossierPages, dossier).toFixed(1)} pages/s ` +
        `against ${cpuPagesPerSecond(dossierPlainPages, dossierPlain).toFixed(1)} for the baseline, ratio ${cpuRatio.toFixed(2)}x (CPU ms per run ${dossier.runsCpuMs.map((v) => v.toFixed(0)).join(', ')}; ` +
        `baseline ${dossierPlain.runsCpuMs.map((v) => v.toFixed(0)).join(', ')}). Each dossier run is the render worker's work without the database: records made one ` +
        `at a time, the PDF written to a file, sealed in that file (sealPdfFile), verified afterwards with verifySealedPdf.`,
      `dossier peak RSS against the record count (one render + seal each, fresh child, no warm-up): ${int(options.dossierRecords)} records (${int(rssSmall.pages!)} pages) ` +
        `${mib(rssSmall.maxRssKiB)}, ${int(options.dossierRssRecords)} records (${int(rssLargePages)} pages, ${mb(rssLarge.bytes)}, ${(rssLarge.runsMs[0]! / 1000).toFixed(0)} s) ` +
        `${mib(rssLarge.maxRssKiB)}: ${(rssLarge.maxRssKiB / rssSmall.maxRssKiB).toFixed(2)}x.`,
      `the dossier case (its row above and the peak RSS pair) runs with the PDF generator process's Node flags, as \`attestflow start\` spawns it: ${RENDER_WORKER_NODE_FLAGS.join(' ')}; the plain baselines with Node's defaults.`,
      `peak RSS: the high-water RSS (Linux VmHWM; getrusage's maxRSS would carry this bench process's own RSS over execve) of each case's own child process (node bin/run-ts.js bench/pdf-child.ts <case>), including SWC compiling on the fly, the modules and the ` +
        `input: after that setup, before the first timed call, the children were at ${mib(Math.min(...setup))}–${mib(Math.max(...setup))}.`,
      `PDF timings are noisy when the machine is busy: load average (1/5/15 min) ${loadBefore} before the PDF cases, ${load()} after, on ${os.cpus().length} cores.`,
    ];
    return { rows, notes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
