// The browser app's auditor journey (issue 13, "done when" (3)), in Debian's chromium against the
// real system: a change control is driven to closed through the API; the auditor finds it in the
// record search, opens its record (nothing offered to do), requests its dossier and watches it wait
// for a PDF generator, then render to done without reloading, downloads it (the bytes hash to what
// the server recorded, and pdfsig accepts the seal), uploads it to the verify page ("Valid") and a
// copy with one byte flipped ("Altered"), and gets the CA whose fingerprint the page shows. Every
// page passes axe (WCAG 2.1 AA, no serious or critical violation); the search form is reachable by Tab.
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, screenshot, seriousAccessibilityViolations, tabOrder } from './support/browser';
import { runChangeControlThread, SAMPLE_CHANGE } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { extractPdfSignature, tool, writeTemp } from './support/pdf-tools';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let browser: Browser;
let page: Page;
let auditor: HttpSession;
let closed: { id: string; number: string; title: string };
let dossierId: string;
let downloaded: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestflow-web-auditor-'));
/** Uncaught errors in the page: a crashed app shows a blank page, which no assertion names. */
const pageErrors: string[] = [];
/** The search shows 25 records a page (SEARCH_PAGE_SIZE in web/src/pages/auditor/auditor-queries.ts). */
const PROBES = 26;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  // No PDF generator at first: the dossier waits for one, so the test sees it queued, then starts one.
  [system, browser] = await Promise.all([startTestSystem('web_auditor'), launchChromium()]);
  const thread = await runChangeControlThread(system.people);
  expect(thread.record.status).toBe('closed');
  closed = { id: thread.id, number: thread.record.number, title: thread.record.content.title };
  // One more than a page of drafts, to page through.
  const initiator = await system.session('initiator');
  for (let i = 1; i <= PROBES; i++) {
    const created = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: `Paging probe ${i}` });
    expect(created.status).toBe(201);
  }
  auditor = await system.session('auditor'); // changes the one-time password
  page = await openApp(browser, system.baseUrl);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.getByLabel(/^Username/).fill('auditor');
  await page.getByLabel(/^Password/).fill(system.people.passwords.auditor!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // An auditor, who signs nothing, starts on the record search.
  await page.getByRole('heading', { name: 'Search records', level: 2 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/auditor');
});
afterEach(() => expect(pageErrors).toEqual([]));
afterAll(async () => {
  await browser?.close();
  await system?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the record search is accessible and every filter is reachable by keyboard', async () => {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  const reached = await tabOrder(page, 30);
  expect(reached).toEqual(
    expect.arrayContaining(['Record number', 'Record type', 'Status', 'Created on or after', 'Created on or before', 'Text', 'Search', 'Clear filters']),
  );
});

test('the search finds the closed change control by type, status, creation day and text, and by its number', async () => {
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('Record type').selectOption('change_control');
  await page.getByLabel('Status').selectOption('closed');
  await page.getByLabel('Created on or after').fill(today);
  await page.getByLabel('Created on or before').fill(today);
  await page.getByLabel(/^Text/).fill('o-ring');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const row = page.getByTestId('search-results').getByRole('row').filter({ hasText: closed.number });
  await row.waitFor();
  expect(await row.textContent()).toContain('Closed');
  expect(await page.getByTestId('search-total').textContent()).toBe('1 record matches');

  // A status it does not have finds nothing.
  await page.getByLabel('Status').selectOption('draft');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('0 records match').waitFor();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Record number').fill(closed.number.toLowerCase());
  await page.getByLabel('Record number').press('Enter');
  await page.getByText('1 record matches').waitFor();
  const link = page.getByTestId('search-results').getByRole('link', { name: closed.number });
  expect(await link.getAttribute('href')).toBe(`/records/change_control/${closed.id}`);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});

test('a search with more results than a page pages forward and back', async () => {
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel(/^Text/).fill('Paging probe');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText(`${PROBES} records match`).waitFor();
  const rows = page.getByTestId('search-results').getByRole('row');
  expect(await rows.count()).toBe(1 + 25);
  // Newest first: the last probe created leads the first page, the first one is alone on the second.
  expect(await rows.nth(1).textContent()).toContain(`Paging probe ${PROBES}`);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  await rows.nth(1).filter({ hasText: 'Paging probe 1' }).waitFor();
  expect(await rows.count()).toBe(1 + 1);
  expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByText('Page 1').waitFor();
  await rows
    .nth(1)
    .filter({ hasText: `Paging probe ${PROBES}` })
    .waitFor();
  expect(await rows.count()).toBe(1 + 25);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Record number').fill(closed.number);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByText('1 record matches').waitFor();
});

test('the record opens read-only: content, signatures and audit trail, and nothing offered to do', async () => {
  await page.getByTestId('search-results').getByRole('link', { name: closed.number }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(closed.number) }).waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(closed.title);
  const signatures = await page.getByRole('region', { name: 'Signatures' }).textContent();
  expect(signatures).toContain('Quentin Adeyemi');
  // Its meaning and step in words, side by side (the API's keys are verified, effectiveness_verification).
  expect(signatures).toContain('VerifiedEffectiveness verification');
  await page.getByTestId('audit-trail').getByRole('row').nth(1).waitFor();
  expect(await page.getByText('What you may do now').count()).toBe(0);
  // The header's "Sign out" aside, the page offers no button at all.
  expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.goBack();
  await page.getByText('1 record matches').waitFor();
});

