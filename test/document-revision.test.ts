// The document revision process end to end (processes/document-revision/document-revision.process.ts),
// through the HTTP API against the real Temporal dev server, PostgreSQL and Redis: draft with its
// file → review → approval → training → pending_effective (durable timer until the effective date)
// → effective (periodic review; obsolete) → superseded by the next revision; rejection, amendment,
// separation of duties, refusals outside a step and cancellation. Timers run in seconds here.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { signOff } from './support/change-control-thread';
import type { ProcessRecordView } from '../api/processes/process-record.view';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';
import { PATIENCE_MS } from './support/patience';

const REVISIONS = '/api/document-revisions';
/** DOCUMENT_PERIODIC_REVIEW for this file: an effective revision asks for its periodic review after this long. */
const PERIODIC_REVIEW_SECONDS = 4;
/** How far in the future a submitted revision becomes effective: after its review and approval are signed. */
const EFFECTIVE_IN_SECONDS = 6;

/** The API's record view, with the content open for assertions. */
type RevisionView = Omit<ProcessRecordView, 'content'> & { content: Record<string, any> };

interface InboxEntry {
  taskId: string;
  recordId: string;
  step: string;
  action: string;
  title: string;
  assigneeRole: string | null;
}

interface Response<T = any> {
  status: number;
  body: T;
}

let system: TestSystem;
let doccontrol: HttpSession;
let engineering: HttpSession;
let production: HttpSession;
let qa: HttpSession;
let manager: HttpSession;

beforeAll(async () => {
  system = await startTestSystem('document_revision', { env: { DOCUMENT_PERIODIC_REVIEW: `${PERIODIC_REVIEW_SECONDS}s`, TASK_DUE: '10d' } });
  // Everyone has acknowledged the e-signature policy, so a refusal below is never about that.
  doccontrol = await system.people.signer('doccontrol');
  engineering = await system.people.signer('engineering');
  production = await system.people.signer('production');
  qa = await system.people.signer('qa');
  manager = await system.people.signer('manager');
});
afterAll(() => system?.close());

// ---- small helpers ----------------------------------------------------------------------------

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The bytes of a (tiny) document file, distinct per label. */
const fileBytes = (label: string) => Buffer.from(`%PDF-1.7\n% ${label}\n%%EOF\n`);

/** The body of a response that must have succeeded; otherwise fails with what the API said. */
function expectOk<T = any>(what: string, response: Response<T>, status = 200): T {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Polls `probe` every 250 ms until it returns a value (not undefined), for at most `timeoutMs`. */
async function eventually<T>(describe: () => string, probe: () => Promise<T | undefined>, timeoutMs = PATIENCE_MS): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(250);
  }
}

// ---- documents and files ----------------------------------------------------------------------

async function registerDocument(number: string, title: string): Promise<void> {
  expectOk(`register ${number}`, await doccontrol.post('/api/documents', { number, title, docType: 'work_instruction', ownerUsername: 'production' }), 201);
}

