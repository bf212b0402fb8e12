// The browser app's document journey (issue 13, "done when" (2)), in Debian's chromium against the
// real system: a document controller issues a revision of a work instruction through "New document
// revision" with its file (the page shows the SHA-256 the API computed) and submits it; the reviewer
// and the approver sign (over HTTP: the signing dialog is another page's); it becomes effective, the
// register shows it and the download returns the same bytes; a second revision supersedes it. An
// initiator creates a change control with a Chinese title through "New change control", and a CAPA
// with its source (a nested group), investigation and two actions (a list of objects) through "New
// CAPA", and an NCMR on two lots (a list of objects in the creation schema itself) through "New
// nonconforming material report". Every page passes axe (WCAG 2.1 AA, no serious or critical violation); the creation forms are
// reachable by keyboard.
// Effectiveness is driven by an effective date already past at approval (the durable timer is due at
// once), and read by polling with no short deadline.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { signOff, waitForStatus } from './support/change-control-thread';
import { ncmrBench } from './support/process-threads';
import { launchChromium, openApp, screenshot, seriousAccessibilityViolations, tabOrder } from './support/browser';
import type { HttpSession } from './support/http-session';
import { fieldsOf, type Field, type GroupField, type RowsField } from '../web/src/forms/form-fields';
import type { OpenApiDocument } from '../web/src/forms/json-schema';
import { creatableProcesses } from '../web/src/forms/openapi-processes';
import { startTestSystem, type TestSystem } from './support/test-system';

const NUMBER = 'WI-WEB-0100';
const REV1 = Buffer.from('%PDF-1.7\n% WI-WEB-0100 revision 1: torque the housing screws to 2.5 Nm\n%%EOF\n');
const REV2 = Buffer.from('%PDF-1.7\n% WI-WEB-0100 revision 2: torque the housing screws to 2.8 Nm\n%%EOF\n');
/** The effective date and the signatures can take a while on a busy machine; this only bounds a hang. */
const EFFECTIVE_WAIT_MS = 300_000;

let system: TestSystem;
let browser: Browser;
let page: Page;
let engineering: HttpSession;
let qa: HttpSession;
let doccontrol: HttpSession;
const pageErrors: string[] = [];
const revisionIds: string[] = [];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function signIn(target: Page, username: string): Promise<void> {
  await target.getByRole('heading', { name: 'Sign in' }).waitFor();
  await target.getByLabel(/^Username/).fill(username);
  await target.getByLabel(/^Password/).fill(system.people.passwords[username]!);
  await target.getByRole('button', { name: 'Sign in' }).click();
}

/** axe where the pointer last was: a hovered link or button must keep its contrast too. */
async function expectAccessible(target: Page): Promise<void> {
  expect(await seriousAccessibilityViolations(target)).toEqual([]);
}

/** A date and time `offsetMs` from now as the browser's datetime-local input holds it (its own zone). */
function localDateTime(target: Page, offsetMs: number): Promise<string> {
  return target.evaluate<string>(`(() => {
    const d = new Date(Date.now() + ${offsetMs});
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
  })()`);
}
const aMomentAgo = (target: Page) => localDateTime(target, -120_000);
const aMonthAhead = (target: Page) => localDateTime(target, 30 * 86_400_000);

/** Fills "New document revision" for `NUMBER` (reached from the document's page), uploads `bytes`, and creates and submits it. */
async function issueRevision(bytes: Buffer, fileName: string, summary: string): Promise<string> {
  await page.getByRole('link', { name: 'Documents' }).click();
  await page.getByRole('link', { name: NUMBER, exact: true }).click();
  await page.getByRole('link', { name: `New revision of ${NUMBER}` }).click();
  await page.getByRole('heading', { level: 1, name: 'New document revision' }).waitFor();
  expect(await page.getByLabel(/^Document number/).inputValue()).toBe(NUMBER);
  await page.getByLabel(/^Change summary/).fill(summary);
  await page.locator('input[type="file"]').setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: bytes });
  // The page names the stored file by the SHA-256 the API computed over the bytes it received.
  const shown = page.getByTestId('uploaded-sha256');
  await shown.waitFor();
  expect(await shown.textContent()).toBe(sha256(bytes));
  await page.getByLabel(/^Effective from/).fill(await aMomentAgo(page));
  await page.getByLabel(/^Reviewer roles/).fill('approver_engineering');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Create and submit' }).click();
  await page.waitForURL(/\/records\/document_revision\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: /DOC-\d{4}-\d{4}/ }).waitFor();
  const id = page.url().split('/').at(-1)!;
  revisionIds.push(id);
  return id;
}

