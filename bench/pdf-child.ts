// One PDF benchmark case in a process of its own, so that its peak RSS is its own:
//   node bin/run-ts.js bench/pdf-child.ts <case> '<options as JSON>'
// Prints one line of JSON on stdout: the timed runs (ms), peak RSS (KiB) at the end and after the
// setup (modules loaded, input built), and the size of the output. Progress goes to stderr.
import { createHash, sign } from 'node:crypto';
import fs from 'node:fs';
import { createOrganisationCa, createSealingCertificate } from '../signatures/pki';
import { sealPdf, sealPdfFile, type PdfSeal } from '../signatures/pades';
import { renderDossierPdfToFile } from '../templates/dossier.template';
import { renderRecordPdf } from '../templates/record.template';
import { GENERATED_AT, ORGANISATION, countPageObjects, dossierInput, dossierSource, plainTextPdf, printedStrings, recordInput } from './pdf-inputs';

export const PDF_CASES = ['record', 'record-plain', 'seal', 'seal-baseline', 'dossier', 'dossier-plain'] as const;
export type PdfCase = (typeof PDF_CASES)[number];

export interface PdfCaseOptions {
  runs: number;
  warmup: number;
  auditEvents?: number;
  records?: number;
  /** Where to write the last output (record, dossier, *-plain) or read the PDF to seal from (seal, seal-baseline). */
  file?: string;
  /** dossier-plain: write until this page. */
  pages?: number;
}

export interface PdfCaseResult {
  case: PdfCase;
  runsMs: number[];
  /** CPU time (user + system) of each timed run: steadier than wall time on a busy machine. */
  runsCpuMs: number[];
  maxRssKiB: number;
  setupMaxRssKiB: number;
  bytes: number;
  pages?: number;
  chars?: number;
}

/**
 * This process's own peak RSS (KiB): Linux's VmHWM. getrusage's maxRSS is not it on Linux: it carries
 * the peak over execve, so a child spawned by a big bench process reports its parent's RSS instead.
 */
function maxRssKiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux: getrusage's figure (per process on macOS and the BSDs)
  }
  return process.resourceUsage().maxRSS;
}

async function timeRuns<T>(
  options: PdfCaseOptions,
  run: () => Promise<T> | T,
): Promise<{ last: T; runsMs: number[]; runsCpuMs: number[]; setupMaxRssKiB: number }> {
  const setupMaxRssKiB = maxRssKiB();
  let last = undefined as T;
  for (let i = 0; i < options.warmup; i++) last = await run();
  const runsMs: number[] = [];
  const runsCpuMs: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    last = await run();
    const used = process.cpuUsage(cpu);
    runsMs.push(performance.now() - started);
    runsCpuMs.push((used.user + used.system) / 1000);
  }
  return { last, runsMs, runsCpuMs, setupMaxRssKiB };
}

function sealFor(now: Date): PdfSeal {
  const ca = createOrganisationCa({ organisationName: ORGANISATION, now, keyBits: 2048 });
  const seal = createSealingCertificate(ca, { organisationName: ORGANISATION, now, keyBits: 2048 });
  return { ...seal, caCertificatePem: ca.certificatePem };
}

async function runCase(name: PdfCase, options: PdfCaseOptions): Promise<Omit<PdfCaseResult, 'case' | 'maxRssKiB'>> {
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${name}: missing option ${what}`);
    return value;
  };
  switch (name) {
    case 'record': {
      const input = recordInput(need(options.auditEvents, 'auditEvents'));
      const { last, ...timed } = await timeRuns(options, () => renderRecordPdf(input));
      if (options.file) fs.writeFileSync(options.file, last);
      return { ...timed, bytes: last.length, pages: countPageObjects(last) };
    }
    case 'record-plain': {
      const input = recordInput(need(options.auditEvents, 'auditEvents'));
      const strings = printedStrings(input, input.timeZone);
      const { last, ...timed } = await timeRuns(options, () => plainTextPdf(strings));
      if (options.file) fs.writeFileSync(options.file, last.pdf);
      return { ...timed, bytes: last.pdf.length, pages: last.pages, chars: last.chars };
    }
    case 'seal': {
      const pdf = fs.readFileSync(need(options.file, 'file'));
      // Sealing certificates are issued ahead of the signing time, as in production.
      const seal = sealFor(new Date(GENERATED_AT.getTime() - 86_400_000));
      const sealOptions = { signingTime: GENERATED_AT, reason: 'Controlled record at closure: CC-2026-0001', name: `${ORGANISATION} — controlled record seal` };
      const { last, ...timed } = await timeRuns(options, () => sealPdf(pdf, seal, { ...sealOptions, location: ORGANISATION }));
      fs.writeFileSync(`${options.file}.sealed.pdf`, last);
      fs.writeFileSync(`${options.file}.ca.pem`, seal.caCertificatePem);
      return { ...timed, bytes: last.length };
    }
    case 'seal-baseline': {
      const pdf = fs.readFileSync(need(options.file, 'file'));
      const seal = sealFor(new Date(GENERATED_AT.getTime() - 86_400_000));
      const { last, ...timed } = await timeRuns(options, () => sign('sha256', createHash('sha256').update(pdf).digest(), seal.privateKeyPem));
      return { ...timed, bytes: last.length };
    }
    case 'dossier': {
      // As the render worker does it: records made one at a time, the PDF written to a file as it
      // is laid out, then sealed in that file (hashed by reading it back in chunks).
      const input = dossierSource(need(options.records, 'records'), need(options.auditEvents, 'auditEvents'));
      const file = need(options.file, 'file');
      const seal = sealFor(new Date(GENERATED_AT.getTime() - 86_400_000));
      const sealOptions = {
        signingTime: GENERATED_AT,
        reason: 'Dossier for the benchmark',
        name: `${ORGANISATION} — controlled record seal`,
        location: ORGANISATION,
      };
      const { last, ...timed } = await timeRuns(options, async () => {
        const { pages } = await renderDossierPdfToFile(input, file);
        return { pages, ...sealPdfFile(file, seal, sealOptions) };
      });
      fs.writeFileSync(`${file}.ca.pem`, seal.caCertificatePem);
      return { ...timed, bytes: last.size, pages: last.pages };
    }
    case 'dossier-plain': {
      const input = dossierInput(need(options.records, 'records'), need(options.auditEvents, 'auditEvents'));
      const strings = input.records.flatMap((r) => printedStrings(r, input.timeZone));
      const pages = need(options.pages, 'pages');
      const { last, ...timed } = await timeRuns(options, () => plainTextPdf(strings, { pages }));
      if (options.file) fs.writeFileSync(options.file, last.pdf);
      return { ...timed, bytes: last.pdf.length, pages: last.pages, chars: last.chars };
    }
  }
}

async function main(): Promise<void> {
  const [name, raw] = process.argv.slice(2);
  if (!PDF_CASES.includes(name as PdfCase)) throw new Error(`usage: pdf-child.ts <${PDF_CASES.join('|')}> '<options JSON>'`);
  const options = JSON.parse(raw ?? '{}') as PdfCaseOptions;
  const result = await runCase(name as PdfCase, options);
  const out: PdfCaseResult = { case: name as PdfCase, maxRssKiB: maxRssKiB(), ...result };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// Runs on load: this file is only ever started as a process (pdf.bench.ts imports its types only).
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
