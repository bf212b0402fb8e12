// The browser app's administration (issue 13, journey 4's second half), in Debian's chromium against
// the real system: wrong passwords lock a QA signer's account (11.300(d)); the administrator sees the
// alert, with its count in the navigation, acknowledges it with a reason and unlocks the account with
// a reason, after which the person signs in again. An account created here shows its one-time
// password once; a role change the API refuses (separation of duties) shows the API's own sentence.
// Every page and dialog passes axe (WCAG 2.1 AA, no serious or critical violation) and the page is
// reachable by keyboard.
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openApp, screenshot, seriousAccessibilityViolations, tabOrder } from './support/browser';
import { HttpSession, type People } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let browser: Browser;
let page: Page;
let admin: HttpSession;
let people: People;
let qaId: string;
/** Uncaught errors in the page: a crashed app shows a blank page, which no assertion names. */
const pageErrors: string[] = [];

/** axe's serious and critical findings, where the pointer last was (a hovered control must keep its contrast too). */
async function accessibilityProblems() {
  return seriousAccessibilityViolations(page);
}

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return (await system.database.db.execute(query)).rows as T[];
}

async function userNamed(username: string): Promise<{ id: string; roles: string[]; locked: boolean; status: string }> {
  const users = (await admin.get(`/api/admin/users?q=${encodeURIComponent(username)}`)).body as {
    id: string;
    username: string;
    roles: string[];
    locked: boolean;
    status: string;
  }[];
  return users.find((u) => u.username === username)!;
}

