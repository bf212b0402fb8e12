// `npm run bench`: measured figures, each next to a baseline from the same run on the same machine.
//   BENCH_SIGNATURES (30)        e-signatures through the HTTP API
//   BENCH_UPDATES (200)          Temporal Update round trips of the baseline
//   BENCH_AUDIT_EVENTS (1000000) audit events verified
//   BENCH_AUDIT_BATCH (2000)     rows per INSERT when filling the audit trail
//   BENCH_PDF_AUDIT_EVENTS (1000) audit events of the record PDF
//   BENCH_PDF_RUNS (5)           timed record renders and seals, after one warm-up
//   BENCH_DOSSIER_RECORDS (200)  records of the dossier, BENCH_DOSSIER_AUDIT_EVENTS (20) events each
//   BENCH_DOSSIER_RUNS (3)       timed dossier renders, after one warm-up
//   BENCH_DOSSIER_RSS_RECORDS (2000) records of the larger dossier whose peak RSS is compared with the first one's
//   BENCH_OPEN_CHANGES (10000)   open change controls (2 role tasks each) behind the inbox query
//   BENCH_INBOX_RUNS (200)       timed inbox queries and baseline SELECTs, after 10 warm-up runs each
//   BENCH_WORKFLOW_STARTS (200)  change-control workflow starts and empty-workflow starts, 8 in flight
//   BENCH_SCALE_OUT_STARTS (200) change-control starts with one and with two `attestflow worker` processes, 16 in flight
//   BENCH_GENEALOGY_LOTS (1000000) lots of the generated genealogy (10 levels, 3 inputs per produced lot)
//   BENCH_GENEALOGY_RUNS (200)   timed traces of each kind and baseline edge lookups, after 10 warm-up runs each
//   BENCH_LOGINS (50)            sign-ins of each kind: unknown username, existing user with a wrong password
//   BENCH_BROWSER_RUNS (10)      timed cold loads of each page in headless chromium (BENCH_OPEN_CHANGES open change controls; a record with BENCH_BROWSER_AUDIT_EVENTS (1000) audit events)
//   BENCH_ONLY                   comma-separated sections to run (micro, signatures, login, audit, processes, scale-out, genealogy, pdf, browser); all by default
//   BENCH_POSTGRES_URL, BENCH_REDIS_URL, TEMPORAL_CLI_PATH
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { auditChainBenchmark } from './audit-chain.bench';
import { browserBenchmarks } from './browser.bench';
import { genealogyBenchmark } from './genealogy.bench';
import { dropDatabase, envInt, scratchDatabaseUrl, type Measurement, type Row } from './harness';
import { loginBenchmarks } from './login.bench';
import { microBenchmarks } from './micro.bench';
import { pdfBenchmarks } from './pdf.bench';
import { processBenchmarks } from './processes.bench';
import { scaleOutBenchmarks } from './scale-out.bench';
import { signatureBenchmarks } from './signatures.bench';

const rate = (m: Measurement) => (m.perSecond < 100 ? m.perSecond.toFixed(1) : Math.round(m.perSecond).toLocaleString('en'));
const ratio = (value: number) => `${value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}x`;
const ms = (value: number | undefined) => (value === undefined ? '' : value.toFixed(1));
const mib = (kib: number | undefined) => (kib === undefined ? '' : (kib / 1024).toFixed(0));

const SECTIONS = ['micro', 'signatures', 'login', 'audit', 'processes', 'scale-out', 'genealogy', 'pdf', 'browser'] as const;
type Section = (typeof SECTIONS)[number];

/** The sections named in BENCH_ONLY (e.g. "pdf" or "micro,audit"); every section when it is unset. */
function selectedSections(): Set<Section> {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return new Set(SECTIONS);
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`BENCH_ONLY: unknown section "${unknown.join(', ')}"; choose from ${SECTIONS.join(', ')}`);
  return new Set(names as Section[]);
}

function machineFacts(): string {
  return (
    `node ${process.version} (${process.platform} ${process.arch}), CPU: ${os.cpus()[0]?.model.trim() ?? 'unknown'}, ${os.cpus().length} cores, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`
  );
}

function serviceFacts(postgres: string): string {
  const temporal = spawnSync(process.env.TEMPORAL_CLI_PATH ?? 'temporal', ['--version'], { encoding: 'utf8' });
  return `${postgres}; ${temporal.stdout?.trim() || 'temporal CLI version unknown'}`;
}