/** Uploads raw bytes (the request body is the file) and returns their SHA-256 as the API names them. */
async function uploadFile(bytes: Buffer, fileName: string): Promise<string> {
  const response = await fetch(`${system.baseUrl}/api/documents/files?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { cookie: doccontrol.cookie ?? '', 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  const body = (await response.json()) as { sha256: string };
  expectOk(`upload ${fileName}`, { status: response.status, body }, 201);
  expect(body.sha256).toBe(sha256(bytes));
  return body.sha256;
}

async function download(session: HttpSession, path: string) {
  const response = await fetch(`${system.baseUrl}${path}`, { headers: { cookie: session.cookie ?? '' } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: response.status, bytes, json, sha256Header: response.headers.get('x-content-sha256') };
}

async function documentView(number: string) {
  return expectOk(`GET document ${number}`, await production.get(`/api/documents/${number}`));
}

// ---- revisions --------------------------------------------------------------------------------

async function revision(id: string, session: HttpSession = doccontrol): Promise<RevisionView> {
  return expectOk(`GET revision ${id}`, await session.get<RevisionView>(`${REVISIONS}/${id}`));
}

async function waitForStatus(id: string, ...statuses: string[]): Promise<RevisionView> {
  let last = '(not read yet)';
  return eventually(
    () => `revision ${id} is "${last}", not ${statuses.join(' or ')}`,
    async () => {
      const view = await revision(id);
      last = view.status;
      return statuses.includes(view.status) ? view : undefined;
    },
  );
}

async function createRevision(documentNumber: string, changeSummary: string): Promise<RevisionView> {
  return expectOk(`create a revision of ${documentNumber}`, await doccontrol.post<RevisionView>(REVISIONS, { documentNumber, changeSummary }), 201);
}

const submit = (id: string, fields: object = {}): Promise<Response> => doccontrol.post(`${REVISIONS}/${id}/submit`, fields);

/** What a draft is submitted with: its file, an effective date a few seconds ahead, engineering reviews, production trains. */
function draftFields(fileSha256: string, overrides: object = {}) {
  return {
    fileSha256,
    effectiveDate: inSeconds(EFFECTIVE_IN_SECONDS),
    reviewerRoles: ['approver_engineering'],
    trainingRoles: ['approver_production'],
    ...overrides,
  };
}

/** An e-signature of the current step by `username`, on the version `record` shows. */
function sign(session: HttpSession, username: string, record: Pick<RevisionView, 'id' | 'version' | 'contentHash'>, meaning: string): Promise<Response> {
  return session.post(`${REVISIONS}/${record.id}/sign`, signOff(system.people, session, username, record, meaning));
}

function reject(session: HttpSession, username: string, record: Pick<RevisionView, 'id' | 'version' | 'contentHash'>, reason: string): Promise<Response> {
  return session.post(`${REVISIONS}/${record.id}/reject`, {
    signatureId: randomUUID(),
    ...system.people.credentials(session, username),
    recordVersion: record.version,
    contentHash: record.contentHash,
    reason,
  });
}

/** A new revision of `documentNumber` with its own file, submitted: in review. */
async function revisionInReview(documentNumber: string, label: string, overrides: object = {}): Promise<RevisionView> {
  const sha = await uploadFile(fileBytes(label), `${label}.pdf`);
  const draft = await createRevision(documentNumber, label);
  const submitted = expectOk(`submit ${label}`, await submit(draft.id, draftFields(sha, overrides)));
  expect(submitted.status).toBe('review');
  return submitted;
}

/** Engineering reviews, QA approves, and the revision is waited for until it is effective. */
async function reviewApproveAndWait(record: RevisionView): Promise<RevisionView> {
  const reviewed = expectOk('review', await sign(engineering, 'engineering', record, 'reviewed'));
  expect(reviewed.record.status).toBe('approval');
  expectOk('approve', await sign(qa, 'qa', reviewed.record, 'approved'));
  return waitForStatus(record.id, 'effective');
}

async function inbox(session: HttpSession): Promise<InboxEntry[]> {
  return expectOk('GET inbox', await session.get<{ items: InboxEntry[] }>('/api/inbox')).items;
}

async function auditActions(recordId: string): Promise<string[]> {
  const events = expectOk(`audit of ${recordId}`, await doccontrol.get<{ action: string }[]>(`/api/records/${recordId}/audit`));
  return events.map((e) => e.action);
}

/** Everything that would show a change of the record: status, version, content, history, signatures. */
const unchanged = (record: RevisionView) => ({
  status: record.status,
  version: record.version,
  contentHash: record.contentHash,
  history: record.history,
  signatures: record.signatures,
});

// ---- the tests ---------------------------------------------------------------------------------

describe('main path: a work instruction issued, then revised', () => {
  const NUMBER = 'WI-PRD-0100';
  const REV1 = fileBytes('WI-PRD-0100 revision 1: torque the housing screws to 2.5 Nm');
  const REV2 = fileBytes('WI-PRD-0100 revision 2: torque the housing screws to 2.8 Nm');
  let first: RevisionView;

  beforeAll(() => registerDocument(NUMBER, 'Housing assembly'));

  test('revision 1: drafted, reviewed, approved, training assigned, effective on its date; its file is the uploaded bytes', async () => {
    const sha = await uploadFile(REV1, 'WI-PRD-0100 rev 1.pdf');
    const created = await createRevision(NUMBER, 'First issue');
    expect(created).toMatchObject({
      type: 'document_revision',
      number: expect.stringMatching(/^DOC-\d{4}-\d{4}$/),
      status: 'draft',
      version: 1,
      content: { documentNumber: NUMBER, revision: 1, changeSummary: 'First issue', file: null },
    });

    const effectiveDate = inSeconds(EFFECTIVE_IN_SECONDS);
    const submitted = expectOk('submit', await submit(created.id, draftFields(sha, { effectiveDate })));
    expect(submitted).toMatchObject({
      status: 'review',
      version: 2,
      content: { file: { sha256: sha, fileName: 'WI-PRD-0100 rev 1.pdf', size: REV1.length }, effectiveDate, trainingRoles: ['approver_production'] },
      quorum: [{ role: 'approver_engineering', signedBy: null }],
    });
    expect(await inbox(engineering)).toEqual(
      expect.arrayContaining([expect.objectContaining({ recordId: created.id, step: 'review', action: 'sign', assigneeRole: 'approver_engineering' })]),
    );

    const reviewed = expectOk('review', await sign(engineering, 'engineering', submitted, 'reviewed'));
    expect(reviewed.signature).toMatchObject({ printedName: 'Elena Novak', meaning: 'reviewed', step: 'review', recordVersion: 2, invalidated: null });
    expect(reviewed.record).toMatchObject({ status: 'approval', quorum: [{ role: 'qa', signedBy: null }] });

    const approved = expectOk('approve', await sign(qa, 'qa', reviewed.record, 'approved'));
    expect(approved.signature).toMatchObject({ printedName: 'Quentin Adeyemi', meaning: 'approved', step: 'approval', recordVersion: 2 });

    // Training is assigned, then the revision waits (durable timer) for its effective date.
    await waitForStatus(created.id, 'pending_effective', 'becoming_effective', 'effective');
    const training = (await inbox(production)).filter((t) => t.recordId === created.id);
    expect(training).toEqual([expect.objectContaining({ step: 'training', action: 'train', title: `Read and train on ${NUMBER} revision 1` })]);

    first = await waitForStatus(created.id, 'effective');
    expect(first.history.map((h) => h.to)).toEqual(['draft', 'review', 'approval', 'training', 'pending_effective', 'becoming_effective', 'effective']);
    const timerElapsed = first.history.find((h) => h.from === 'pending_effective')!;
    expect(Date.parse(timerElapsed.at)).toBeGreaterThanOrEqual(Date.parse(effectiveDate));
    expect(first.allowedActions).toEqual(expect.arrayContaining([{ action: 'obsolete', step: 'effective' }]));

    const file = await download(production, `/api/documents/${NUMBER}/file`);
    expect(file.status).toBe(200);
    expect(sha256(file.bytes)).toBe(sha256(REV1));
    expect(file.sha256Header).toBe(sha);
    expect((await documentView(NUMBER)).effectiveRevision).toBe(1);
    expect(await auditActions(first.id)).toEqual(expect.arrayContaining(['record.training_assigned', 'training.assigned', 'document.effective']));
  });

  test('revision 2 becomes effective and supersedes revision 1; each revision keeps its own file', async () => {
    expect(first?.status).toBe('effective');
    const sha2 = await uploadFile(REV2, 'WI-PRD-0100 rev 2.pdf');
    const draft = await createRevision(NUMBER, 'Torque raised to 2.8 Nm');
    expect(draft.content.revision).toBe(2);
    const submitted = expectOk('submit revision 2', await submit(draft.id, draftFields(sha2)));
    const second = await reviewApproveAndWait(submitted);

    const superseded = await waitForStatus(first.id, 'superseded');
    expect(superseded.history.at(-1)).toMatchObject({ from: 'effective', to: 'superseded' });
    expect(superseded.allowedActions).toEqual([]);

    const latest = await download(production, `/api/documents/${NUMBER}/file`);
    expect([latest.status, sha256(latest.bytes), latest.sha256Header]).toEqual([200, sha256(REV2), sha2]);
    const old = await download(production, `/api/documents/${NUMBER}/file?revision=1`);
    expect([old.status, sha256(old.bytes), old.sha256Header]).toEqual([200, sha256(REV1), sha256(REV1)]);

    const document = await documentView(NUMBER);
    expect(document.effectiveRevision).toBe(2);
    expect(document.revisions.filter((r: { status: string }) => r.status === 'effective')).toEqual([
      expect.objectContaining({ revision: 2, recordId: second.id, file: expect.objectContaining({ sha256: sha2 }) }),
    ]);
    expect(document.revisions).toEqual(
      expect.arrayContaining([expect.objectContaining({ revision: 1, recordId: first.id, status: 'superseded', statusAt: expect.any(String) })]),
    );

    expect(await auditActions(second.id)).toContain('document.effective');
    expect(await auditActions(first.id)).toContain('record.superseded');
  });
});

describe('submitting an incomplete draft', () => {
  const NUMBER = 'WI-PRD-0200';

  beforeAll(() => registerDocument(NUMBER, 'Label printing'));

  test('without a file: 422 incomplete_content, and the draft is unchanged', async () => {
    const draft = await createRevision(NUMBER, 'No file yet');
    const refused = await submit(draft.id, { effectiveDate: inSeconds(60), reviewerRoles: ['approver_engineering'] });
    expect([refused.status, refused.body.code]).toEqual([422, 'incomplete_content']);
    expect(refused.body.message).toContain('file');
    const after = await revision(draft.id);
    expect(unchanged(after)).toEqual(unchanged(draft));
    expect(after).toMatchObject({ status: 'draft', version: 1 });
  });

  test('with a file but no effective date: 422 incomplete_content; an unknown file hash: 422 unknown_file', async () => {
    const draft = await createRevision(NUMBER, 'No date yet');
    const sha = await uploadFile(fileBytes('WI-PRD-0200 undated'), 'undated.pdf');
    const undated = await submit(draft.id, { fileSha256: sha });
    expect([undated.status, undated.body.code]).toEqual([422, 'incomplete_content']);
    expect(undated.body.message).toContain('effective date');
    const unknownFile = await submit(draft.id, draftFields('0'.repeat(64)));
    expect([unknownFile.status, unknownFile.body.code]).toEqual([422, 'unknown_file']);
    expect(unchanged(await revision(draft.id))).toEqual(unchanged(draft));
  });
});

describe('review: rejection and amendment', () => {
  const NUMBER = 'WI-PRD-0300';

  beforeAll(() => registerDocument(NUMBER, 'Leak test'));

  test('a reviewer rejects with a reason: back to draft with the reason in the history; the corrected draft is resubmitted and reviewed', async () => {
    const inReview = await revisionInReview(NUMBER, 'WI-PRD-0300 leak test, first draft');
    const reason = 'Step 4 gives no test pressure.';
    const rejected = expectOk('reject', await reject(engineering, 'engineering', inReview, reason));
    expect(rejected.signature).toMatchObject({ printedName: 'Elena Novak', meaning: 'rejected', step: 'review', comment: reason });
    expect(rejected.record.status).toBe('draft');
    expect(rejected.record.history.at(-1)).toMatchObject({ from: 'review', to: 'draft', reason });
    expect(await auditActions(inReview.id)).toContain('record.rejected');

    const corrected = await uploadFile(fileBytes('WI-PRD-0300 leak test, test pressure 2 bar'), 'corrected.pdf');
    const resubmitted = expectOk('resubmit', await submit(inReview.id, { fileSha256: corrected }));
    expect(resubmitted).toMatchObject({
      status: 'review',
      version: inReview.version + 1,
      content: { file: { sha256: corrected } },
      quorum: [{ role: 'approver_engineering', signedBy: null }],
    });
    expect(resubmitted.history.map((h: { to: string }) => h.to)).toEqual(['draft', 'review', 'draft', 'review']);

    const reviewed = expectOk('review again', await sign(engineering, 'engineering', resubmitted, 'reviewed'));
    expect(reviewed.record.status).toBe('approval');
  });

  test('an amendment after one of two review signatures invalidates it and reopens its place; a stale version is refused', async () => {
    const inReview = await revisionInReview(NUMBER, 'WI-PRD-0300 leak test, two reviewers', { reviewerRoles: ['approver_engineering', 'approver_production'] });
    expect(inReview.quorum).toEqual([
      { role: 'approver_engineering', signedBy: null },
      { role: 'approver_production', signedBy: null },
    ]);
    const byEngineering = expectOk('engineering reviews', await sign(engineering, 'engineering', inReview, 'reviewed'));
    expect(byEngineering.record).toMatchObject({
      status: 'review',
      quorum: [
        { role: 'approver_engineering', signedBy: expect.any(String) },
        { role: 'approver_production', signedBy: null },
      ],
    });

    const amendReason = 'Reviewer comment: name the test medium';
    const amended = expectOk(
      'amend',
      await doccontrol.post(`${REVISIONS}/${inReview.id}/amend`, {
        changes: { changeSummary: 'Leak test with dry air' },
        reason: amendReason,
        baseVersion: byEngineering.record.version,
      }),
    );
    expect(amended).toMatchObject({
      status: 'review',
      version: byEngineering.record.version + 1,
      content: { changeSummary: 'Leak test with dry air', file: inReview.content.file, reviewerRoles: ['approver_engineering', 'approver_production'] },
      quorum: [
        { role: 'approver_engineering', signedBy: null },
        { role: 'approver_production', signedBy: null },
      ],
    });
    expect(amended.contentHash).not.toBe(inReview.contentHash);
    expect(amended.signatures).toEqual([
      expect.objectContaining({
        id: byEngineering.signature.id,
        recordVersion: inReview.version,
        invalidated: { byVersion: amended.version, reason: amendReason, at: expect.any(String) },
      }),
    ]);
    expect(amended.openTasks.filter((t: { action: string }) => t.action === 'sign').map((t: { assigneeRole: string }) => t.assigneeRole)).toEqual(
      expect.arrayContaining(['approver_engineering', 'approver_production']),
    );

    // What a signer or an author saw before the amendment is no longer the record.
    const staleSignature = await sign(production, 'production', inReview, 'reviewed');
    expect([staleSignature.status, staleSignature.body.code]).toEqual([409, 'stale_version']);
    const staleAmendment = await doccontrol.post(`${REVISIONS}/${inReview.id}/amend`, {
      changes: { changeSummary: 'Something else' },
      reason: 'Working from an old copy',
      baseVersion: inReview.version,
    });
    expect([staleAmendment.status, staleAmendment.body.code]).toEqual([409, 'stale_version']);
    expect(unchanged(await revision(inReview.id))).toEqual(unchanged(amended));

    const byProduction = expectOk('production reviews', await sign(production, 'production', amended, 'reviewed'));
    expect(byProduction.record).toMatchObject({
      status: 'review',
      quorum: [
        { role: 'approver_engineering', signedBy: null },
        { role: 'approver_production', signedBy: expect.any(String) },
      ],
    });
    const again = expectOk('engineering reviews the amended version', await sign(engineering, 'engineering', byProduction.record, 'reviewed'));
    expect(again.signature).toMatchObject({ meaning: 'reviewed', recordVersion: amended.version, invalidated: null });
    expect(again.record.status).toBe('approval');
    expect(await auditActions(inReview.id)).toContain('record.amended');
  });
});

describe('who may act, and when', () => {
  const NUMBER = 'WI-PRD-0400';

  beforeAll(() => registerDocument(NUMBER, 'Final inspection'));

  test('the author cannot review their own revision (self_approval), nor can someone without a reviewer role (not_authorised)', async () => {
    const inReview = await revisionInReview(NUMBER, 'WI-PRD-0400 final inspection', { reviewerRoles: ['approver_engineering'] });
    expect(inReview.allowedActions?.map((a) => a.action)).not.toContain('sign');

    const byAuthor = await sign(doccontrol, 'doccontrol', inReview, 'reviewed');
    expect([byAuthor.status, byAuthor.body.code]).toEqual([403, 'self_approval']);
    const byManager = await sign(manager, 'manager', inReview, 'reviewed');
    expect([byManager.status, byManager.body.code]).toEqual([403, 'not_authorised']);

    const after = await revision(inReview.id);
    expect(unchanged(after)).toEqual(unchanged(inReview));
    expect(after.signatures).toEqual([]);
    expect(after.quorum).toEqual([{ role: 'approver_engineering', signedBy: null }]);
  });

  test('an action outside its step is refused with 409 step_not_allowed naming the step; nothing changes', async () => {
    const draft = await createRevision(NUMBER, 'Not submitted yet');
    const obsolete = await doccontrol.post(`${REVISIONS}/${draft.id}/obsolete`, { reason: 'Withdrawn' });
    expect([obsolete.status, obsolete.body.code, obsolete.body.details]).toEqual([409, 'step_not_allowed', { step: 'draft' }]);
    const signed = await sign(engineering, 'engineering', draft, 'reviewed');
    expect([signed.status, signed.body.code, signed.body.details]).toEqual([409, 'step_not_allowed', { step: 'draft' }]);

    expect(unchanged(await revision(draft.id))).toEqual(unchanged(draft));
    expect(await auditActions(draft.id)).toEqual(['record.created']);
  });
});

describe('an effective revision: periodic review, then obsolete', () => {
  const NUMBER = 'WI-PRD-0500';
  let effective: RevisionView;

  beforeAll(async () => {
    await registerDocument(NUMBER, 'Packaging');
    effective = await reviewApproveAndWait(await revisionInReview(NUMBER, 'WI-PRD-0500 packaging'));
  });

  test(`a periodic review task for document control appears within ~${PERIODIC_REVIEW_SECONDS} s; completing it takes it out of the inbox`, async () => {
    const task = await eventually(
      () => `no periodic review task for ${effective.number} in doccontrol's inbox`,
      async () => (await inbox(doccontrol)).find((t) => t.recordId === effective.id && t.action === 'review'),
      (PERIODIC_REVIEW_SECONDS + 10) * 1000,
    );
    expect(task).toMatchObject({ step: 'effective', assigneeRole: 'document_controller', title: expect.stringContaining('Periodic review due') });
    expect((await inbox(production)).map((t) => t.taskId)).not.toContain(task.taskId);

    const complete = (session: HttpSession) => session.post(`${REVISIONS}/${effective.id}/tasks/${task.taskId}/complete`, { note: 'Still accurate' });
    const byProduction = await complete(production);
    expect([byProduction.status, byProduction.body.code]).toEqual([403, 'not_authorised']);

    const done = expectOk('complete the periodic review', await complete(doccontrol));
    expect(done.status).toBe('effective');
    expect(done.openTasks.map((t: { id: string }) => t.id)).not.toContain(task.taskId);
    expect((await inbox(doccontrol)).map((t) => t.taskId)).not.toContain(task.taskId);

    const again = await complete(doccontrol);
    expect([again.status, again.body.code]).toEqual([409, 'task_not_open']);
    expect(await auditActions(effective.id)).toEqual(expect.arrayContaining(['task.periodic_review_due', 'task.completed']));
  });

  test('the register and the document name the next periodic review: the current period\u2019s start plus the period the process was started with', async () => {
    const entered = Date.parse(effective.history.find((h) => h.to === 'effective')!.at);
    // The current period starts when the revision became effective, or when its latest review task
    // opened (the process waits the period again from there); a review task may open between reads.
    const periodStart = async () => {
      const result = await system.database.db.execute<{ at: Date | string | null }>(
        sql`SELECT max(opened_at) AS at FROM tasks WHERE record_id = ${effective.id} AND step = 'effective' AND action = 'review'`,
      );
      const opened = result.rows[0]!.at;
      return Math.max(entered, opened === null ? 0 : new Date(opened).getTime());
    };
    for (;;) {
      const before = await periodStart();
      const listed = expectOk('register', await production.get<{ number: string; nextPeriodicReview: string | null }[]>(`/api/documents?q=${NUMBER}`));
      const document = await documentView(NUMBER);
      if ((await periodStart()) !== before) continue;
      const expected = new Date(before + PERIODIC_REVIEW_SECONDS * 1000).toISOString();
      expect(listed.find((d) => d.number === NUMBER)?.nextPeriodicReview).toBe(expected);
      expect(document.nextPeriodicReview).toBe(expected);
      // The previous test completed a review task: this period started from a task's opening.
      expect(before).toBeGreaterThan(entered);
      break;
    }
  });

  test('document control makes it obsolete with a reason: no effective revision is left to download', async () => {
    const byQa = await qa.post(`${REVISIONS}/${effective.id}/obsolete`, { reason: 'Not mine to withdraw' });
    expect([byQa.status, byQa.body.code]).toEqual([403, 'not_authorised']);

    const reason = 'Packaging line decommissioned';
    const obsolete = expectOk('obsolete', await doccontrol.post(`${REVISIONS}/${effective.id}/obsolete`, { reason }));
    expect(obsolete.status).toBe('obsolete');
    expect(obsolete.history.at(-1)).toMatchObject({ from: 'effective', to: 'obsolete', reason });
    expect(obsolete.allowedActions).toEqual([]);

    const file = await download(production, `/api/documents/${NUMBER}/file`);
    expect([file.status, file.json?.code]).toEqual([404, 'no_effective_revision']);
    const document = await documentView(NUMBER);
    expect(document.effectiveRevision).toBeNull();
    expect(document.nextPeriodicReview).toBeNull();
    expect(document.revisions).toEqual([expect.objectContaining({ recordId: effective.id, status: 'obsolete' })]);
    // Periodic reviews end with the revision.
    expect((await inbox(doccontrol)).filter((t) => t.recordId === effective.id)).toEqual([]);
    expect(await auditActions(effective.id)).toEqual(expect.arrayContaining(['document.obsolete', 'record.obsolete']));

    const twice = await doccontrol.post(`${REVISIONS}/${effective.id}/obsolete`, { reason });
    expect([twice.status, twice.body.code]).toEqual([409, 'step_not_allowed']);
  });
});

