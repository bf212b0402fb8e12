import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { insertUser } from '../db/repositories';
import { hashPassword } from '../signatures';
import { processQuery, processWorkflowId } from '../workflows/contracts/process-contracts';
import { changeAwaitingApproval, runChangeControlThread, SAMPLE_CHANGE, SMALL_IMPACT, waitForStatus } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem('change_control');
});
afterAll(() => system?.close());

async function count(table: string, where = sql`TRUE`): Promise<number> {
  const result = await system.database.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE ${where}`);
  return (result.rows[0] as { n: number }).n;
}

interface Submitted {
  id: string;
  version: number;
  contentHash: string;
  initiator: HttpSession;
  qa: HttpSession;
}

/** A change control in its approval step (impact assessed, no area owners: QA alone approves). */
async function submittedChange(assessment: object = SMALL_IMPACT): Promise<Submitted> {
  const initiator = await system.session('initiator');
  const submitted = await changeAwaitingApproval(initiator, assessment);
  expect(submitted.status).toBe('approval');
  return { id: submitted.id, version: submitted.version, contentHash: submitted.contentHash, initiator, qa: await system.people.signer('qa') };
}

/** A sign or reject body for `username` on the version `change` was submitted at. */
function decision(session: HttpSession, username: string, change: { version: number; contentHash: string }, extra: Record<string, unknown>) {
  return {
    signatureId: randomUUID(),
    ...system.people.credentials(session, username),
    recordVersion: change.version,
    contentHash: change.contentHash,
    ...extra,
  };
}

async function workflowStatus(id: string): Promise<string | undefined> {
  const state = await system.temporal.workflow.getHandle(processWorkflowId(id)).query(processQuery, null);
  return state?.status;
}

describe('change control, main path and its signatures', () => {
  test('initiator creates, assesses and submits; QA approves, verifies and closes; the record reads back with manifestations and audit trail', async () => {
    const thread = await runChangeControlThread(system.people);
    expect(thread.submitted).toMatchObject({ status: 'approval', version: 2, number: expect.stringMatching(/^CC-\d{4}-\d{4}$/) });
    expect(thread.submitted.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(thread.inbox).toEqual(expect.arrayContaining([expect.objectContaining({ recordId: thread.id, step: 'approval', action: 'sign' })]));
    expect(thread.record.status).toBe('closed');
    expect(thread.record.history.map((h: { to: string }) => h.to)).toEqual([
      'draft',
      'impact_assessment',
      'approval',
      'implementation',
      'effectiveness_verification',
      'closed',
    ]);
    expect(thread.record.signatures).toHaveLength(2);
    const [approval, verification] = thread.record.signatures;
    expect(approval).toMatchObject({
      printedName: 'Quentin Adeyemi',
      meaning: 'approved',
      step: 'approval',
      recordVersion: 2,
      contentHash: thread.submitted.contentHash,
    });
    expect(verification).toMatchObject({ meaning: 'verified', step: 'effectiveness_verification' });
    expect(approval.signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(approval.manifestation).toContain('Quentin Adeyemi');
    // The controlled-record PDF follows the closure asynchronously (its event may or may not be there yet).
    expect(thread.audit.map((e) => e.action).filter((a) => a !== 'record.pdf_generated')).toEqual([
      'record.created',
      'record.submitted',
      'record.submitted',
      'signature.applied',
      'record.approved',
      'record.implemented',
      'signature.applied',
      'record.closed',
    ]);
    expect(await workflowStatus(thread.id)).toBe('closed');
  });

  test('a wrong password on sign is refused with a code, leaves the workflow where it was, and is audited as a failed attempt', async () => {
    const change = await submittedChange();
    const body = decision(change.qa, 'qa', change, { meaning: 'approved', password: 'not-the-password' });
    const refused = await change.qa.post(`/api/change-controls/${change.id}/sign`, body);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ code: 'invalid_credentials', message: expect.any(String) });
    expect(await workflowStatus(change.id)).toBe('approval');
    expect((await change.qa.get(`/api/change-controls/${change.id}`)).body.status).toBe('approval');
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(0);
    const audit = (await change.qa.get(`/api/records/${change.id}/audit`)).body as { action: string; entityId: string; reason: string; actorName: string }[];
    expect(audit.at(-1)).toMatchObject({ action: 'signature.failed', entityId: body.signatureId, reason: 'wrong password', actorName: 'Quentin Adeyemi' });
  });

  test("the sign Update answers with the signer's view (patch process-sign-off-answers-view); the API's answer is that view", async () => {
    // Two area owners sign after QA: the approval step stays where it is after QA's signature.
    const change = await submittedChange({ ...SMALL_IMPACT, impact: { ...SMALL_IMPACT.impact, affectedAreas: ['engineering', 'production'] } });
    const request = decision(change.qa, 'qa', change, { meaning: 'approved' });
    const signed = await change.qa.post(`/api/change-controls/${change.id}/sign`, request);
    expect(signed.status).toBe(200);
    expect(signed.body.record.status).toBe('approval');
    // The Update's own answer, as Temporal stored it: the state and what the signer may do after it.
    const handle = system.temporal.workflow.getHandle(processWorkflowId(change.id));
    const completed = ((await handle.fetchHistory()).events ?? []).find(
      (e) => e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === request.signatureId,
    )?.workflowExecutionUpdateCompletedEventAttributes;
    const payload = completed?.outcome?.success?.payloads?.[0]?.data;
    expect(payload).toBeDefined();
    const answer = JSON.parse(Buffer.from(payload!).toString('utf8')) as { status: string; allowedActions?: unknown; quorum?: unknown };
    expect(answer.status).toBe('approval');
    expect(answer.allowedActions).toEqual(expect.any(Array));
    expect(answer.quorum).toEqual([
      { role: 'qa', signedBy: expect.any(String) },
      { role: 'approver_engineering', signedBy: null },
      { role: 'approver_production', signedBy: null },
    ]);
    expect({ allowedActions: signed.body.record.allowedActions, quorum: signed.body.record.quorum }).toEqual({
      allowedActions: answer.allowedActions,
      quorum: answer.quorum,
    });
    // …which is what the process Query answers the signer now.
    const qaId = ((await system.database.db.execute(sql`SELECT id FROM users WHERE username = 'qa'`)).rows[0] as { id: string }).id;
    const now = await handle.query(processQuery, { userId: qaId, roles: ['qa'] });
    expect({ allowedActions: now?.allowedActions, quorum: now?.quorum, status: now?.status }).toEqual({
      allowedActions: answer.allowedActions,
      quorum: answer.quorum,
      status: answer.status,
    });
  });

  test('signing twice with the same signature id yields one signature, sequentially and concurrently', async () => {
    const change = await submittedChange();
    const request = decision(change.qa, 'qa', change, { meaning: 'approved' });
    const [a, b] = await Promise.all([
      change.qa.post(`/api/change-controls/${change.id}/sign`, request),
      change.qa.post(`/api/change-controls/${change.id}/sign`, request),
    ]);
    const again = await change.qa.post(`/api/change-controls/${change.id}/sign`, request);
    for (const response of [a, b, again]) {
      expect(response.status).toBe(200);
      expect(response.body.signature.id).toBe(request.signatureId);
    }
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(1);
    expect(await count('audit_events', sql`record_id = ${change.id} AND action = 'signature.applied'`)).toBe(1);
    expect((await change.qa.get(`/api/change-controls/${change.id}`)).body.status).not.toBe('approval');
  });

  test('QA rejects with a reason: back to impact assessment, the rejection is a signature; resubmitted and approved it moves on', async () => {
    const change = await submittedChange();
    const rejected = await change.qa.post(
      `/api/change-controls/${change.id}/reject`,
      decision(change.qa, 'qa', change, { reason: 'Attach the supplier data sheet.' }),
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.record.status).toBe('impact_assessment');
    expect(rejected.body.signature).toMatchObject({ meaning: 'rejected', comment: 'Attach the supplier data sheet.' });
    const inbox = (await change.initiator.get('/api/inbox')).body.items as { recordId: string; action: string }[];
    expect(inbox).toEqual(expect.arrayContaining([expect.objectContaining({ recordId: change.id, action: 'submit' })]));
    const resubmitted = await change.initiator.post(`/api/change-controls/${change.id}/submit`);
    expect(resubmitted.status).toBe(200);
    const approved = await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', resubmitted.body, { meaning: 'approved' }));
    expect(approved.status).toBe(200);
    expect(approved.body.record.history.map((h: { to: string }) => h.to).slice(0, 6)).toEqual([
      'draft',
      'impact_assessment',
      'approval',
      'impact_assessment',
      'approval',
      'implementation',
    ]);
    expect(approved.body.record.history[3].reason).toBe('Attach the supplier data sheet.');
    const audit = (await change.qa.get(`/api/records/${change.id}/audit`)).body as { action: string; reason: string | null }[];
    expect(audit.find((e) => e.action === 'record.rejected')?.reason).toBe('Attach the supplier data sheet.');
  });
});

describe('refusals change nothing', () => {
  test('signing in draft is refused with a code naming the step', async () => {
    const initiator = await system.session('initiator');
    const created = await initiator.post('/api/change-controls', SAMPLE_CHANGE);
    const qa = await system.people.signer('qa');
    const refused = await qa.post(`/api/change-controls/${created.body.id}/sign`, decision(qa, 'qa', created.body, { meaning: 'approved' }));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('step_not_allowed');
    expect(refused.body.message).toContain('"draft"');
    expect(refused.body.details).toEqual({ step: 'draft' });
    expect(await workflowStatus(created.body.id)).toBe('draft');
    expect(await count('signatures', sql`record_id = ${created.body.id}`)).toBe(0);
  });

  test('after a rejection the step cannot be signed again until the record is resubmitted', async () => {
    const change = await submittedChange();
    const first = await change.qa.post(`/api/change-controls/${change.id}/reject`, decision(change.qa, 'qa', change, { reason: 'Incomplete.' }));
    expect(first.status).toBe(200);
    const second = await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', change, { meaning: 'approved' }));
    expect(second).toMatchObject({ status: 409, body: { code: 'step_not_allowed' } });
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(1);
  });

  test('the author of a change cannot give its QA approval, even when holding the QA role (separation of duties)', async () => {
    const userId = randomUUID();
    await insertUser(
      system.database.db,
      { id: userId, username: 'qa-author', printedName: 'Quinn Author', passwordHash: await hashPassword('author-password-1') },
      ['initiator', 'qa'],
    );
    system.people.passwords['qa-author'] = 'author-password-1';
    const author = await system.people.signer('qa-author');
    const submitted = await changeAwaitingApproval(author);
    const refused = await author.post(
      `/api/change-controls/${submitted.id}/sign`,
      decision(author, 'qa-author', submitted as { version: number; contentHash: string }, { meaning: 'approved' }),
    );
    expect(refused).toMatchObject({ status: 403, body: { code: 'self_approval' } });
    expect(await workflowStatus(submitted.id)).toBe('approval');
    expect(await count('signatures', sql`record_id = ${submitted.id}`)).toBe(0);
  });

  test('a wrong password is counted only once the step may be signed: not on a step refused, and still beside a stale version', async () => {
    const failures = async () =>
      ((await system.database.db.execute(sql`SELECT failed_attempts AS n FROM users WHERE username = 'qa'`)).rows[0] as { n: number }).n;
    const qa = await system.people.signer('qa');
    const before = await failures();
    // In draft the step is refused first: the password (checked alongside) counts nothing.
    const initiator = await system.session('initiator');
    const draft = (await initiator.post('/api/change-controls', SAMPLE_CHANGE)).body as { id: string; version: number; contentHash: string };
    const inDraft = decision(qa, 'qa', draft, { meaning: 'approved', password: 'not-the-password' });
    const refused = await qa.post(`/api/change-controls/${draft.id}/sign`, inDraft);
    expect(refused).toMatchObject({ status: 409, body: { code: 'step_not_allowed', details: { step: 'draft' } } });
    expect(await count('audit_events', sql`action = 'signature.failed' AND entity_id = ${inDraft.signatureId}`)).toBe(0);
    expect(await failures()).toBe(before);
    // A step that may be signed: the wrong password is refused (and counted) before the stale version.
    const change = await submittedChange();
    const stale = decision(
      change.qa,
      'qa',
      { version: change.version + 1, contentHash: change.contentHash },
      { meaning: 'approved', password: 'not-the-password' },
    );
    expect(await change.qa.post(`/api/change-controls/${change.id}/sign`, stale)).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect(await count('audit_events', sql`action = 'signature.failed' AND entity_id = ${stale.signatureId}`)).toBe(1);
    expect(await failures()).toBe(before + 1);
    // The right password on the stale version signs nothing (and clears the count).
    const staleRight = decision(change.qa, 'qa', { version: change.version + 1, contentHash: change.contentHash }, { meaning: 'approved' });
    expect(await change.qa.post(`/api/change-controls/${change.id}/sign`, staleRight)).toMatchObject({ status: 409, body: { code: 'stale_version' } });
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(0);
    expect(await workflowStatus(change.id)).toBe('approval');
    expect(await failures()).toBe(0);
  });

  test('a stale content hash or version is refused', async () => {
    const change = await submittedChange();
    const staleHash = await change.qa.post(
      `/api/change-controls/${change.id}/sign`,
      decision(change.qa, 'qa', { version: change.version, contentHash: 'a'.repeat(64) }, { meaning: 'approved' }),
    );
    expect(staleHash).toMatchObject({ status: 409, body: { code: 'stale_version' } });
    const staleVersion = await change.qa.post(
      `/api/change-controls/${change.id}/sign`,
      decision(change.qa, 'qa', { version: 7, contentHash: change.contentHash }, { meaning: 'approved' }),
    );
    expect(staleVersion).toMatchObject({ status: 409, body: { code: 'stale_version' } });
    expect(await workflowStatus(change.id)).toBe('approval');
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(0);
  });

  test('only the quorum roles may sign; only the author may submit; nobody unauthenticated', async () => {
    const change = await submittedChange();
    const byInitiator = await change.initiator.post(
      `/api/change-controls/${change.id}/sign`,
      decision(change.initiator, 'initiator', change, { meaning: 'approved' }),
    );
    expect(byInitiator).toMatchObject({ status: 403, body: { code: 'self_approval' } });
    const outsider = await system.people.signer('production');
    const byOutsider = await outsider.post(`/api/change-controls/${change.id}/sign`, decision(outsider, 'production', change, { meaning: 'approved' }));
    expect(byOutsider).toMatchObject({ status: 403, body: { code: 'not_authorised' } });
    const engineering = await system.session('engineering');
    const created = await change.initiator.post('/api/change-controls', SAMPLE_CHANGE);
    expect((await engineering.post(`/api/change-controls/${created.body.id}/submit`)).body.code).toBe('not_authorised');
    const anonymous = await system.session();
    expect((await anonymous.get('/api/inbox')).body.code).toBe('not_authenticated');
  });

  test('malformed input gets 400 validation_failed and creates nothing', async () => {
    const initiator = await system.session('initiator');
    const before = await count('records');
    const cases = [
      await initiator.request('POST', '/api/change-controls', undefined, '{"title": '),
      await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, riskLevel: 'extreme' }),
      await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: 42 }),
      await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, unexpected: true }),
      await initiator.get('/api/change-controls/not-a-uuid'),
    ];
    for (const response of cases) {
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    }
    expect(await count('records')).toBe(before);
    expect((await initiator.get(`/api/change-controls/${randomUUID()}`)).body.code).toBe('not_found');
  });

  test('wrong login password is refused and audited', async () => {
    const session = await system.session();
    const refused = await session.post('/api/auth/login', { username: 'auditor', password: 'guess' });
    expect(refused).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    expect(await count('audit_events', sql`action = 'login.failed'`)).toBeGreaterThan(0);
  });
});

describe('health', () => {
  test('names PostgreSQL, Redis, Temporal and the PDF generator and answers 200 when the services answer', async () => {
    const session = await system.session();
    const health = await session.get('/api/health');
    expect(health.status).toBe(200);
    expect(Object.keys(health.body.checks).sort()).toEqual(['pdfGenerator', 'postgresql', 'redis', 'temporal']);
  });

  test('serves the OpenAPI document', async () => {
    const response = await fetch(`${system.baseUrl}/api/docs/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/change-controls/{id}/sign', '/api/records/{id}/audit', '/api/inbox']));
  });
});