function pdfFacts(): string {
  const pdfkit = JSON.parse(fs.readFileSync(path.join(require.resolve('pdfkit'), '..', '..', 'package.json'), 'utf8')) as { version?: string };
  const poppler = spawnSync('pdfinfo', ['-v'], { encoding: 'utf8' });
  return `pdfkit ${pdfkit.version ?? '?'}; ${`${poppler.stdout ?? ''}${poppler.stderr ?? ''}`.split('\n')[0]?.trim() || 'pdfinfo not found'}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const settings = {
    signatures: envInt('BENCH_SIGNATURES', 30),
    updates: envInt('BENCH_UPDATES', 200),
    auditEvents: envInt('BENCH_AUDIT_EVENTS', 1_000_000),
    auditBatch: envInt('BENCH_AUDIT_BATCH', 2000),
    pdfAuditEvents: envInt('BENCH_PDF_AUDIT_EVENTS', 1000),
    pdfRuns: envInt('BENCH_PDF_RUNS', 5),
    dossierRecords: envInt('BENCH_DOSSIER_RECORDS', 200),
    dossierAuditEvents: envInt('BENCH_DOSSIER_AUDIT_EVENTS', 20),
    dossierRuns: envInt('BENCH_DOSSIER_RUNS', 3),
    dossierRssRecords: envInt('BENCH_DOSSIER_RSS_RECORDS', 2000),
    openChanges: envInt('BENCH_OPEN_CHANGES', 10_000),
    inboxRuns: envInt('BENCH_INBOX_RUNS', 200),
    workflowStarts: envInt('BENCH_WORKFLOW_STARTS', 200),
    scaleOutStarts: envInt('BENCH_SCALE_OUT_STARTS', 200),
    genealogyLots: envInt('BENCH_GENEALOGY_LOTS', 1_000_000),
    genealogyRuns: envInt('BENCH_GENEALOGY_RUNS', 200),
    browserRuns: envInt('BENCH_BROWSER_RUNS', 10),
    browserAuditEvents: envInt('BENCH_BROWSER_AUDIT_EVENTS', 1000),
    logins: envInt('BENCH_LOGINS', 50),
  };
  const sections = selectedSections();
  // Table order: end-to-end signatures, audit chain, processes, building blocks, PDFs.
  const parts: Record<Section, { rows: Row[]; notes: string[] }> = {
    signatures: { rows: [], notes: [] },
    login: { rows: [], notes: [] },
    audit: { rows: [], notes: [] },
    processes: { rows: [], notes: [] },
    'scale-out': { rows: [], notes: [] },
    genealogy: { rows: [], notes: [] },
    micro: { rows: [], notes: [] },
    pdf: { rows: [], notes: [] },
    browser: { rows: [], notes: [] },
  };
  const facts = [machineFacts()];
  if (sections.has('micro') || sections.has('signatures') || sections.has('audit') || sections.has('processes')) {
    const databaseUrl = scratchDatabaseUrl();
    try {
      await migrateDatabase(databaseUrl);
      const handle = connectDatabase(databaseUrl, { max: 2 });
      try {
        const { rows: version } = await handle.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
        facts.push(serviceFacts(`PostgreSQL ${version[0]?.v ?? '?'}`));
        if (sections.has('micro')) {
          console.error('bench: building blocks (audit append, canonical hash, argon2id) …');
          parts.micro.rows = await microBenchmarks(handle);
        }
      } finally {
        await handle.close();
      }

      if (sections.has('signatures')) {
        console.error(`bench: ${settings.signatures} e-signatures through the HTTP API, ${settings.updates} Temporal Updates …`);
        parts.signatures = await signatureBenchmarks({ databaseUrl, signatures: settings.signatures, updates: settings.updates });
      }
      if (sections.has('audit')) {
        console.error(`bench: audit chain of ${settings.auditEvents.toLocaleString('en')} events (fill, then verify) …`);
        parts.audit = await auditChainBenchmark({ databaseUrl, events: settings.auditEvents, batchSize: settings.auditBatch });
      }
      if (sections.has('processes')) {
        // A database of its own: only the filled change controls, none from the sections before.
        console.error(
          `bench: inbox over ${settings.openChanges.toLocaleString('en')} open change controls, ${settings.workflowStarts} change-control workflow starts …`,
        );
        const processesUrl = scratchDatabaseUrl();
        try {
          await migrateDatabase(processesUrl);
          parts.processes = await processBenchmarks({
            databaseUrl: processesUrl,
            openChanges: settings.openChanges,
            inboxRuns: settings.inboxRuns,
            workflowStarts: settings.workflowStarts,
          });
        } finally {
          await dropDatabase(processesUrl);
        }
      }
    } finally {
      await dropDatabase(databaseUrl);
    }
  }

  if (sections.has('login')) {
    console.error(`bench: ${settings.logins} sign-ins each for an unknown username and an existing user with a wrong password …`);
    parts.login = await loginBenchmarks({ logins: settings.logins });
  }

  if (sections.has('scale-out')) {
    // A database of its own: only the users and the change controls started here.
    console.error(`bench: ${settings.scaleOutStarts} change-control starts with one, then two \`attestflow worker\` processes …`);
    const scaleOutUrl = scratchDatabaseUrl();
    try {
      await migrateDatabase(scaleOutUrl);
      parts['scale-out'] = await scaleOutBenchmarks({ databaseUrl: scaleOutUrl, starts: settings.scaleOutStarts });
    } finally {
      await dropDatabase(scaleOutUrl);
    }
  }

  if (sections.has('genealogy')) {
    // A database of its own, filled with SQL only; dropped afterwards.
    console.error(`bench: lot genealogy of ${settings.genealogyLots.toLocaleString('en')} lots in 10 levels (fill, then traces) …`);
    const genealogyUrl = scratchDatabaseUrl();
    try {
      await migrateDatabase(genealogyUrl);
      parts.genealogy = await genealogyBenchmark({
        databaseUrl: genealogyUrl,
        lots: settings.genealogyLots,
        levels: 10,
        fanIn: 3,
        runs: settings.genealogyRuns,
      });
    } finally {
      await dropDatabase(genealogyUrl);
    }
  }

  if (sections.has('browser')) {
    // A database of its own, filled with SQL; dropped afterwards.
    console.error(`bench: the browser app over ${settings.openChanges.toLocaleString('en')} open change controls, in headless chromium …`);
    const browserUrl = scratchDatabaseUrl();
    try {
      await migrateDatabase(browserUrl);
      parts.browser = await browserBenchmarks({
        databaseUrl: browserUrl,
        openChanges: settings.openChanges,
        auditEvents: settings.browserAuditEvents,
        runs: settings.browserRuns,
      });
    } finally {
      await dropDatabase(browserUrl);
    }
  }

  if (sections.has('pdf')) {
    facts.push(pdfFacts());
    parts.pdf = await pdfBenchmarks({
      auditEvents: settings.pdfAuditEvents,
      runs: settings.pdfRuns,
      dossierRecords: settings.dossierRecords,
      dossierAuditEvents: settings.dossierAuditEvents,
      dossierRuns: settings.dossierRuns,
      dossierRssRecords: settings.dossierRssRecords,
    });
  }
  const rows = Object.values(parts).flatMap((p) => p.rows);
  const notes = Object.values(parts).flatMap((p) => p.notes);

  console.log(`\nAttestflow benchmarks — ${new Date().toISOString()}${process.env.BENCH_ONLY ? ` (BENCH_ONLY=${process.env.BENCH_ONLY})` : ''}`);
  for (const line of facts) console.log(line);
  console.log();
  const withRss = rows.some((r) => r.measured.peakRssKiB !== undefined || r.baselineMeasured.peakRssKiB !== undefined);
  console.table(
    rows.map((r) => ({
      benchmark: r.benchmark,
      n: r.measured.n,
      'ops/s': rate(r.measured),
      'p50 ms': ms(r.measured.p50Ms),
      'p99 ms': ms(r.measured.p99Ms),
      baseline: r.baseline,
      'baseline n': r.baselineMeasured.n,
      'baseline ops/s': rate(r.baselineMeasured),
      'baseline p50 ms': ms(r.baselineMeasured.p50Ms),
      ratio: ratio(r.measured.perSecond / r.baselineMeasured.perSecond),
      ...(withRss ? { 'peak RSS MiB': mib(r.measured.peakRssKiB), 'baseline peak RSS MiB': mib(r.baselineMeasured.peakRssKiB) } : {}),
    })),
  );
  for (const note of notes) console.log(`- ${note}`);
  console.log(
    `- p50/p99: nearest rank over the timed calls; ratio = ops/s ÷ baseline ops/s. Total run time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
