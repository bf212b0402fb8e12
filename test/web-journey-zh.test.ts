// Journey (5) of issue 13 in Debian's chromium against the real system: journey (1) whole in
// Simplified Chinese, the language switched in the app by each person. The initiator creates a
// change control through "新建记录" and submits it with its impact assessment; QA (acknowledging
// the e-signature policy first) and the engineering owner approve from their inboxes; QA verifies
// and closes; the closed record shows its sealed PDF. Every page passed shows its Chinese labels,
// the process's own field labels (风险等级（影响评估）) and each signature's verification in words,
// and passes axe (WCAG 2.1 AA: no serious or critical violation) where the pointer last was. The
// inbox and the closed record name steps, statuses and signature meanings in Chinese, never by the
// process's keys (impact_assessment, approved). Then a
// signature copied onto another record (written into the database, as the tamper tests do) is shown
// there as not verifying, with the reasons.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
import { changeControlProcess } from '../processes/change-control/change-control.process';
import { launchChromium, seriousAccessibilityViolations } from './support/browser';
import { actionsOf, buttonsOf, dialogOf, JourneyBrowsers, journeySteps, openRecordFromInbox, whenShown } from './support/browser-journey';
import { changeAwaitingApproval } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

const TITLE = '更换外壳 O 形圈供应商';
const RATIONALE = '形状、配合和功能不变。';
const JOURNEY_TIMEOUT = 240_000;
/** The names the Chinese interface gives what the journey looks for. */
const ZH = {
  actions: '您现在可以执行的操作',
  whatIsSigned: '您签署的内容',
  content: '内容',
  signatures: '签名',
  verifies: '验证通过',
  doesNotVerify: '验证未通过',
  history: '状态历史',
} as const;
/** A change control's steps (its statuses) and its signatures' meanings, as the Chinese interface names them. */
const ZH_STEPS: Record<string, string> = {
  draft: '变更申请',
  impact_assessment: '影响评估',
  approval: '批准',
  implementation: '实施',
  effectiveness_verification: '有效性验证',
  closed: '已关闭',
};
const ZH_MEANINGS: Record<string, string> = { approved: '批准', verified: '验证' };
/** The process's own keys, none of which a person should read: every step and every meaning of a change control, and anything snake_case. */
const RAW_KEYS = new RegExp(
  `\\b(${[
    ...Object.keys(changeControlProcess.steps),
    ...Object.values(changeControlProcess.steps).flatMap((step) => (step.kind === 'signoff' ? Object.values(step.outcomes).map((o) => o.meaning) : [])),
  ].join('|')})\\b|[a-z]+_[a-z_]+`,
);

let system: TestSystem;
let browser: Browser;
let people: JourneyBrowsers;
let initiatorApi: HttpSession;
let recordId: string;
let recordNumber: string;
const step = journeySteps(JOURNEY_TIMEOUT);

