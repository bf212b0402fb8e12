// Journey (1) of issue 13 in Debian's chromium against the real system, and the first half of (4):
// an initiator's change control with a Chinese title is submitted, with its impact assessment,
// through the record page's forms (built from the request schemas the API serves); QA and the
// engineering owner sign from their inboxes in the signing dialog (QA acknowledges the e-signature
// policy in it first; engineering's first signature of the session asks for the username); a wrong
// password is explained and signs nothing; QA verifies and closes, and the closed record shows its
// sealed PDF. Then, on a second change control: a version amended while the dialog is open is
// refused as stale, opened again the dialog lists the changed field with its value before and
// after, and the dialog reads in Simplified Chinese. axe (WCAG 2.1 AA: no serious or critical violation) on every page and dialog state;
// the dialog is reached, used and left by keyboard, and keeps focus inside.
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, seriousAccessibilityViolations } from './support/browser';
import { actionsOf, buttonsOf, dialogOf, JourneyBrowsers, journeySteps, openRecordFromInbox as openInbox, whenShown } from './support/browser-journey';
import { changeAwaitingApproval, SAMPLE_CHANGE, SMALL_IMPACT } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

const TITLE = '更换外壳 O 形圈供应商';
const JOURNEY_TIMEOUT = 240_000;

let system: TestSystem;
let browser: Browser;
let initiatorApi: HttpSession;
let recordId: string;
let recordNumber: string;
/** A second change control, for the refusals that need a record still awaiting approval. */
let secondId: string;
let people: JourneyBrowsers;

beforeAll(async () => {
  [system, browser] = await Promise.all([startTestSystem('web_record_actions'), launchChromium()]);
  people = new JourneyBrowsers(system, browser);
  initiatorApi = await system.session('initiator');
  // Creating records in the browser is another page's work: the change control is created over HTTP.
  const created = await initiatorApi.post('/api/change-controls', { ...SAMPLE_CHANGE, title: TITLE });
  expect(created.status).toBe(201);
  recordId = created.body.id;
  recordNumber = created.body.number;
}, JOURNEY_TIMEOUT);
afterEach(() => expect(people.pageErrors).toEqual([]));
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

// Run in the page (strings, since the tests' TypeScript has no DOM types).
const FOCUS_IN_DIALOG = `document.querySelector('[role="dialog"]')?.contains(document.activeElement) === true`;
const FOCUSED_TEXT = `(document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '').trim()`;

const signIn = (username: string) => people.signIn(username);
const openRecordFromInbox = (page: Page) => openInbox(page, recordNumber);
const step = journeySteps(JOURNEY_TIMEOUT);

async function signatureCount(): Promise<number> {
  const result = await system.database.db.execute(sql`SELECT count(*)::int AS n FROM signatures WHERE record_id = ${recordId}`);
  return (result.rows[0] as { n: number }).n;
}

step('the initiator submits the change request and its impact assessment through forms built from their request schemas', async () => {
  const page = await signIn('initiator');
  await page.goto(`/records/change_control/${recordId}`);
  await page.getByRole('heading', { level: 1, name: new RegExp(recordNumber) }).waitFor();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(TITLE);
  const offered = ((await initiatorApi.get(`/api/change-controls/${recordId}`)).body.allowedActions as { action: string }[]).map((a) => a.action);
  expect(offered).toEqual(expect.arrayContaining(['submit', 'cancel']));
  const buttons = await buttonsOf(page);
  expect(buttons).toHaveLength(offered.length);
  expect(buttons).toEqual(expect.arrayContaining(['Submit: Change request', 'Cancel the record']));

  // The draft step asks for nothing more: the form (every field optional) is sent empty.
  await actionsOf(page).getByRole('button', { name: 'Submit: Change request' }).click();
  const draft = dialogOf(page);
  await draft.getByLabel('Title').waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await draft.getByRole('button', { name: 'Submit: Change request' }).click();
  await draft.waitFor({ state: 'detached' });

  // The impact assessment: a nested group, lines, choices, a checkbox, selects, long text.
  await actionsOf(page).getByRole('button', { name: 'Submit: Impact assessment' }).waitFor();
  await actionsOf(page).getByRole('button', { name: 'Submit: Impact assessment' }).click();
  const form = dialogOf(page);
  const impact = form.getByRole('group', { name: 'Impact assessment' });
  await impact.getByLabel('Affected items').fill('4711-02\n4711-03');
  await impact.getByLabel('Affected suppliers').fill('Second Seal GmbH');
  await impact.getByRole('checkbox', { name: 'Engineering' }).check();
  await impact.getByLabel('Validation notes').fill('Same drawing and material; supplier certificate on file.');
  await impact.getByLabel('Risk level').selectOption('low');
  // A started group must be completed: the missing rationale is named and nothing is sent.
  await form.getByRole('button', { name: 'Submit: Impact assessment' }).click();
  await impact.getByText('Required', { exact: true }).waitFor();
  expect(await impact.getByLabel('Risk rationale').getAttribute('aria-invalid')).toBe('true');
  expect((await initiatorApi.get(`/api/change-controls/${recordId}`)).body.status).toBe('impact_assessment');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await impact.getByLabel('Risk rationale').fill('形状、配合和功能不变。');
  await form.getByRole('button', { name: 'Submit: Impact assessment' }).click();
  await form.waitFor({ state: 'detached' });

  await page.getByRole('region', { name: 'Content' }).getByText('形状、配合和功能不变。').waitFor();
  const record = (await initiatorApi.get(`/api/change-controls/${recordId}`)).body;
  expect(record.status).toBe('approval');
  expect(record.content.impact).toEqual({
    affectedDocuments: [],
    affectedItems: ['4711-02', '4711-03'],
    affectedSuppliers: ['Second Seal GmbH'],
    affectedAreas: ['engineering'],
    validationRequired: false,
    validationNotes: 'Same drawing and material; supplier certificate on file.',
    riskLevel: 'low',
    riskRationale: '形状、配合和功能不变。',
  });
  expect(record.content.title).toBe(TITLE);
  // The author may not approve: the page offers exactly what the workflow offers now.
  await actionsOf(page).getByRole('button', { name: 'Amend' }).waitFor();
  expect(await buttonsOf(page)).not.toContain('Sign: Approved');
});