beforeAll(async () => {
  [system, browser] = await Promise.all([startTestSystem('web_admin'), launchChromium()]);
  people = system.people;
  admin = await people.session('admin');
  qaId = (await userNamed('qa')).id;
  page = await openApp(browser, system.baseUrl);
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
afterEach(() => expect(pageErrors).toEqual([]));
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

test('wrong passwords up to the policy threshold lock the account: even the right password is then refused', async () => {
  const { lockoutThreshold } = (await admin.get('/api/admin/password-policy')).body as { lockoutThreshold: number };
  expect(lockoutThreshold).toBe(5);
  const anonymous = new HttpSession(system.baseUrl);
  const codes: string[] = [];
  for (let attempt = 1; attempt <= lockoutThreshold; attempt++) {
    codes.push((await anonymous.post('/api/auth/login', { username: 'qa', password: `wrong-${attempt}` })).body.code);
  }
  expect(codes).toEqual([...Array<string>(lockoutThreshold - 1).fill('invalid_credentials'), 'account_locked']);
  expect((await anonymous.post('/api/auth/login', { username: 'qa', password: people.passwords.qa })).body.code).toBe('account_locked');
  expect((await userNamed('qa')).locked).toBe(true);
});

test('the administrator signs in and sees the count of unacknowledged alerts beside "Administration"', async () => {
  await page.getByLabel(/^Username/).fill('admin');
  await page.getByLabel(/^Password/).fill(people.passwords.admin!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const adminLink = page.getByRole('navigation').getByRole('link', { name: /Administration/ });
  await adminLink.getByText('unacknowledged alerts').waitFor();
  expect(await adminLink.textContent()).toBe('Administration1 unacknowledged alerts');
  await adminLink.click();
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  const qaRow = page
    .getByTestId('users-table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'qa', exact: true }) });
  await qaRow.waitFor();
  expect(await qaRow.textContent()).toContain('Quentin Adeyemi');
  expect(await qaRow.textContent()).toContain('Quality assurance');
  expect(await qaRow.getByText('Locked', { exact: true }).isVisible()).toBe(true);
  expect(await accessibilityProblems()).toEqual([]);
  await screenshot(page, 'admin-users');
});

test("the administration page is reachable by keyboard: tabs, search, create, each row's actions", async () => {
  const reached = await tabOrder(page, 20);
  expect(reached).toEqual(expect.arrayContaining(['Users', 'Search users', 'Create user', 'Actions for admin']));
});

test('the alert names the locked account; it is acknowledged with a reason, and the count goes', async () => {
  await page.getByRole('tab', { name: /Alerts/ }).click();
  const alertRow = page.getByTestId('alerts-table').getByRole('row').filter({ hasText: 'Account locked' });
  await alertRow.waitFor();
  expect(await alertRow.textContent()).toContain('Quentin Adeyemi (qa) was locked after 5 consecutive failed attempts');
  expect(await alertRow.textContent()).toContain('Not yet');
  expect(await accessibilityProblems()).toEqual([]);
  await screenshot(page, 'admin-alerts');

  await alertRow.getByRole('button', { name: 'Acknowledge' }).click();
  const dialog = page.getByRole('dialog', { name: 'Acknowledge the alert' });
  await dialog.waitFor();
  expect(await accessibilityProblems()).toEqual([]);
  await dialog.getByLabel(/^Reason/).fill('Called Quentin: he mistyped after the keyboard layout changed');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText('No unacknowledged alerts.').waitFor();
  await page.getByRole('navigation').getByText('unacknowledged alerts').waitFor({ state: 'detached' });

  const [alert] = (await admin.get('/api/admin/alerts')).body as { userId: string; acknowledgedBy: string | null }[];
  expect(alert).toMatchObject({ userId: qaId, acknowledgedBy: expect.any(String) });
  const events = await rows<{ reason: string }>(sql`SELECT reason FROM audit_events WHERE action = 'alert.acknowledged'`);
  expect(events).toEqual([{ reason: 'Called Quentin: he mistyped after the keyboard layout changed' }]);

  // Acknowledged alerts stay listed, with who acknowledged them; the account is still locked and can be unlocked from here.
  await page.getByLabel('Unacknowledged only').uncheck();
  await alertRow.waitFor();
  expect(await alertRow.textContent()).toContain('by Adrian Miles');
  expect(await alertRow.getByRole('button', { name: 'Unlock qa…' }).isVisible()).toBe(true);
});

test('the administrator unlocks the account with a reason, by keyboard; the person signs in again', async () => {
  await page.getByRole('tab', { name: 'Users' }).click();
  const actions = page.getByRole('button', { name: 'Actions for qa', exact: true });
  await actions.focus();
  await page.keyboard.press('Enter');
  const unlockItem = page.getByRole('menuitem', { name: 'Unlock…' });
  await unlockItem.waitFor();
  expect(await accessibilityProblems()).toEqual([]);
  // Arrows walk the menu, Enter chooses.
  const focused = () => page.evaluate<string>("document.activeElement?.textContent ?? ''");
  for (let i = 0; i < 8 && (await focused()) !== 'Unlock…'; i++) await page.keyboard.press('ArrowDown');
  expect(await focused()).toBe('Unlock…');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Unlock Quentin Adeyemi (qa)' });
  await dialog.waitFor();
  expect(await accessibilityProblems()).toEqual([]);

  // A reason shorter than three characters is not sent: the account stays locked.
  await dialog.getByLabel(/^Reason/).fill('ok');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  expect(await dialog.isVisible()).toBe(true);
  expect((await userNamed('qa')).locked).toBe(true);

  await dialog.getByLabel(/^Reason/).fill('Identity confirmed in person; the attempts were his own');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await dialog.waitFor({ state: 'detached' });
  const qaRow = page
    .getByTestId('users-table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'qa', exact: true }) });
  await qaRow.getByText('Locked', { exact: true }).waitFor({ state: 'detached' });

  expect((await userNamed('qa')).locked).toBe(false);
  const unlocked = await rows<{ reason: string; entity_id: string }>(sql`SELECT reason, entity_id FROM audit_events WHERE action = 'user.unlocked'`);
  expect(unlocked).toEqual([{ reason: 'Identity confirmed in person; the attempts were his own', entity_id: qaId }]);
  const qa = await people.session('qa'); // the one-time password, then a password of his own
  expect((await qa.get('/api/auth/me')).body).toMatchObject({ username: 'qa', pending: { passwordChange: false } });
});

test('a new account gets its roles and a one-time password, shown once, that signs the person in', async () => {
  await page.getByRole('button', { name: 'Create user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a user' });
  await dialog.waitFor();
  expect(await accessibilityProblems()).toEqual([]);
  await dialog.getByLabel(/^Username/).fill('wang.fang');
  await dialog.getByLabel(/^Printed name/).fill('王芳 Wang Fang');
  await dialog.getByLabel('Initiator', { exact: true }).check();
  await dialog.getByLabel(/^Reason/).fill('New production engineer, starts Monday');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const shown = dialog.getByTestId('one-time-password');
  await shown.waitFor();
  const oneTimePassword = (await shown.textContent())!.trim();
  expect(oneTimePassword.length).toBeGreaterThanOrEqual(12);
  expect(await accessibilityProblems()).toEqual([]);
  await dialog.getByRole('button', { name: 'I have noted it: close' }).click();
  await dialog.waitFor({ state: 'detached' });

  const row = page
    .getByTestId('users-table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: 'wang.fang', exact: true }) });
  await row.waitFor();
  expect(await row.textContent()).toContain('王芳 Wang Fang');
  expect(await row.textContent()).toContain('Initiator');
  // Shown once: nowhere on the page any more, not even after opening the dialog again.
  expect(await page.content()).not.toContain(oneTimePassword);
  await page.getByRole('button', { name: 'Create user' }).click();
  await dialog.waitFor();
  expect(await page.content()).not.toContain(oneTimePassword);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });

  const person = new HttpSession(system.baseUrl);
  const me = await person.login('wang.fang', oneTimePassword);
  expect(me).toMatchObject({ username: 'wang.fang', printedName: '王芳 Wang Fang', roles: ['initiator'], pending: { passwordChange: true } });
});

test("a role change the API refuses (a signing role for an auditor) shows the API's explanation and changes nothing", async () => {
  await page.getByRole('button', { name: 'Actions for auditor' }).click();
  await page.getByRole('menuitem', { name: 'Change roles…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roles of Aiko Tanaka (auditor)' });
  await dialog.waitFor();
  expect(await dialog.getByLabel('Auditor', { exact: true }).isChecked()).toBe(true);
  await dialog.getByLabel('Quality assurance', { exact: true }).check();
  await dialog.getByLabel(/^Reason/).fill('Covering QA approvals during the audit');
  await dialog.getByRole('button', { name: 'Save roles' }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.textContent()).toBe(
    'Not doneauditor cannot hold auditor together with qa: auditor never signs records. Give the person a separate account for each duty.',
  );
  expect(await accessibilityProblems()).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await userNamed('auditor')).roles).toEqual(['auditor']);
});

test('the password policy is shown and changed with a reason, as a new version', async () => {
  await page.getByRole('tab', { name: 'Password policy' }).click();
  const table = page.getByTestId('policy-table');
  await table.waitFor();
  expect(await table.getByRole('row').filter({ hasText: 'Failed attempts before the account is locked' }).textContent()).toContain('5');
  expect(await accessibilityProblems()).toEqual([]);
  await page.getByRole('button', { name: 'Change the policy' }).click();
  const form = page.getByRole('form', { name: 'Change the password policy' });
  await form.getByLabel(/^Minimum length/).fill('14');
  await form.getByLabel(/^Reason/).fill('Corporate IT standard 2027 raises the minimum length');
  expect(await accessibilityProblems()).toEqual([]);
  await form.getByRole('button', { name: 'Save the policy' }).click();
  await table.waitFor();
  expect(await table.getByRole('row').filter({ hasText: 'Minimum length' }).textContent()).toBe('Minimum length14');
  expect((await admin.get('/api/admin/password-policy')).body).toMatchObject({ minLength: 14, lockoutThreshold: 5, version: 1 });
});

test('signature meanings are listed with whether they are offered; one is added, with a reason', async () => {
  await page.getByRole('tab', { name: 'Signature meanings' }).click();
  const table = page.getByTestId('meanings-table');
  const approved = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'approved', exact: true }) });
  await approved.waitFor();
  expect(await approved.textContent()).toContain('I approve this record');
  expect(await approved.textContent()).toContain('Offered');
  expect(await accessibilityProblems()).toEqual([]);

  await page.getByRole('button', { name: 'Add a meaning' }).click();
  const form = page.getByRole('form', { name: 'Add a signature meaning' });
  await form.getByLabel(/^Name/).fill('witnessed');
  await form.getByLabel(/^What it means/).fill('I witnessed this step being performed');
  await form.getByLabel(/^Reason/).fill('Cleanroom procedures ask for a witness signature');
  expect(await accessibilityProblems()).toEqual([]);
  await form.getByRole('button', { name: 'Save the meaning' }).click();
  const witnessed = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'witnessed', exact: true }) });
  await witnessed.waitFor();
  expect(await witnessed.textContent()).toContain('I witnessed this step being performed');
  expect((await admin.get('/api/admin/signature-meanings')).body).toContainEqual({
    name: 'witnessed',
    description: 'I witnessed this step being performed',
    active: true,
  });
  const events = await rows<{ entity_id: string; reason: string }>(sql`SELECT entity_id, reason FROM audit_events WHERE action = 'signature_meaning.set'`);
  expect(events).toEqual([{ entity_id: 'witnessed', reason: 'Cleanroom procedures ask for a witness signature' }]);
});