beforeAll(async () => {
  [system, browser] = await Promise.all([startTestSystem('web_journey_zh'), launchChromium()]);
  people = new JourneyBrowsers(system, browser);
  initiatorApi = await system.session('initiator');
}, JOURNEY_TIMEOUT);
afterEach(() => expect(people.pageErrors).toEqual([]));
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** Signs in (in English, the browser's language) and switches the app to Simplified Chinese with the header's language select. */
async function signInInChinese(username: string): Promise<Page> {
  const page = await people.signIn(username);
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { level: 1, name: '我的任务' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  expect(
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: /我的任务/ })
      .isVisible(),
  ).toBe(true);
  expect(await page.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  return page;
}

/** The record page's section headings, in Chinese. */
async function expectChineseRecordPage(page: Page): Promise<void> {
  for (const name of [ZH.content, ZH.signatures, '待办任务', '状态历史', '审计追踪']) await page.getByRole('heading', { level: 2, name }).waitFor();
  expect(await page.getByText('变更控制', { exact: true }).first().isVisible()).toBe(true);
}

/** Signs in the open signing dialog with the password (and the username when asked), then waits for it to close. */
async function signInDialog(page: Page, username: string, { withUsername }: { withUsername: boolean }): Promise<void> {
  const dialog = dialogOf(page);
  await dialog.getByRole('table', { name: ZH.whatIsSigned }).waitFor();
  expect(await dialog.getByRole('heading', { name: '电子签名' }).isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  if (withUsername) await dialog.getByLabel(/^用户名/).fill(username);
  else expect(await dialog.getByLabel(/^用户名/).count()).toBe(0);
  await dialog.getByLabel(/^密码/).fill(system.people.passwords[username]!);
  await dialog.getByRole('button', { name: '签署', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The signatures section's row of `printedName`, once it says that the signature verifies. */
/** The text of each body row's cells of a table, column by column. */
async function cellsOf(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')));
}

async function expectVerifies(page: Page, printedName: string): Promise<void> {
  const row = page.getByRole('region', { name: ZH.signatures, exact: true }).getByRole('row').filter({ hasText: printedName });
  await row.getByText(ZH.verifies, { exact: true }).waitFor();
  expect(await row.textContent()).toContain('由签署人本人的证书（由组织 CA 签发，签署时未被吊销）签署');
}

step('the initiator switches to Chinese, creates the change control through 新建记录 and submits it with its impact assessment', async () => {
  const page = await signInInChinese('initiator');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '新建记录' }).click();
  await page.getByRole('heading', { level: 1, name: '新建记录' }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByRole('link', { name: '新建变更控制' }).click();
  await page.getByRole('heading', { level: 1, name: '新建变更控制' }).waitFor();
  await page.getByLabel(/^标题/).fill(TITLE);
  await page.getByLabel(/^描述/).fill('O 形圈 4711 停产，需认证第二供应商。');
  await page.getByLabel(/^原因/).fill('供应商停产该零件');
  // The draft's impact assessment (offered to create and submit in one go) has a risk level of its own.
  await page
    .getByLabel(/^风险等级/)
    .first()
    .selectOption('medium');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: '创建草稿' }).click();
  await page.waitForURL(/\/records\/change_control\/[0-9a-f-]{36}$/);
  recordId = page.url().split('/').at(-1)!;
  const heading = page.getByRole('heading', { level: 1, name: /CC-\d{4}-\d{4}/ });
  await heading.waitFor();
  recordNumber = /CC-\d{4}-\d{4}/.exec((await heading.textContent())!)![0];
  await expectChineseRecordPage(page);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // The draft step: its form (every field optional) is sent as it is.
  await actionsOf(page, ZH.actions).getByRole('button', { name: '提交：变更申请' }).click();
  const draft = dialogOf(page);
  await draft.getByLabel(/^标题/).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await draft.getByRole('button', { name: '提交：变更申请' }).click();
  await draft.waitFor({ state: 'detached' });

  const submitImpact = actionsOf(page, ZH.actions).getByRole('button', { name: '提交：影响评估' });
  await submitImpact.waitFor();
  await submitImpact.click();
  const form = dialogOf(page);
  const impact = form.getByRole('group', { name: '影响评估' });
  await impact.getByLabel('受影响的物料').fill('4711-02\n4711-03');
  await impact.getByLabel('受影响的供应商').fill('Second Seal GmbH');
  await impact.getByRole('checkbox', { name: '工程' }).check();
  await impact.getByLabel('验证说明').fill('图纸和材料相同；供应商证书已存档。');
  await impact.getByLabel('风险等级').selectOption('low');
  await impact.getByLabel('风险理由').fill(RATIONALE);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await form.getByRole('button', { name: '提交：影响评估' }).click();
  await form.waitFor({ state: 'detached' });

  // The content names the fields as the process does, in Chinese: the two risk levels told apart.
  const content = page.getByRole('region', { name: ZH.content, exact: true });
  await content.getByText(RATIONALE).waitFor();
  for (const label of ['风险等级（变更申请）', '影响评估', '风险等级（影响评估）', '风险理由（影响评估）', '受影响的物料'])
    await content.getByRole('rowheader', { name: label, exact: true }).waitFor();
  // Choices read as their labels (low → 低, engineering → 工程); what was typed reads as typed.
  const valueOf = async (label: string) =>
    (await content.getByRole('rowheader', { name: label, exact: true }).locator('xpath=following-sibling::td[1]').textContent())?.trim();
  expect(await valueOf('风险等级（变更申请）')).toBe('中');
  expect(await valueOf('风险等级（影响评估）')).toBe('低');
  expect(await valueOf('受影响的部门')).toBe('工程');
  expect(await valueOf('受影响的供应商')).toBe('Second Seal GmbH');
  expect(await page.getByRole('region', { name: ZH.signatures, exact: true }).textContent()).toContain('尚无签名。');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  const record = (await initiatorApi.get(`/api/change-controls/${recordId}`)).body;
  expect(record).toMatchObject({
    status: 'approval',
    number: recordNumber,
    content: { title: TITLE, impact: { riskRationale: RATIONALE, affectedAreas: ['engineering'] } },
  });
});

step('QA, in Chinese, acknowledges the e-signature policy and approves from 我的任务; the signature verifies', async () => {
  const page = await signInInChinese('qa');
  // The inbox names the step, and what is asked, in Chinese.
  const task = page.getByTestId('inbox-table').getByRole('row').filter({ hasText: recordNumber });
  await whenShown(page, task);
  const cells = (await task.getByRole('cell').allTextContents()).map((cell) => cell.trim());
  expect(cells.slice(3, 5)).toEqual(['批准', '签署（批准）']);
  expect(cells.join(' ')).not.toMatch(RAW_KEYS);
  await openRecordFromInbox(page, recordNumber);
  await expectChineseRecordPage(page);
  expect(await page.getByTestId('record-status').textContent()).toBe('批准');
  expect(await buttonsOf(page, ZH.actions)).toEqual(expect.arrayContaining(['签署：批准', '驳回：批准']));
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await actionsOf(page, ZH.actions).getByRole('button', { name: '签署：批准' }).click();
  const dialog = dialogOf(page);
  await dialog.getByTestId('esignature-policy').waitFor();
  expect(await dialog.getByText('首次签名之前').isVisible()).toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await dialog.getByLabel(/^用户名/).fill('qa');
  await dialog.getByLabel(/^密码/).fill(system.people.passwords.qa!);
  await dialog.getByRole('button', { name: '以我的签名确认' }).click();
  await dialog.getByRole('table', { name: ZH.whatIsSigned }).waitFor();
  expect(await dialog.getByTestId('signature-meaning').textContent()).toBe('批准 — 我批准本记录。');
  expect(await dialog.getByRole('table', { name: ZH.whatIsSigned }).textContent()).toContain(TITLE);
  await signInDialog(page, 'qa', { withUsername: false });
  await expectVerifies(page, 'Quentin Adeyemi');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});

step('the engineering owner, in Chinese, approves from 我的任务 with username and password; both signatures verify', async () => {
  await system.people.signer('engineering'); // acknowledged the policy in another session
  const page = await signInInChinese('engineering');
  await openRecordFromInbox(page, recordNumber);
  await expectChineseRecordPage(page);
  await actionsOf(page, ZH.actions).getByRole('button', { name: '签署：批准' }).click();
  await dialogOf(page).getByText('本次会话中的首次签名需要同时输入用户名和密码。').waitFor();
  await signInDialog(page, 'engineering', { withUsername: true });
  await expectVerifies(page, 'Elena Novak');
  await expectVerifies(page, 'Quentin Adeyemi');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});

step('QA verifies and closes in Chinese; the closed record offers its sealed PDF, and every signature verifies', async () => {
  const page = people.pages.qa!;
  await page
    .getByRole('navigation', { name: '主导航' })
    .getByRole('link', { name: /我的任务/ })
    .click();
  await page.getByRole('heading', { level: 1, name: '我的任务' }).waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await openRecordFromInbox(page, recordNumber);
  const verify = actionsOf(page, ZH.actions).getByRole('button', { name: '签署：验证' });
  await whenShown(page, verify);
  await verify.click();
  expect(await dialogOf(page).getByTestId('signature-meaning').textContent()).toBe('验证 — 我已验证本记录。');
  await signInDialog(page, 'qa', { withUsername: false });
  const pdf = page.getByRole('link', { name: '受控记录 PDF（已封签）' });
  await whenShown(page, pdf);
  expect(await pdf.getAttribute('href')).toBe(`/api/records/${recordId}/pdf`);
  expect(await actionsOf(page, ZH.actions).count()).toBe(0);
  await expectChineseRecordPage(page);
  const signatures = page.getByRole('region', { name: ZH.signatures, exact: true });
  await signatures.getByText(ZH.verifies, { exact: true }).nth(2).waitFor();
  expect(await signatures.getByText(ZH.verifies, { exact: true }).count()).toBe(3);
  const closed = (await initiatorApi.get(`/api/change-controls/${recordId}`)).body as {
    status: string;
    history: { from: string | null; to: string }[];
    signatures: { meaning: string; step: string; printedName: string }[];
  };
  expect(closed.status).toBe('closed');

  // The status, the state history and the signatures read in Chinese: the API's keys, each in its words.
  const status = page.getByTestId('record-status');
  expect(await status.textContent()).toBe(ZH_STEPS.closed);
  const history = await cellsOf(page.getByRole('region', { name: ZH.history, exact: true }).getByRole('table'));
  expect(history.map(([, from, to]) => [from, to])).toEqual(closed.history.map((h) => [h.from ? ZH_STEPS[h.from] : '—', ZH_STEPS[h.to]]));
  expect(history.map(([, , to]) => to)).toEqual(expect.arrayContaining(['变更申请', '影响评估', '批准', '实施', '有效性验证', '已关闭']));
  const signed = await cellsOf(signatures.getByRole('table'));
  expect(signed.map(([name, , meaning, step]) => [name, meaning, step])).toEqual(
    closed.signatures.map((s) => [s.printedName, ZH_MEANINGS[s.meaning], ZH_STEPS[s.step]]),
  );
  expect(signed.map(([, , meaning, step]) => `${meaning} ${step}`)).toEqual(expect.arrayContaining(['批准 批准', '验证 有效性验证']));
  // Reasons and comments are what people (or the process, in its own words) wrote: not names to translate.
  const shown = [
    await status.textContent(),
    ...history.map(([when, from, to]) => `${when} ${from} ${to}`),
    ...signed.map((row) => row.filter((_, i) => i !== 4).join(' ')),
  ];
  for (const text of shown) expect(text).not.toMatch(RAW_KEYS);
  // The audit trail says what happened in Chinese, never as the event's key (record.approved).
  const trail = await cellsOf(page.getByTestId('audit-trail'));
  const whats = trail.map(([, , , what]) => what!);
  expect(whats).toEqual(expect.arrayContaining(['已创建', '已提交', '已签名', '已关闭']));
  for (const what of whats) expect(what).not.toMatch(/[a-z]/i);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});

step('a signature copied onto another record is shown there, in Chinese, as not verifying, with the reasons', async () => {
  const other = await changeAwaitingApproval(initiatorApi);
  const copyId = randomUUID();
  await system.database.db.execute(sql`
    INSERT INTO signatures (id, record_id, record_version, content_hash, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, manifest, cms, certificate_serial)
    SELECT ${copyId}, ${other.id}, record_version, ${other.contentHash}, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, manifest, cms, certificate_serial
    FROM signatures WHERE record_id = ${recordId} AND meaning = 'approved' AND printed_name = 'Quentin Adeyemi'`);
  const page = people.pages.qa!;
  await page.goto(`/records/change_control/${other.id}`);
  await expectChineseRecordPage(page);
  const row = page.getByRole('region', { name: ZH.signatures, exact: true }).locator(`[data-signature-id="${copyId}"]`);
  await row.getByText(ZH.doesNotVerify, { exact: true }).waitFor();
  const said = (await row.textContent())!;
  expect(said).toContain('所签内容与存储的签名不一致');
  expect(said).toContain('该签名未绑定本记录版本的内容');
  expect(said).not.toContain(ZH.verifies);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
});