step('QA opens the record from the inbox; the actions offered are the workflow’s allowedActions for QA', async () => {
  const page = await signIn('qa');
  await openRecordFromInbox(page);
  const qaApi = await system.people.session('qa');
  const offered = (await qaApi.get(`/api/change-controls/${recordId}`)).body.allowedActions as { action: string; meaning?: string }[];
  expect(offered).toEqual(
    expect.arrayContaining([expect.objectContaining({ action: 'sign', meaning: 'approved' }), expect.objectContaining({ action: 'reject' })]),
  );
  const buttons = await buttonsOf(page);
  expect(buttons).toHaveLength(offered.length);
  expect(buttons).toEqual(expect.arrayContaining(['Sign: Approved', 'Reject: Approval']));
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'record-actions');
});

step('the signing dialog opens by keyboard, keeps focus inside, and first asks for the e-signature policy acknowledgement', async () => {
  const page = people.pages.qa!;
  const sign = actionsOf(page).getByRole('button', { name: 'Sign: Approved' });
  await sign.focus();
  await page.keyboard.press('Enter');
  const dialog = dialogOf(page);
  await dialog.getByTestId('esignature-policy').waitFor();
  expect(await dialog.getByRole('heading', { name: /Electronic signature policy/ }).isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // Tab goes round the dialog's controls and never leaves it (Mantine's Modal traps focus).
  const reached: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate<boolean>(FOCUS_IN_DIALOG)).toBe(true);
    reached.push(await page.evaluate<string>(FOCUSED_TEXT));
  }
  expect(reached).toEqual(expect.arrayContaining(['Cancel', 'Acknowledge with my signature']));
  // Escape closes it and gives focus back to the button that opened it.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await page.evaluate<string>(FOCUSED_TEXT)).toBe('Sign: Approved');

  // The acknowledgement is the session's first signature: username and password, by keyboard alone.
  await page.keyboard.press('Enter');
  await dialog.getByTestId('esignature-policy').waitFor();
  await dialog.getByLabel(/^Username/).focus();
  await page.keyboard.type('qa');
  await page.keyboard.press('Tab');
  await page.keyboard.type(system.people.passwords.qa!);
  await page.keyboard.press('Enter');
  await dialog.getByRole('table', { name: 'What you sign' }).waitFor();
  const policy = (await (await system.people.session('qa')).get('/api/esignature-policy')).body;
  expect(policy.acknowledgement).toMatchObject({ policyVersion: '1' });
});