test("training: requirements are listed and added; a person's records are listed and a training recorded, each with a reason", async () => {
  await page.getByRole('tab', { name: 'Training' }).click();
  const requirements = page.getByTestId('requirements-table');
  await requirements.getByRole('row').filter({ hasText: 'SOP-QA-007' }).waitFor();
  expect(await accessibilityProblems()).toEqual([]);

  await page.getByRole('button', { name: 'Add a requirement' }).click();
  const requirementForm = page.getByRole('form', { name: 'Add a requirement' });
  await requirementForm.getByLabel(/^Process/).fill('change_control');
  await requirementForm.getByLabel(/^Step/).fill('approval');
  await requirementForm.getByLabel(/^Document number/).fill('SOP-ENG-012');
  await requirementForm.getByLabel(/^Document title/).fill('Engineering change impact assessment');
  await requirementForm.getByLabel(/^Reason/).fill('Approvers must know the impact assessment method');
  expect(await accessibilityProblems()).toEqual([]);
  await requirementForm.getByRole('button', { name: 'Save the requirement' }).click();
  await requirements.getByRole('row').filter({ hasText: 'SOP-ENG-012' }).waitFor();
  expect((await admin.get('/api/admin/training-requirements')).body).toContainEqual({
    process: 'change_control',
    step: 'approval',
    documentNumber: 'SOP-ENG-012',
    title: 'Engineering change impact assessment',
  });

  await page.getByRole('combobox', { name: 'Person' }).fill('Quentin');
  await page.getByRole('option', { name: 'Quentin Adeyemi (qa)' }).click();
  const records = page.getByTestId('training-records-table');
  await records.getByRole('row').filter({ hasText: 'SOP-QA-007' }).waitFor();
  const recordForm = page.getByRole('form', { name: 'Record training' });
  await recordForm.getByLabel(/^Document number/).fill('SOP-ENG-012');
  await recordForm.getByLabel(/^Trained on/).fill('2026-12-04');
  await recordForm.getByLabel(/^Reason/).fill('Attended the impact assessment course on 4 December');
  expect(await accessibilityProblems()).toEqual([]);
  await recordForm.getByRole('button', { name: 'Record training' }).click();
  await records.getByRole('row').filter({ hasText: 'SOP-ENG-012' }).waitFor();
  const recorded = (await admin.get(`/api/admin/users/${qaId}/training-records`)).body as { documentNumber: string; revision: number; reason: string }[];
  expect(recorded).toContainEqual(
    expect.objectContaining({ documentNumber: 'SOP-ENG-012', revision: 1, reason: 'Attended the impact assessment course on 4 December' }),
  );
});

test('in Simplified Chinese the administration reads in Chinese and stays accessible', async () => {
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { level: 1, name: '系统管理' }).waitFor();
  await page.getByRole('tab', { name: '警报' }).click();
  await page.getByLabel('仅未确认').uncheck();
  await page.getByTestId('alerts-table').getByText('账户已锁定').waitFor();
  expect(await accessibilityProblems()).toEqual([]);
});