describe('quorum, amendment, implementation, child document revisions, cancellation', () => {
  const areaImpact = (documents: string[] = []) => ({
    ...SMALL_IMPACT,
    impact: { ...SMALL_IMPACT.impact, affectedAreas: ['engineering', 'production'], affectedDocuments: documents },
  });

  test('approval needs QA and the owner of every affected area, one person per place', async () => {
    const change = await submittedChange(areaImpact());
    const view = (await change.qa.get(`/api/change-controls/${change.id}`)).body;
    expect(view.quorum).toEqual([
      { role: 'qa', signedBy: null },
      { role: 'approver_engineering', signedBy: null },
      { role: 'approver_production', signedBy: null },
    ]);
    expect(view.allowedActions).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'sign', step: 'approval', meaning: 'approved', role: 'qa' })]),
    );
    const qaSigned = await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', change, { meaning: 'approved' }));
    expect(qaSigned.body.record.status).toBe('approval');
    const again = await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', change, { meaning: 'approved' }));
    expect(again).toMatchObject({ status: 409, body: { code: 'already_signed' } });
    const qa2 = await system.people.signer('qa2');
    expect((await qa2.post(`/api/change-controls/${change.id}/sign`, decision(qa2, 'qa2', change, { meaning: 'approved' }))).body.code).toBe('already_signed');
    const engineering = await system.people.signer('engineering');
    expect(
      (await engineering.post(`/api/change-controls/${change.id}/sign`, decision(engineering, 'engineering', change, { meaning: 'approved' }))).body.record
        .status,
    ).toBe('approval');
    const production = await system.people.signer('production');
    const last = await production.post(`/api/change-controls/${change.id}/sign`, decision(production, 'production', change, { meaning: 'approved' }));
    expect(last.body.record.status).not.toBe('approval');
    expect(await count('signatures', sql`record_id = ${change.id} AND step = 'approval'`)).toBe(3);
  });

  test('amending the content after one approval makes that approval count no more: it is given again on the new version', async () => {
    const change = await submittedChange(areaImpact());
    await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', change, { meaning: 'approved' }));
    const amended = await change.initiator.post(`/api/change-controls/${change.id}/amend`, {
      changes: { description: 'Second supplier, and the O-ring groove tolerance tightened.' },
      reason: 'Engineering asked to tighten the groove tolerance.',
      baseVersion: change.version,
    });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ status: 'approval', version: change.version + 1 });
    expect(amended.body.signatures[0].invalidated).toMatchObject({
      byVersion: change.version + 1,
      reason: 'Engineering asked to tighten the groove tolerance.',
    });
    expect(amended.body.quorum[0]).toEqual({ role: 'qa', signedBy: null });
    // A signature on the old version is now stale; the reviewer must look at the new one.
    expect((await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', change, { meaning: 'approved' }))).body.code).toBe(
      'stale_version',
    );
    const engineering = await system.people.signer('engineering');
    const production = await system.people.signer('production');
    await engineering.post(`/api/change-controls/${change.id}/sign`, decision(engineering, 'engineering', amended.body, { meaning: 'approved' }));
    const withoutQa = await production.post(
      `/api/change-controls/${change.id}/sign`,
      decision(production, 'production', amended.body, { meaning: 'approved' }),
    );
    expect(withoutQa.body.record.status).toBe('approval');
    const qaAgain = await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', amended.body, { meaning: 'approved' }));
    expect(qaAgain.body.record.status).not.toBe('approval');
    expect(qaAgain.body.record.signatures.filter((s: { invalidated: unknown }) => s.invalidated === null)).toHaveLength(3);
    const audit = (await change.qa.get(`/api/records/${change.id}/audit`)).body as { action: string; reason: string | null }[];
    expect(audit.find((e) => e.action === 'record.amended')?.reason).toBe('Engineering asked to tighten the groove tolerance.');
    // Amendment is not allowed once approved.
    const late = await change.initiator.post(`/api/change-controls/${change.id}/amend`, {
      changes: { description: 'x' },
      reason: 'late',
      baseVersion: amended.body.version,
    });
    expect(late).toMatchObject({ status: 409, body: { code: 'step_not_allowed' } });
  });

  test('implementation tasks and a document revision per affected document; closure is refused while the revision is open', async () => {
    const doccontrol = await system.people.signer('doccontrol');
    expect(
      (await doccontrol.post('/api/documents', { number: 'SOP-PRD-0042', title: 'O-ring assembly', docType: 'sop', ownerUsername: 'doccontrol' })).status,
    ).toBe(201);
    const initiator = await system.session('initiator');
    const submitted = await changeAwaitingApproval(initiator, {
      ...SMALL_IMPACT,
      impact: { ...SMALL_IMPACT.impact, affectedDocuments: ['SOP-PRD-0042'] },
      implementationTasks: [{ title: 'Update the bill of materials', ownerUsername: 'production' }],
    });
    const qa = await system.people.signer('qa');
    const approved = await qa.post(
      `/api/change-controls/${submitted.id}/sign`,
      decision(qa, 'qa', submitted as { version: number; contentHash: string }, { meaning: 'approved' }),
    );
    expect(approved.body.record.status).toBe('implementation');
    const production = await system.session('production');
    const task = approved.body.record.openTasks.find((t: { action: string }) => t.action === 'complete');
    expect(task).toMatchObject({ title: 'Update the bill of materials', dueAt: expect.any(String) });
    expect((await production.get('/api/inbox')).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ taskId: task.id })]));
    expect((await initiator.post(`/api/change-controls/${submitted.id}/tasks/${task.id}/complete`, {})).body.code).toBe('not_authorised');
    const done = await production.post(`/api/change-controls/${submitted.id}/tasks/${task.id}/complete`, { note: 'BOM rev C released.' });
    expect(done.status).toBe(200);
    const verifying = await waitForStatus(qa, `/api/change-controls/${submitted.id}`, 'effectiveness_verification');
    const child = verifying.links.find((l: { relation: string }) => l.relation === 'document_revision');
    expect(child).toMatchObject({ direction: 'to', type: 'document_revision', number: expect.stringMatching(/^DOC-\d{4}-\d{4}$/) });
    const refused = await qa.post(
      `/api/change-controls/${submitted.id}/sign`,
      decision(qa, 'qa', verifying as { version: number; contentHash: string }, { meaning: 'verified' }),
    );
    expect(refused).toMatchObject({ status: 409, body: { code: 'children_open' } });
    expect(await count('signatures', sql`record_id = ${submitted.id} AND step = 'effectiveness_verification'`)).toBe(0);
    // The document controller cancels the revision (no longer needed): the change control may close.
    expect((await doccontrol.post(`/api/document-revisions/${child.recordId}/cancel`, { reason: 'Covered by the existing revision.' })).status).toBe(200);
    await waitForStatus(doccontrol, `/api/document-revisions/${child.recordId}`, 'cancelled');
    let closed: { status: number; body: any } | undefined;
    for (let i = 0; i < 50 && closed?.status !== 200; i++) {
      closed = await qa.post(
        `/api/change-controls/${submitted.id}/sign`,
        decision(qa, 'qa', verifying as { version: number; contentHash: string }, { meaning: 'verified' }),
      );
      if (closed.status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(closed?.body.record.status).toBe('closed');
  });

  test('cancellation with a reason closes every task; afterwards every action is refused naming the step', async () => {
    const change = await submittedChange();
    const qa = change.qa;
    const cancelled = await qa.post(`/api/change-controls/${change.id}/cancel`, { reason: 'Supplier withdrew the discontinuation.' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', openTasks: [] });
    expect(cancelled.body.history.at(-1)).toMatchObject({ to: 'cancelled', reason: 'Supplier withdrew the discontinuation.' });
    const signing = await qa.post(`/api/change-controls/${change.id}/sign`, decision(qa, 'qa', change, { meaning: 'approved' }));
    expect(signing).toMatchObject({ status: 409, body: { code: 'step_not_allowed', details: { step: 'cancelled' } } });
    expect((await change.initiator.post(`/api/change-controls/${change.id}/cancel`, { reason: 'again' })).body.code).toBe('step_not_allowed');
    const engineering = await system.session('engineering');
    const other = await changeAwaitingApproval(change.initiator);
    expect((await engineering.post(`/api/change-controls/${other.id}/cancel`, { reason: 'not mine' })).body.code).toBe('not_authorised');
    expect((await change.initiator.post(`/api/change-controls/${other.id}/cancel`, {})).body.code).toBe('validation_failed');
  });
});