step('a wrong password in the signing dialog is explained, and nothing is signed', async () => {
  const page = people.pages.qa!;
  const dialog = dialogOf(page);
  // After the acknowledgement (a signature) this session asks for the password only.
  expect(await dialog.getByLabel(/^Username/).count()).toBe(0);
  await dialog.getByLabel('Comment').fill('供应商数据表证明等效。');
  await dialog.getByLabel(/^Password/).fill('not-my-password');
  await screenshot(page, 'signing-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  const said = await alert.textContent();
  expect(said).toContain('The username or password is wrong');
  expect(said).toContain('Nothing was signed.');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  expect(await signatureCount()).toBe(0);
  const record = (await initiatorApi.get(`/api/change-controls/${recordId}`)).body;
  expect(record).toMatchObject({ status: 'approval', signatures: [] });
  expect(await dialog.getByLabel(/^Password/).inputValue()).toBe('');
});

step('QA signs in the dialog, which shows what is signed; the record page then shows the signature', async () => {
  const page = people.pages.qa!;
  const dialog = dialogOf(page);
  const record = (await initiatorApi.get(`/api/change-controls/${recordId}`)).body;
  const signed = await dialog.getByRole('table', { name: 'What you sign' }).textContent();
  expect(signed).toContain(recordNumber);
  expect(signed).toContain(TITLE);
  expect(signed).toContain(record.contentHash);
  expect(signed).toContain(`Version${record.version}`);
  expect(await dialog.getByTestId('signature-meaning').textContent()).toBe('Approved — I approve this record.');
  await dialog.getByLabel(/^Password/).fill(system.people.passwords.qa!);
  // The comment typed before the refused attempt is still there; only the password was cleared.
  expect(await dialog.getByLabel('Comment').inputValue()).toBe('供应商数据表证明等效。');
  await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const signatures = page.getByRole('region', { name: 'Signatures' });
  await signatures.getByText('Quentin Adeyemi').waitFor();
  expect(await signatures.textContent()).toContain('供应商数据表证明等效。');
  expect(await signatureCount()).toBe(1);
  // QA's place is filled; the engineering owner's is not: nothing more to sign for QA now.
  expect(await buttonsOf(page)).not.toContain('Sign: Approved');
});

step('the engineering owner signs from the inbox; the first signature of the session asks for the username too', async () => {
  await system.people.signer('engineering'); // acknowledged the policy earlier, in another session
  const page = await signIn('engineering');
  await openRecordFromInbox(page);
  await actionsOf(page).getByRole('button', { name: 'Sign: Approved' }).click();
  const dialog = dialogOf(page);
  await dialog.getByRole('table', { name: 'What you sign' }).waitFor();
  expect(await dialog.getByText('Your first signature in this session asks for your username').isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await dialog.getByLabel(/^Username/).fill('engineering');
  await dialog.getByLabel(/^Password/).fill(system.people.passwords.engineering!);
  await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('region', { name: 'Signatures' }).getByText('Elena Novak').waitFor();
  expect(await signatureCount()).toBe(2);
});

step('QA verifies and closes from the inbox; the closed record shows its sealed PDF', async () => {
  const page = people.pages.qa!;
  await page.getByRole('link', { name: /My tasks/ }).click();
  await openRecordFromInbox(page);
  const verify = actionsOf(page).getByRole('button', { name: 'Sign: Verified' });
  await whenShown(page, verify);
  await verify.click();
  const dialog = dialogOf(page);
  await dialog.getByRole('table', { name: 'What you sign' }).waitFor();
  expect(await dialog.getByLabel(/^Username/).count()).toBe(0);
  await dialog.getByLabel(/^Password/).fill(system.people.passwords.qa!);
  await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const pdf = page.getByRole('link', { name: 'Controlled-record PDF (sealed)' });
  await whenShown(page, pdf);
  expect(await pdf.getAttribute('href')).toBe(`/api/records/${recordId}/pdf`);
  // The status, and each signature's meaning and step, in words (the API's keys are closed, approved, approval…).
  expect(await page.getByTestId('record-status').textContent()).toBe('Closed');
  const signed = await page
    .getByRole('region', { name: 'Signatures', exact: true })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(2, 4).map((cell) => cell.textContent?.trim())));
  expect(signed).toEqual([
    ['Approved', 'Approval'],
    ['Approved', 'Approval'],
    ['Verified', 'Effectiveness verification'],
  ]);
  expect(await actionsOf(page).count()).toBe(0);
  expect(await signatureCount()).toBe(3);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});