test('a dossier of the record and everything linked to it is requested; its progress shows live, waiting, then done', async () => {
  await page.getByRole('navigation', { name: 'Auditor' }).getByRole('link', { name: 'Request a dossier' }).click();
  await page.getByRole('heading', { name: 'Request a dossier', level: 2 }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  // By lot: the API's refusal of an unknown lot is shown, and nothing is requested.
  await page.getByLabel(/^Dossier title/).fill('Inspection: lot NO-SUCH-LOT');
  await page.getByLabel('The records on a lot and on every lot in its genealogy').check();
  await page.getByLabel(/^Lot number/).fill('NO-SUCH-LOT');
  await page.getByRole('button', { name: 'Request the dossier' }).click();
  await page.getByRole('alert').filter({ hasText: 'No lot NO-SUCH-LOT.' }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByLabel(/^Dossier title/).fill(`Inspection: ${closed.number}`);
  await page.getByLabel('A record and everything linked to it').check();
  await page.getByLabel(/^Record number/).fill(closed.number);
  await page.getByRole('button', { name: 'Request the dossier' }).click();
  await page.waitForURL(/\/auditor\/dossiers\/[0-9a-f-]{36}$/);
  dossierId = page.url().split('/').at(-1)!;

  // No PDF generator runs yet: the page says so and keeps reading the status.
  await page.getByTestId('dossier-status').filter({ hasText: 'Queued' }).waitFor();
  await page.getByText('No PDF generator is running').waitFor();
  expect(await page.getByRole('progressbar', { name: 'Dossier progress' }).getAttribute('aria-valuenow')).toBe('0');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  const reads: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith(`/api/dossiers/${dossierId}`)) reads.push(request.url());
  });

  await system.startRenderWorker();
  // No deadline: the page polls on its own until the dossier is done (the test's own timeout bounds it).
  await page.getByTestId('dossier-status').filter({ hasText: 'Done' }).waitFor({ timeout: 0 });
  expect(reads.length).toBeGreaterThan(0);
  expect(await page.getByTestId('dossier-progress').textContent()).toBe('Done: the record is in the sealed PDF');
  expect(await page.getByRole('region', { name: 'Records in this dossier' }).textContent()).toContain(closed.number);
  const view = await auditor.get(`/api/dossiers/${dossierId}`);
  expect(view.body.status).toBe('done');
  expect(await page.getByTestId('dossier-sha256').textContent()).toBe(view.body.artifact.sha256);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'dossier');
});

test('the downloaded dossier is the PDF the server recorded, and its seal verifies with pdfsig', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the dossier' }).click()]);
  downloaded = path.join(dir, download.suggestedFilename());
  await download.saveAs(downloaded);
  const bytes = fs.readFileSync(downloaded);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const view = await auditor.get(`/api/dossiers/${dossierId}`);
  expect(sha256(bytes)).toBe(view.body.artifact.sha256);
  expect(bytes.length).toBe(view.body.artifact.size);
  expect(tool('pdfsig', [downloaded]).output).toContain('Signature is Valid.');
});

test('uploaded, the dossier is "Valid"; a copy with one byte flipped is "Altered"', async () => {
  await page.getByRole('navigation', { name: 'Auditor' }).getByRole('link', { name: 'Verify a PDF' }).click();
  await page.getByRole('heading', { name: 'Verify a PDF', level: 2 }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.locator('input[type="file"]').setInputFiles(downloaded);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const verdict = page.getByTestId('verdict');
  await verdict.waitFor();
  expect(await verdict.getAttribute('data-verdict')).toBe('valid');
  expect(await verdict.textContent()).toContain('Valid');
  expect(await page.getByTestId('verification-checks').getByText('Failed', { exact: true }).count()).toBe(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  const original = fs.readFileSync(downloaded);
  const tampered = Buffer.from(original);
  const offset = Math.floor(extractPdfSignature(original).signedBytes.length / 3);
  tampered[offset] = tampered[offset]! ^ 0x01;
  await page.locator('input[type="file"]').setInputFiles(writeTemp(dir, 'tampered-dossier.pdf', tampered));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await page.locator('[data-verdict="altered"]').waitFor();
  expect(await verdict.textContent()).toContain('tampered-dossier.pdf has been changed after it was sealed');
  expect(await page.getByTestId('verification-checks').getByText('Failed', { exact: true }).count()).toBeGreaterThan(0);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});

test('the CA certificate downloads, with the fingerprint openssl computes, and the revocation list beside it', async () => {
  await page.getByRole('navigation', { name: 'Auditor' }).getByRole('link', { name: 'CA and revocation list' }).click();
  const fingerprint = page.getByTestId('ca-fingerprint');
  await fingerprint.waitFor();
  const served = await auditor.get<string>('/api/pki/ca.pem');
  expect(await fingerprint.textContent()).toBe(`SHA256 Fingerprint=${new X509Certificate(served.body).fingerprint256}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the CA certificate' }).click()]);
  const file = path.join(dir, 'ca.pem');
  await download.saveAs(file);
  expect(fs.readFileSync(file, 'utf8')).toBe(served.body);
  expect(await page.getByRole('link', { name: 'Download the revocation list (CRL)' }).getAttribute('href')).toBe('/api/pki/crl.pem');
  expect(await page.getByText('pdfsig -nssdir').isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});

test('the auditor pages read in Simplified Chinese', async () => {
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { name: 'CA 证书与吊销列表', level: 2 }).waitFor();
  await page.getByRole('navigation', { name: '审计员' }).getByRole('link', { name: '检索记录' }).click();
  await page.getByRole('heading', { name: '检索记录', level: 2 }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByLabel('语言').selectOption('en');
});
