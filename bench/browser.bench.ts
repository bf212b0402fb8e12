// The browser app at scale (issue 13): with many open change controls, the time until a person's
// inbox page has drawn its first page of tasks, and until a record page with a long audit trail has
// drawn that trail, in headless chromium against the real API; next to an empty page from the same
// server in the same run. Each load is cold (a fresh browser context: no cache, no storage). Also the
// JavaScript the first page ships, raw and gzip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createApp } from '../api/create-app';
import { ensureBrowserAppBuilt } from '../cli/browser-app-build';
import { freePort, startTemporalDevServer } from '../cli/temporal-dev-server';
import { loadConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { appendAuditEvent } from '../db/repositories';
import { seedDemoOrganisation } from '../db/seed-demo';
import { launchChromium } from '../test/support/browser';
import { People } from '../test/support/http-session';
import { BENCH_REDIS_URL, Cleanup, fromSamples, type Row } from './harness';
import { fillOpenChanges } from './processes.bench';

export interface BrowserBenchOptions {
  /** A migrated, empty database; filled here. */
  databaseUrl: string;
  openChanges: number;
  auditEvents: number;
  runs: number;
}

/** What a load waits for: elements drawn, or (no selector) the page loaded. */
interface Drawn {
  selector: string | null;
  min: number;
}

/** The empty page the app's own pages are compared with: served from web/public, as a file of the build. */
const BLANK_PAGE = '/blank.html';

export async function browserBenchmarks(options: BrowserBenchOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const cleanup = new Cleanup();
  try {
    return await run(options, cleanup);
  } finally {
    await cleanup.run();
  }
}

async function run(options: BrowserBenchOptions, cleanup: Cleanup): Promise<{ rows: Row[]; notes: string[] }> {
  await ensureBrowserAppBuilt((line) => console.error(`bench: ${line}`));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-bench-browser-'));
  cleanup.add('remove the data directory', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = await startTemporalDevServer({ cliPath: process.env.TEMPORAL_CLI_PATH, port: await freePort(), namespace: 'default' });
  cleanup.add('stop the Temporal dev server', () => server.stop());

  // The demo organisation, its change controls waiting for approval, one with a long audit trail.
  const database = connectDatabase(options.databaseUrl, { max: 2 });
  cleanup.add('close the filling pool', () => database.close());
  const seeded = await seedDemoOrganisation(database.db);
  if (!seeded) throw new Error('The bench database already had users; the demo organisation was not seeded');
  const { rows: users } = await database.pool.query<{ id: string; username: string }>('SELECT id, username FROM users');
  const ids = new Map(users.map((u) => [u.username, u.id]));
  const idOf = (username: string) => {
    const id = ids.get(username);
    if (!id) throw new Error(`the demo organisation has no ${username}`);
    return id;
  };
  const others = users.filter((u) => !['qa', 'auditor', 'administrator'].includes(u.username)).map((u) => u.id);
  const filled = await fillOpenChanges(
    database.pool,
    { initiator: idOf('initiator'), qa: idOf('qa'), engineering: idOf('engineering'), individuals: [idOf('qa'), ...others] },
    options.openChanges,
  );
  const { rows: first } = await database.pool.query<{ id: string; number: string }>(
    "SELECT id, number FROM records WHERE type = 'change_control' ORDER BY number LIMIT 1",
  );
  const record = first[0]!;
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < options.auditEvents; i++) {
      await appendAuditEvent(tx, {
        occurredAt: new Date(),
        actorId: idOf('initiator'),
        actorName: 'Bench Initiator',
        action: 'record.amended',
        entityType: 'change_control',
        entityId: record.number,
        recordId: record.id,
        oldValue: { description: `Revision ${i}` },
        newValue: { description: `Revision ${i + 1}` },
        reason: `Clarified the description (${i + 1})`,
      });
    }
  });

  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: BENCH_REDIS_URL,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `bench-browser-${process.pid}-${Date.now()}`,
    QUEUE_PREFIX: `attestflow-bench-browser-${process.pid}-${Date.now()}`,
    PORT: '0',
  });
  const app = await createApp({ config, temporalAddress: server.address, runWorker: false }, { logger: false });
  cleanup.add('close the app', () => app.close());
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const qa = await new People(baseUrl, Object.fromEntries(seeded.map((u) => [u.username, u.oneTimePassword]))).session('qa');
  const [name, value] = qa.cookie!.split('=') as [string, string];

  const browser = await launchChromium();
  cleanup.add('close chromium', () => browser.close());
  /**
   * Milliseconds from the start of navigation until the page shows at least `min` elements matching
   * `selector` (or, with no selector, has loaded), in a fresh context. The check is a function, not
   * a string: the app's Content-Security-Policy forbids evaluating strings.
   */
  const load = async (address: string, drawn: Drawn, onPage?: (page: Page) => void): Promise<number> => {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en', viewport: { width: 1280, height: 800 } });
    try {
      await context.addCookies([{ name, value, url: baseUrl }]);
      const page = await context.newPage();
      onPage?.(page);
      await page.goto(address, { waitUntil: 'commit' });
      // Checked at every animation frame; its value is the page's clock at that frame.
      const at = await page.waitForFunction(
        ({ selector, min }) => {
          // No DOM types in the bench's TypeScript: the page's document, as the page sees it.
          const document = (globalThis as unknown as { document: { readyState: string; querySelectorAll(s: string): { length: number } } }).document;
          const shown = selector === null ? document.readyState === 'complete' : document.querySelectorAll(selector).length >= min;
          return shown && performance.now();
        },
        drawn,
        { polling: 'raf', timeout: 0 },
      );
      return (await at.jsonValue()) as number;
    } finally {
      await context.close();
    }
  };
  const inboxDrawn: Drawn = { selector: 'main table tbody tr', min: 1 };
  // Every event of the audit trail is drawn.
  const recordDrawn: Drawn = { selector: '[data-testid="audit-trail"] tbody tr', min: options.auditEvents };
  const blankDrawn: Drawn = { selector: null, min: 0 };

  // JavaScript of the first page (the inbox), as shipped and as gzip would ship it.
  const scripts = new Map<string, Buffer>();
  await load('/inbox', inboxDrawn, (page) =>
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script')
        void response.body().then(
          (body) => scripts.set(response.url(), body),
          () => undefined,
        );
    }),
  );
  // One untimed load of each (the server's and the database's caches warm), then the timed loads in turn.
  await load(BLANK_PAGE, blankDrawn);
  await load(`/records/change_control/${record.id}`, recordDrawn);
  const samples = { blank: [] as number[], inbox: [] as number[], record: [] as number[] };
  for (let i = 0; i < options.runs; i++) {
    samples.blank.push(await load(BLANK_PAGE, blankDrawn));
    samples.inbox.push(await load('/inbox', inboxDrawn));
    samples.record.push(await load(`/records/change_control/${record.id}`, recordDrawn));
  }
  const raw = [...scripts.values()].reduce((sum, body) => sum + body.length, 0);
  const gzip = [...scripts.values()].reduce((sum, body) => sum + gzipSync(body).length, 0);
  const blank = fromSamples(samples.blank);
  const baseline = `empty page from the same server (${BLANK_PAGE})`;
  return {
    rows: [
      {
        benchmark: `inbox page drawn (${options.openChanges.toLocaleString('en')} open change controls), ms`,
        measured: fromSamples(samples.inbox),
        baseline,
        baselineMeasured: blank,
      },
      {
        benchmark: `record page drawn (${options.auditEvents.toLocaleString('en')} audit events), ms`,
        measured: fromSamples(samples.record),
        baseline,
        baselineMeasured: blank,
      },
    ],
    notes: [
      `browser: headless Debian chromium, a fresh context per load (cold cache), timed from the start of navigation until the page shows its first page of tasks ` +
        `(inbox of qa: ${filled.expectedInbox.toLocaleString('en')} open tasks, 100 drawn) or every one of the record's ${options.auditEvents.toLocaleString('en')} audit events; ` +
        `${options.runs} timed loads each after one untimed. JavaScript of the first page: ${scripts.size} file(s), ${(raw / 1024).toFixed(0)} KiB, ${(gzip / 1024).toFixed(0)} KiB gzip.`,
    ],
  };
}