step(
  'a version amended while the dialog is open is refused as stale; the dialog reads it again and lists what changed since the version read, as it does opened again',
  async () => {
    const second = await changeAwaitingApproval(initiatorApi, { ...SMALL_IMPACT }, { ...SAMPLE_CHANGE, title: '第二个变更：密封圈材料' });
    secondId = second.id;
    const page = people.pages.qa!;
    await page.goto(`/records/change_control/${secondId}`);
    await actionsOf(page).getByRole('button', { name: 'Sign: Approved' }).click();
    const dialog = dialogOf(page);
    await dialog.getByRole('table', { name: 'What you sign' }).waitFor();
    expect(await dialog.getByRole('table', { name: 'What you sign' }).textContent()).toContain(second.contentHash);
    expect(await dialog.getByTestId('changes-since-read').textContent()).toBe(`No changes since the version you read (version ${second.version}).`);

    const amended = await initiatorApi.post(`/api/change-controls/${secondId}/amend`, {
      reason: 'Material grade corrected',
      baseVersion: second.version,
      changes: { description: 'Move the O-ring to FKM 75 from the second supplier.' },
    });
    expect(amended.status).toBe(200);
    expect(amended.body.version).toBe(second.version + 1);

    await dialog.getByLabel(/^Password/).fill(system.people.passwords.qa!);
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    const said = await alert.textContent();
    expect(said).toContain('The record changed while you were reviewing it');
    expect(said).toContain(`version ${second.version + 1} is current`);
    // The dialog read the record again: it offers the current version, with what changed since the one read.
    const changedMeanwhile = dialog.getByRole('region', { name: 'Changes since the version you read' });
    await changedMeanwhile.getByRole('table').waitFor();
    expect(await dialog.getByRole('table', { name: 'What you sign' }).textContent()).toContain(`Version${second.version + 1}`);
    expect(await changedMeanwhile.textContent()).toContain('Material grade corrected');
    expect(await dialog.getByLabel(/^Password/).inputValue()).toBe('');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const after = (await initiatorApi.get(`/api/change-controls/${secondId}`)).body;
    expect(after.signatures).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // The page reads the record again by itself (here: the tab becomes visible again) and shows the
    // amended version; nobody pointed the change out to the person, so it does not count as read.
    await page.evaluate(`document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))`);
    await page.getByText(`Version ${after.version}`, { exact: true }).waitFor();

    // Opened again, the dialog signs the current version, and says plainly that it is not the one read
    // on this page: the amendment with its reason, and the changed field with its value before and after.
    await actionsOf(page).getByRole('button', { name: 'Sign: Approved' }).click();
    const changes = dialog.getByRole('region', { name: 'Changes since the version you read' });
    await changes.getByRole('table').waitFor();
    const signed = await dialog.getByRole('table', { name: 'What you sign' }).textContent();
    expect(signed).toContain(`Version${after.version}`);
    expect(signed).toContain(after.contentHash);
    expect(await changes.getByRole('heading').textContent()).toBe('Amended after you opened this record');
    const notice = await changes.textContent();
    expect(notice).toContain(`You read version ${second.version}. Version ${after.version} is current, and it is the version you sign.`);
    expect(notice).toMatch(new RegExp(`Version ${after.version} by Ines Ortega, .*: Material grade corrected`));
    const headers = (await changes.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    expect(headers).toEqual(['Field', `Before (version ${second.version})`, `After (version ${after.version})`]);
    const rows = changes
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader') });
    expect(await rows.count()).toBe(1);
    const cells = (await rows.first().getByRole('cell').allTextContents()).map((c) => c.trim());
    expect([await rows.first().getByRole('rowheader').textContent(), ...cells]).toEqual([
      'Description',
      SAMPLE_CHANGE.description,
      'Move the O-ring to FKM 75 from the second supplier.',
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'signing-dialog-changes', { fullPage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await initiatorApi.get(`/api/change-controls/${secondId}`)).body.signatures).toEqual([]);
  },
);

step('in Simplified Chinese the dialog, what is signed and a refusal read in Chinese', async () => {
  const page = people.pages.qa!;
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.reload();
  const actions = page.getByRole('region', { name: '您现在可以执行的操作' });
  await actions.getByRole('button', { name: '签署：批准' }).click();
  const dialog = dialogOf(page);
  await dialog.getByRole('table', { name: '您签署的内容' }).waitFor();
  expect(await dialog.getByTestId('signature-meaning').textContent()).toBe('批准 — 我批准本记录。');
  expect(await dialog.getByRole('table', { name: '您签署的内容' }).textContent()).toContain('第二个变更：密封圈材料');
  // Reloaded, the page shows the amended version: that is the one read now, and nothing changed since.
  const current = (await initiatorApi.get(`/api/change-controls/${secondId}`)).body;
  expect(await dialog.getByTestId('changes-since-read').textContent()).toBe(`自您阅读的版本（第 ${current.version} 版）以来没有更改。`);
  await dialog.getByLabel(/^密码/).fill('不是我的密码');
  await dialog.getByRole('button', { name: '签署', exact: true }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toContain('用户名或密码错误');
  expect(await alert.textContent()).toContain('未签署任何内容。');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  expect((await initiatorApi.get(`/api/change-controls/${secondId}`)).body.signatures).toEqual([]);
});