/** Engineering reviews and QA approves over HTTP, then the revision is read until it is effective. */
async function reviewApproveAndWait(id: string): Promise<void> {
  const path = `/api/document-revisions/${id}`;
  const submitted = await waitForStatus(doccontrol, path, 'review');
  const reviewed = await engineering.post(`${path}/sign`, signOff(system.people, engineering, 'engineering', submitted as never, 'reviewed'));
  expect([reviewed.status, reviewed.body.record?.status]).toEqual([200, 'approval']);
  const approved = await qa.post(`${path}/sign`, signOff(system.people, qa, 'qa', reviewed.body.record, 'approved'));
  expect(approved.status).toBe(200);
  await waitForStatus(doccontrol, path, 'effective', EFFECTIVE_WAIT_MS);
}

/** The register's row of `NUMBER`, fresh from the API. */
async function registerRow(): Promise<string> {
  await page.goto('/documents');
  await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: NUMBER });
  await row.waitFor();
  return (await row.textContent()) ?? '';
}

/** Downloads through the link named `name` on the current page and returns the bytes' SHA-256. */
async function downloadedSha256(name: string | RegExp): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  const file = await download.path();
  return sha256(fs.readFileSync(file));
}

beforeAll(async () => {
  [system, browser] = await Promise.all([startTestSystem('web_documents'), launchChromium()]);
  [doccontrol, engineering, qa] = await Promise.all([system.people.signer('doccontrol'), system.people.signer('engineering'), system.people.signer('qa')]);
  const registered = await doccontrol.post('/api/documents', {
    number: NUMBER,
    title: 'Housing assembly',
    docType: 'work_instruction',
    ownerUsername: 'production',
  });
  expect(registered.status).toBe(201);
  const chinese = await doccontrol.post('/api/documents', { number: 'SOP-QA-0007', title: '变更控制程序', docType: 'sop', ownerUsername: 'qa' });
  expect(chinese.status).toBe(201);
  page = await openApp(browser, system.baseUrl);
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
afterEach(() => expect(pageErrors).toEqual([]));
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

test("the form builder reads the served OpenAPI document: every process, a revision's draft fields with the file upload, the nested groups and lists of objects", async () => {
  const document = (await (await fetch(`${system.baseUrl}/api/docs/openapi.json`)).json()) as OpenApiDocument;
  const processes = creatableProcesses(document);
  expect(processes.map((p) => p.route)).toEqual(['capas', 'change-controls', 'document-revisions', 'ncmrs']);
  const process = (route: string) => processes.find((p) => p.route === route)!;
  const kinds = (fields: readonly Field[]) => fields.map((f) => [f.name, f.kind, f.required]);
  const draftOf = (route: string) => fieldsOf(process(route).submit!, { omit: fieldsOf(process(route).create).map((f) => f.name) });
  const named = <T extends Field>(fields: readonly Field[], name: string) => fields.find((f) => f.name === name) as T;

  const revision = process('document-revisions');
  expect(kinds(fieldsOf(revision.create))).toEqual([
    ['documentNumber', 'text', true],
    ['changeSummary', 'textarea', true],
  ]);
  expect(kinds(draftOf('document-revisions'))).toEqual([
    ['fileSha256', 'file', false],
    ['effectiveDate', 'datetime', false],
    ['reviewerRoles', 'lines', false],
    ['trainingRoles', 'lines', false],
  ]);
  expect(named(fieldsOf(process('change-controls').create), 'riskLevel')).toMatchObject({ kind: 'select', options: ['low', 'medium', 'high'] });
  // What the creation pages could not draw before the two builders became one: nested groups and
  // lists of objects, in a creation schema (a CAPA's source, an NCMR's lots) or a draft's.
  expect(kinds(fieldsOf(process('capas').create))).toEqual([
    ['title', 'text', true],
    ['description', 'textarea', true],
    ['source', 'group', true],
  ]);
  expect(kinds(draftOf('capas'))).toEqual([
    ['investigation', 'group', false],
    ['actions', 'rows', false],
  ]);
  expect(kinds(named<RowsField>(draftOf('capas'), 'actions').fields)).toEqual([
    ['title', 'text', true],
    ['ownerUsername', 'text', true],
    ['dueAt', 'datetime', false],
    ['changeControl', 'group', false],
  ]);
  const lots = named<RowsField>(fieldsOf(process('ncmrs').create), 'lots');
  expect(lots).toMatchObject({ kind: 'rows', required: true, minItems: 1 });
  expect(kinds(lots.fields)).toEqual([
    // Marked in the schema (x-attestflow-reference: lot): the page draws its lot picker for it.
    ['lotId', 'reference', true],
    ['nonconformingQuantity', 'number', true],
  ]);
  expect(kinds(draftOf('change-controls'))).toEqual([
    ['impact', 'group', false],
    ['implementationTasks', 'rows', false],
  ]);
  expect(named<GroupField>(draftOf('ncmrs'), 'capa').kind).toBe('group');
  expect(named<RowsField>(draftOf('ncmrs'), 'dispositions').kind).toBe('rows');
});

test('the document controller sees the register, searches it, and opens the document with no revision yet', async () => {
  await signIn(page, 'doccontrol');
  await page.getByRole('link', { name: 'Documents' }).click();
  await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
  expect(await page.getByRole('navigation').getByRole('link', { name: 'New record' }).isVisible()).toBe(true);
  expect(await registerRow()).toEqual(expect.stringContaining('Housing assembly'));
  expect(await registerRow()).toContain('Work instruction');
  expect(await registerRow()).toContain('Pedro Rossi');
  expect(await registerRow()).toContain('None yet');
  await expectAccessible(page);

  await page.getByLabel(/^Search/).fill('no such document');
  await page.getByText('No document matches.').waitFor();
  await page.getByLabel(/^Search/).fill('housing');
  await page.getByRole('row').filter({ hasText: NUMBER }).waitFor();

  await page.getByRole('link', { name: NUMBER, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `${NUMBER} · Housing assembly` }).waitFor();
  await page.getByText('No revision yet.').waitFor();
  await expectAccessible(page);
});

test('"New document revision": every field reachable by keyboard; an empty form is refused field by field and creates nothing', async () => {
  await page.getByRole('link', { name: `New revision of ${NUMBER}` }).click();
  await page.getByRole('heading', { level: 1, name: 'New document revision' }).waitFor();
  await expectAccessible(page);
  const reached = await tabOrder(page, 40);
  expect(reached).toEqual(
    expect.arrayContaining([
      'Document number',
      'Change summary',
      'Content file',
      'Effective from',
      'Reviewer roles',
      'Roles to train',
      'Create draft',
      'Create and submit',
    ]),
  );
  await page.getByLabel(/^Document number/).fill('');
  await page.getByRole('button', { name: 'Create and submit' }).click();
  await page.getByRole('alert').filter({ hasText: 'Some fields need attention' }).waitFor();
  expect(await page.getByText('Required', { exact: true }).count()).toBe(2);
  await expectAccessible(page);
  expect((await doccontrol.get(`/api/documents/${NUMBER}`)).body.revisions).toEqual([]);
});

test('revision 1: created with its file and submitted in the browser, signed, effective; the register shows it and the download is the same bytes', async () => {
  const id = await issueRevision(REV1, 'WI-WEB-0100 rev 1.pdf', 'First issue');
  const record = (await doccontrol.get(`/api/document-revisions/${id}`)).body;
  expect(record).toMatchObject({
    status: 'review',
    content: { documentNumber: NUMBER, revision: 1, file: { sha256: sha256(REV1), fileName: 'WI-WEB-0100 rev 1.pdf' } },
  });
  await reviewApproveAndWait(id);

  expect(await registerRow()).toContain('Revision 1');
  // The next periodic review: DOCUMENT_PERIODIC_REVIEW (730 days by default) after it became effective.
  const { nextPeriodicReview } = (await doccontrol.get(`/api/documents/${NUMBER}`)).body as { nextPeriodicReview: string | null };
  expect(nextPeriodicReview).not.toBeNull();
  const effectiveAt = Date.parse(record.content.effectiveDate as string);
  expect(Date.parse(nextPeriodicReview!) - effectiveAt).toBeGreaterThanOrEqual(730 * 86_400_000);
  const reviewCell = page.getByRole('row').filter({ hasText: NUMBER }).getByTestId('next-periodic-review');
  expect(await reviewCell.textContent()).toContain(String(new Date(nextPeriodicReview!).getFullYear()));
  expect(await page.getByRole('columnheader', { name: 'Next periodic review' }).isVisible()).toBe(true);
  await expectAccessible(page);
  await screenshot(page, 'documents-register');

  await page.getByRole('link', { name: NUMBER, exact: true }).click();
  expect(await page.getByTestId('effective-revision').textContent()).toBe('Revision 1');
  const row = page.getByTestId('document-revisions').locator('tr[data-revision="1"]');
  expect(await row.textContent()).toContain('Effective');
  expect(await row.textContent()).toContain(sha256(REV1));
  await expectAccessible(page);
  expect(await downloadedSha256('Download the effective revision')).toBe(sha256(REV1));
});

test('revision 2 supersedes revision 1: the register shows revision 2, each revision downloads its own bytes', async () => {
  const id = await issueRevision(REV2, 'WI-WEB-0100 rev 2.pdf', 'Torque raised to 2.8 Nm');
  await reviewApproveAndWait(id);
  await waitForStatus(doccontrol, `/api/document-revisions/${revisionIds[0]}`, 'superseded', EFFECTIVE_WAIT_MS);

  expect(await registerRow()).toContain('Revision 2');
  await page.getByRole('link', { name: NUMBER, exact: true }).click();
  expect(await page.getByTestId('effective-revision').textContent()).toBe('Revision 2');
  const revisions = page.getByTestId('document-revisions');
  expect(await revisions.locator('tr[data-revision="1"]').textContent()).toContain('Superseded');
  expect(await revisions.locator('tr[data-revision="2"]').textContent()).toContain('Effective');
  await expectAccessible(page);
  expect(await downloadedSha256('Download the effective revision')).toBe(sha256(REV2));
  expect(await downloadedSha256(/^Download revision 1 /)).toBe(sha256(REV1));
});

test('the register and the document page in Simplified Chinese', async () => {
  await page.goto('/documents');
  await page.getByLabel('Language').selectOption('zh-CN');
  await page.getByRole('heading', { level: 1, name: '文件' }).waitFor();
  expect(await page.getByRole('row').filter({ hasText: NUMBER }).textContent()).toContain('第 2 版');
  expect(await page.getByRole('row').filter({ hasText: 'SOP-QA-0007' }).textContent()).toContain('变更控制程序');
  expect(await page.getByRole('columnheader', { name: '现行版本' }).isVisible()).toBe(true);
  expect(await page.getByRole('columnheader', { name: '下次定期审核' }).isVisible()).toBe(true);
  await expectAccessible(page);
  await page.getByRole('link', { name: NUMBER, exact: true }).click();
  expect(await page.getByTestId('document-revisions').locator('tr[data-revision="1"]').textContent()).toContain('已被取代');
  await expectAccessible(page);
  await page.getByLabel('语言').selectOption('en');
});

test('an initiator creates a change control with a Chinese title through "New change control" and lands on its page', async () => {
  const initiatorPage = await openApp(browser, system.baseUrl);
  initiatorPage.on('pageerror', (error) => pageErrors.push(error.message));
  await system.people.session('initiator');
  await signIn(initiatorPage, 'initiator');
  await initiatorPage.getByRole('navigation').getByRole('link', { name: 'New record' }).click();
  await initiatorPage.getByRole('heading', { level: 1, name: 'New record' }).waitFor();
  await expectAccessible(initiatorPage);
  await initiatorPage.getByRole('link', { name: 'New change control' }).click();
  await initiatorPage.getByRole('heading', { level: 1, name: 'New change control' }).waitFor();
  await expectAccessible(initiatorPage);
  const reached = await tabOrder(initiatorPage, 40);
  expect(reached).toEqual(expect.arrayContaining(['Title', 'Description', 'Reason', 'Risk level', 'Create draft']));

  await initiatorPage.getByLabel(/^Title/).fill('更换外壳 O 形圈供应商');
  await initiatorPage.getByLabel(/^Description/).fill('O 形圈 4711 停产，需认证第二供应商。');
  await initiatorPage.getByLabel(/^Reason/).fill('供应商停产该零件');
  // The draft's impact assessment (offered to create and submit in one go) has a risk level of its own.
  await initiatorPage
    .getByLabel(/^Risk level/)
    .first()
    .selectOption('medium');
  expect(
    await initiatorPage
      .getByRole('group', { name: /^Impact assessment/ })
      .getByLabel(/^Risk level/)
      .count(),
  ).toBe(1);
  await initiatorPage.getByRole('button', { name: 'Create draft' }).click();
  await initiatorPage.waitForURL(/\/records\/change_control\/[0-9a-f-]{36}$/);
  const heading = initiatorPage.getByRole('heading', { level: 1, name: /CC-\d{4}-\d{4}/ });
  await heading.waitFor();
  expect(await heading.textContent()).toContain('更换外壳 O 形圈供应商');
  const id = initiatorPage.url().split('/').at(-1)!;
  const initiator = await system.people.session('initiator');
  const created = (await initiator.get(`/api/change-controls/${id}`)).body;
  expect(created).toMatchObject({ status: 'draft', content: { title: '更换外壳 O 形圈供应商', riskLevel: 'medium', reason: '供应商停产该零件' } });
  await initiatorPage.context().close();
});

test('an initiator creates a CAPA through "New CAPA": its source, its investigation and two actions, checked field by field, then in the API', async () => {
  const initiatorPage = await openApp(browser, system.baseUrl);
  initiatorPage.on('pageerror', (error) => pageErrors.push(error.message));
  const initiator = await system.people.session('initiator');
  await signIn(initiatorPage, 'initiator');
  await initiatorPage.getByRole('navigation').getByRole('link', { name: 'New record' }).click();
  await initiatorPage.getByRole('link', { name: 'New CAPA' }).click();
  await initiatorPage.getByRole('heading', { level: 1, name: 'New CAPA' }).waitFor();
  await expectAccessible(initiatorPage);

  const form = initiatorPage.getByRole('form', { name: 'New CAPA' });
  await form
    .getByRole('textbox', { name: /^Title/ })
    .first()
    .fill('Seal leaks on housing 4711');
  await form
    .getByRole('textbox', { name: /^Description/ })
    .first()
    .fill('Three field returns in May with a leaking housing seal.');
  const source = form.getByRole('group', { name: 'Source' });
  await source.getByLabel(/^Kind of source/).selectOption('complaint');
  await source.getByLabel(/^Reference/).fill('CMP-2026-0042');
  const investigation = form.getByRole('group', { name: 'Investigation' });
  await investigation.getByLabel(/^Root cause/).fill('The second-source O-ring is 0.1 mm thinner than the drawing allows.');
  await investigation.getByLabel(/^Investigation method/).fill('5 Whys');

  // Two actions, each added by keyboard: a row is a group of its own fields, removable.
  const add = form.getByRole('button', { name: 'Add to Actions' });
  for (let i = 0; i < 2; i++) {
    await add.focus();
    await initiatorPage.keyboard.press('Enter');
  }
  const action = (n: number) => form.getByRole('group', { name: `Actions ${n}`, exact: true });
  await action(2).waitFor();
  await action(1)
    .getByRole('textbox', { name: /^Title/ })
    .first()
    .fill('Reject the thin O-ring lot and requalify the supplier');
  await action(1)
    .getByRole('textbox', { name: /^Owner/ })
    .fill('engineering');
  await action(2)
    .getByRole('textbox', { name: /^Title/ })
    .first()
    .fill('Retrain the assemblers on seal fitting');
  const due = await aMonthAhead(initiatorPage);
  await action(2).getByLabel(/^Due/).fill(due);
  const reached = await tabOrder(initiatorPage, 70);
  expect(reached).toEqual(
    expect.arrayContaining([
      'Kind of source',
      'Reference',
      'Root cause',
      'Investigation method',
      'Remove Actions 1',
      'Remove Actions 2',
      'Add to Actions',
      'Create and submit',
    ]),
  );
  await expectAccessible(initiatorPage);

  await screenshot(initiatorPage, 'new-capa');

  // The second action has no owner: the form says so in that row, and nothing is created.
  const before = (await initiator.get('/api/capas')).body.total as number;
  await form.getByRole('button', { name: 'Create and submit' }).click();
  await initiatorPage.getByRole('alert').filter({ hasText: 'Some fields need attention' }).waitFor();
  expect(
    await action(2)
      .getByRole('textbox', { name: /^Owner/ })
      .getAttribute('aria-invalid'),
  ).toBe('true');
  expect(await action(1).getByText('Required', { exact: true }).count()).toBe(0);
  await expectAccessible(initiatorPage);
  expect((await initiator.get('/api/capas')).body.total).toBe(before);

  await action(2)
    .getByRole('textbox', { name: /^Owner/ })
    .fill('production');
  await form.getByRole('button', { name: 'Create and submit' }).click();
  await initiatorPage.waitForURL(/\/records\/capa\/[0-9a-f-]{36}$/);
  await initiatorPage.getByRole('heading', { level: 1, name: /CAPA-\d{4}-\d{4}/ }).waitFor();
  await expectAccessible(initiatorPage);
  const id = initiatorPage.url().split('/').at(-1)!;
  const created = (await initiator.get(`/api/capas/${id}`)).body;
  const dueIso = await initiatorPage.evaluate<string, string>((local) => new Date(local).toISOString(), due);
  expect(created).toMatchObject({
    status: 'investigation',
    content: {
      title: 'Seal leaks on housing 4711',
      source: { kind: 'complaint', reference: 'CMP-2026-0042' },
      investigation: { rootCause: 'The second-source O-ring is 0.1 mm thinner than the drawing allows.', method: '5 Whys' },
      actions: [
        { key: 'action-1', title: 'Reject the thin O-ring lot and requalify the supplier', ownerName: 'Elena Novak', dueAt: null },
        { key: 'action-2', title: 'Retrain the assemblers on seal fitting', ownerName: 'Pedro Rossi', dueAt: dueIso },
      ],
    },
  });
  expect(created.content.actions[0].changeControl ?? null).toBeNull();
  expect((await initiator.get('/api/capas')).body.total).toBe(before + 1);
  await initiatorPage.context().close();
});

test('an initiator reports an NCMR on two lots through "New nonconforming material report": lots are rows, a zero quantity is refused', async () => {
  const bench = await ncmrBench(system.people);
  const lots = [await bench.lot(), await bench.lot()];
  const initiatorPage = await openApp(browser, system.baseUrl);
  initiatorPage.on('pageerror', (error) => pageErrors.push(error.message));
  await signIn(initiatorPage, 'initiator');
  await initiatorPage.getByRole('navigation').getByRole('link', { name: 'New record' }).click();
  await initiatorPage.getByRole('link', { name: 'New nonconforming material report' }).click();
  const form = initiatorPage.getByRole('form', { name: 'New nonconforming material report' });
  await form.waitFor();
  await form
    .getByRole('textbox', { name: /^Title/ })
    .first()
    .fill('Burrs on the sealing face of housing 4711');
  await form
    .getByRole('textbox', { name: /^Description/ })
    .first()
    .fill('Found at incoming inspection on two lots.');
  await form.getByLabel(/^Detected at/).selectOption('incoming');
  await form.getByLabel(/^Defect code/).fill('VIS-DMG');

  // A report needs at least one lot: with none, the list says so and nothing is created.
  const before = (await bench.initiator.get('/api/ncmrs')).body.total as number;
  await form.getByRole('button', { name: 'Create draft' }).click();
  await form.getByRole('group', { name: /^Lots/ }).getByText('Required', { exact: true }).waitFor();
  await expectAccessible(initiatorPage);

  const add = form.getByRole('button', { name: 'Add to Lots' });
  const lot = (n: number) => form.getByRole('group', { name: `Lots ${n}`, exact: true });
  // Each lot is picked by typing its lot number, by keyboard alone: no UUID is typed or pasted.
  const rows: [string, string][] = [
    ['H-0001', '40'],
    ['H-0002', '0'],
  ];
  for (const [index, [lotNumber, quantity]] of rows.entries()) {
    await add.focus();
    await initiatorPage.keyboard.press('Enter');
    // A row added: the list's "Required" no longer stands.
    if (index === 0) expect(await form.getByRole('group', { name: /^Lots/ }).first().getByText('Required', { exact: true }).count()).toBe(0);
    const picker = lot(index + 1).getByRole('combobox', { name: /^Lot\b/ });
    // From "Add to Lots", Shift+Tab walks back through the new row to its lot picker.
    for (let presses = 0; presses < 8 && !(await picker.evaluate((el) => el === el.ownerDocument.activeElement)); presses++) {
      await initiatorPage.keyboard.press('Shift+Tab');
    }
    expect(await picker.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await initiatorPage.keyboard.type(lotNumber);
    // The list holds the lots whose number or part number contains the text, each with its item, status and quantity.
    const other = rows[1 - index]![0];
    const option = initiatorPage.getByRole('option', { name: new RegExp(`^${lotNumber}\\b`) });
    await option.waitFor();
    await initiatorPage.getByRole('option', { name: new RegExp(`^${other}\\b`) }).waitFor({ state: 'detached' });
    expect(await option.textContent()).toBe(`${lotNumber} · CMP-HOUSING rev. A Released · 100 of 100 pcs left`);
    if (index === 1) {
      await expectAccessible(initiatorPage);
      await screenshot(initiatorPage, 'new-ncmr-lot-picker');
    }
    await initiatorPage.keyboard.press('ArrowDown');
    await initiatorPage.keyboard.press('Enter');
    await initiatorPage.getByRole('listbox').waitFor({ state: 'detached' });
    expect(await picker.inputValue()).toBe(`${lotNumber} · CMP-HOUSING rev. A`);
    await lot(index + 1)
      .getByLabel(/^Nonconforming quantity/)
      .fill(quantity);
  }
  const reached = await tabOrder(initiatorPage, 40);
  expect(reached.filter((name) => name === 'Lot')).toHaveLength(2);
  expect(reached).toEqual(expect.arrayContaining(['Defect code', 'Nonconforming quantity', 'Remove Lots 2', 'Add to Lots']));
  await form.getByRole('button', { name: 'Create draft' }).click();
  await lot(2).getByText('More than 0', { exact: true }).waitFor();
  expect((await bench.initiator.get('/api/ncmrs')).body.total).toBe(before);
  await expectAccessible(initiatorPage);

  await lot(2)
    .getByLabel(/^Nonconforming quantity/)
    .fill('5');
  await form.getByRole('button', { name: 'Create draft' }).click();
  await initiatorPage.waitForURL(/\/records\/ncmr\/[0-9a-f-]{36}$/);
  await initiatorPage.getByRole('heading', { level: 1, name: /NCMR-\d{4}-\d{4}/ }).waitFor();
  const created = (await bench.initiator.get(`/api/ncmrs/${initiatorPage.url().split('/').at(-1)!}`)).body;
  expect(created).toMatchObject({
    status: 'reported',
    content: {
      detectionPoint: 'incoming',
      defectCode: 'VIS-DMG',
      lots: [
        { lotId: lots[0], lotNumber: 'H-0001' },
        { lotId: lots[1], lotNumber: 'H-0002' },
      ],
    },
  });
  expect(created.content.lots.map((l: { nonconformingQuantity: unknown }) => Number(l.nonconformingQuantity))).toEqual([40, 5]);
  await initiatorPage.context().close();
});