describe('two approved revisions whose effective dates come in the other order', () => {
  const NUMBER = 'WI-PRD-0700';

  beforeAll(() => registerDocument(NUMBER, 'Label printing'));

  test('the newer revision, effective first, stays effective; the older one never becomes effective and ends superseded', async () => {
    const older = await revisionInReview(NUMBER, 'WI-PRD-0700 revision 1', { effectiveDate: inSeconds(EFFECTIVE_IN_SECONDS + 4) });
    const newer = await revisionInReview(NUMBER, 'WI-PRD-0700 revision 2', { effectiveDate: inSeconds(EFFECTIVE_IN_SECONDS) });
    expect([older.content.revision, newer.content.revision]).toEqual([1, 2]);
    // The order is driven, not timed: the newer revision is approved and effective before the older
    // one is approved, whose effective date (later than the newer's) may by then have passed or not.
    const approve = async (record: typeof older) => {
      const reviewed = expectOk('review', await sign(engineering, 'engineering', record, 'reviewed'));
      expectOk('approve', await sign(qa, 'qa', reviewed.record, 'approved'));
    };
    await approve(newer);
    await waitForStatus(newer.id, 'effective');
    await approve(older);
    const ended = await waitForStatus(older.id, 'superseded', 'effective');
    expect(ended.status).toBe('superseded');
    expect(ended.history.map((h) => h.to)).not.toContain('effective');
    expect(ended.history.at(-1)).toMatchObject({ from: 'becoming_effective', to: 'superseded' });

    const document = await documentView(NUMBER);
    expect(document.effectiveRevision).toBe(2);
    expect(document.revisions).toEqual(
      expect.arrayContaining([expect.objectContaining({ revision: 2, status: 'effective' }), expect.objectContaining({ revision: 1, status: 'superseded' })]),
    );
    expect((await revision(newer.id)).status).toBe('effective');
    const file = await download(production, `/api/documents/${NUMBER}/file`);
    expect(sha256(file.bytes)).toBe(newer.content.file.sha256);
    expect(await auditActions(older.id)).toEqual(expect.arrayContaining(['document.superseded', 'record.superseded']));
    expect(await auditActions(older.id)).not.toContain('document.effective');
  });
});

describe('cancellation', () => {
  const NUMBER = 'WI-PRD-0600';

  beforeAll(() => registerDocument(NUMBER, 'Rework'));

  test('a draft cancelled with a reason is cancelled for good: a later submit is refused', async () => {
    const draft = await createRevision(NUMBER, 'Started by mistake');
    const reason = 'Duplicate of another revision request';
    const cancelled = expectOk('cancel', await doccontrol.post(`${REVISIONS}/${draft.id}/cancel`, { reason }));
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history.at(-1)).toMatchObject({ from: 'draft', to: 'cancelled', reason });
    expect(cancelled.allowedActions).toEqual([]);
    expect((await inbox(doccontrol)).filter((t) => t.recordId === draft.id)).toEqual([]);

    const sha = await uploadFile(fileBytes('WI-PRD-0600 rework'), 'rework.pdf');
    const submitted = await submit(draft.id, draftFields(sha));
    expect([submitted.status, submitted.body.code, submitted.body.details]).toEqual([409, 'step_not_allowed', { step: 'cancelled' }]);
    expect(unchanged(await revision(draft.id))).toEqual(unchanged(cancelled));
    expect(await auditActions(draft.id)).toContain('record.cancelled');
  });
});
