// The browser app's first journey (issue 13), in Debian's chromium against the real system: a QA
// approver signs in with the one-time password, is made to choose a password (the policy shown,
// each broken rule explained), and finds the change control awaiting approval in "My tasks"; a wrong
// password is explained and signs nobody in; every page passes axe (WCAG 2.1 AA, no serious or
// critical violation) and the sign-in form is reachable by keyboard alone.
import type { Browser, Page } from 'playwright-core';
import { changeAwaitingApproval } from './support/change-control-thread';
import { launchChromium, openApp, screenshot, seriousAccessibilityViolations, tabOrder } from './support/browser';
import { strongPassword } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let browser: Browser;
let page: Page;
let recordNumber: string;
/** Uncaught errors in the page: a crashed app shows a blank page, which no assertion names. */
const pageErrors: string[] = [];

beforeAll(async () => {
  [system, browser] = await Promise.all([startTestSystem('web_sign_in_inbox'), launchChromium()]);
  const change = await changeAwaitingApproval(await system.session('initiator'), undefined, {
    title: '更换外壳 O 形圈供应商',
    description: 'The O-ring supplier discontinues part 4711; qualify the second source.',
    reason: 'Supplier discontinues the part',
    riskLevel: 'medium',
  });
  recordNumber = change.number as string;
  page = await openApp(browser, system.baseUrl);
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
afterEach(() => expect(pageErrors).toEqual([]));
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

test('the sign-in page is accessible and reachable by keyboard', async () => {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  const reached = await tabOrder(page, 4);
  expect(reached).toEqual(expect.arrayContaining(['Username', 'Password', 'Sign in']));
});

test('a wrong password is explained and signs nobody in', async () => {
  await page.getByLabel(/^Username/).fill('qa');
  await page.getByLabel(/^Password/).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toContain('The username or password is wrong.');
  const me = await page.request.get('/api/auth/me');
  expect(me.status()).toBe(401);
});

test('the first sign-in asks for a new password, shows the policy and explains each broken rule', async () => {
  await page.getByLabel(/^Password/).fill(system.people.passwords.qa!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
  expect(await page.getByText('At least 12 characters').isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.getByLabel(/^Current password/).fill(system.people.passwords.qa!);
  await page.getByLabel(/^New password( \*)?$/).fill('short');
  await page.getByLabel(/^New password again/).fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  expect((await refusal.textContent())!.length).toBeGreaterThan('The password was not changed'.length);
  expect((await page.request.get('/api/auth/me').then((r) => r.json())).pending.passwordChange).toBe(true);

  const chosen = strongPassword();
  await page.getByLabel(/^New password( \*)?$/).fill(chosen);
  await page.getByLabel(/^New password again/).fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('heading', { name: 'My tasks', level: 1 }).waitFor();
  system.people.passwords.qa = chosen;
});

test('"My tasks" lists the change control awaiting QA approval, with what is asked, and links to its record', async () => {
  const row = page.getByRole('row').filter({ hasText: recordNumber });
  await row.waitFor();
  const text = await row.textContent();
  expect(text).toContain('更换外壳 O 形圈供应商');
  expect(text).toContain('Change control');
  // The step in words, in its own column and in what is asked (not the API's `approval`).
  expect(text).toContain('ApprovalSign (Approval)');
  expect(await row.getByRole('link', { name: recordNumber }).getAttribute('href')).toMatch(/^\/records\/change_control\/[0-9a-f-]{36}$/);
  expect(await page.getByRole('navigation').getByText('1', { exact: true }).isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'inbox');
});

test('the record page lays out the change control for reading: content, state history, audit trail, what the reader may do', async () => {
  await page.getByRole('link', { name: recordNumber }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(recordNumber) }).waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('更换外壳 O 形圈供应商');
  const content = page.getByRole('region', { name: 'Content' });
  // Labels from the translations (Title), or from the process's own field labels (impact.riskRationale → Risk rationale
  // (impact assessment)), nested objects as nested tables.
  const titleRow = content.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Title', exact: true }) });
  expect(await titleRow.textContent()).toBe('Title更换外壳 O 形圈供应商');
  expect(await content.getByRole('rowheader', { name: 'Risk rationale (impact assessment)', exact: true }).isVisible()).toBe(true);
  expect(await page.getByRole('region', { name: 'State history' }).getByRole('row').count()).toBeGreaterThan(1);
  const trail = page.getByTestId('audit-trail');
  await trail.getByRole('row').nth(1).waitFor();
  expect(await trail.textContent()).toContain('Ines Ortega');
  expect(await page.getByText('What you may do now').isVisible()).toBe(true);
  expect(await page.getByRole('region', { name: 'Signatures' }).textContent()).toContain('No signatures yet.');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'record-page');
  await page.getByRole('link', { name: /My tasks/ }).click();
});

test('"Overdue only" hides a task that is not overdue; the filter is undone as easily', async () => {
  // The API filters and counts (not the page within what it fetched).
  const [filtered] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/inbox?') && new URL(r.url()).searchParams.get('overdue') === 'true'),
    page.getByLabel('Overdue only').check(),
  ]);
  expect(await filtered.json()).toMatchObject({ items: [], total: 0 });
  await page.getByText('Nothing waits for you.').waitFor();
  await page.getByLabel('Overdue only').uncheck();
  await page.getByRole('row').filter({ hasText: recordNumber }).waitFor();
});

test('the interface switches to Simplified Chinese and remembers it', async () => {
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { name: '我的任务', level: 1 }).waitFor();
  expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
  await page.reload();
  await page.getByRole('heading', { name: '我的任务', level: 1 }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});