describe('inbox', () => {
  test('pages of the inbox, oldest first, join up to the whole of it; a bad page is refused with 400', async () => {
    const initiator = await system.session('initiator');
    for (let i = 0; i < 3; i++) expect((await initiator.post('/api/change-controls', SAMPLE_CHANGE)).status).toBe(201);
    const all = (await initiator.get('/api/inbox?limit=500')).body.items as { taskId: string; openedAt: string }[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect([...all].sort((a, b) => a.openedAt.localeCompare(b.openedAt)).map((t) => t.taskId)).toEqual(all.map((t) => t.taskId));
    const paged: string[] = [];
    for (let offset = 0; offset < all.length; offset += 2) {
      const page = (await initiator.get(`/api/inbox?limit=2&offset=${offset}`)).body.items as { taskId: string }[];
      expect(page.length).toBe(Math.min(2, all.length - offset));
      paged.push(...page.map((t) => t.taskId));
    }
    expect(paged).toEqual(all.map((t) => t.taskId));
    expect((await initiator.get('/api/inbox')).body).toMatchObject({ total: all.length, limit: 100, offset: 0 });
    expect((await initiator.get('/api/inbox')).body.items).toHaveLength(Math.min(all.length, 100));
    for (const bad of ['limit=0', 'limit=501', 'offset=-1', 'limit=abc', 'sort=title', 'direction=up', 'overdue=yes', 'type=unknown']) {
      expect(await initiator.get(`/api/inbox?${bad}`)).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    }
  });
});

describe('record numbers', () => {
  test('are gap-free per type and year, also when many are created at once', async () => {
    const initiator = await system.session('initiator');
    const created = await Promise.all(Array.from({ length: 20 }, () => initiator.post('/api/change-controls', SAMPLE_CHANGE)));
    expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
    // A refused creation takes no number.
    expect((await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, riskLevel: 'extreme' })).status).toBe(400);
    const rows = (await system.database.db.execute(sql`SELECT number FROM records`)).rows as { number: string }[];
    const byPrefixAndYear = new Map<string, number[]>();
    for (const { number } of rows) {
      const [, key, n] = /^([A-Z]+-\d{4})-(\d{4,})$/.exec(number)!;
      byPrefixAndYear.set(key!, [...(byPrefixAndYear.get(key!) ?? []), Number(n)]);
    }
    expect(byPrefixAndYear.size).toBeGreaterThan(0);
    for (const [key, numbers] of byPrefixAndYear) {
      expect({ key, numbers: [...numbers].sort((a, b) => a - b) }).toEqual({ key, numbers: numbers.map((_, i) => i + 1) });
    }
    expect(new Set(created.map((r) => r.body.number)).size).toBe(20);
  });
});
