import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { insertUser } from '../db/repositories';
import { hashPassword } from '../signatures';
import { changeControlWorkflowId, stateQuery } from '../workflows/contracts';
import { runChangeControlThread, SAMPLE_CHANGE } from './support/change-control-thread';
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

async function submittedChange(): Promise<Submitted> {
  const initiator = await system.session('initiator');
  const created = await initiator.post('/api/change-controls', SAMPLE_CHANGE);
  expect(created.status).toBe(201);
  const submitted = await initiator.post(`/api/change-controls/${created.body.id}/submit`);
  expect(submitted.status).toBe(200);
  return { id: created.body.id, version: submitted.body.version, contentHash: submitted.body.contentHash, initiator, qa: await system.people.signer('qa') };
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
  const state = await system.temporal.workflow.getHandle(changeControlWorkflowId(id)).query(stateQuery);
  return state?.status;
}

describe('change control, minimal path', () => {
  test('initiator creates and submits, QA signs, the record reads back closed with the manifestation and its audit trail', async () => {
    const thread = await runChangeControlThread(system.people);
    expect(thread.created).toMatchObject({ status: 'draft', version: 1, number: expect.stringMatching(/^CC-\d{4}-\d{4}$/) });
    expect(thread.created.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(thread.inbox).toEqual(expect.arrayContaining([expect.objectContaining({ recordId: thread.id, step: 'qa_approval', action: 'sign' })]));
    expect(thread.record.status).toBe('closed');
    expect(thread.record.history.map((h: { to: string }) => h.to)).toEqual(['draft', 'qa_approval', 'closed']);
    expect(thread.record.signatures).toHaveLength(1);
    const [signature] = thread.record.signatures;
    expect(signature).toMatchObject({ printedName: 'Quentin Adeyemi', meaning: 'approved', recordVersion: 1, contentHash: thread.created.contentHash });
    expect(signature.signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(signature.manifestation).toContain('Quentin Adeyemi');
    // The controlled-record PDF follows the closure asynchronously (its event may or may not be there yet).
    expect(thread.audit.map((e) => e.action).filter((a) => a !== 'record.pdf_generated')).toEqual([
      'record.created',
      'record.submitted',
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
    expect(await workflowStatus(change.id)).toBe('qa_approval');
    expect((await change.qa.get(`/api/change-controls/${change.id}`)).body.status).toBe('qa_approval');
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(0);
    const audit = (await change.qa.get(`/api/records/${change.id}/audit`)).body as { action: string; entityId: string; reason: string; actorName: string }[];
    expect(audit.at(-1)).toMatchObject({ action: 'signature.failed', entityId: body.signatureId, reason: 'wrong password', actorName: 'Quentin Adeyemi' });
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
    expect((await change.qa.get(`/api/change-controls/${change.id}`)).body.status).toBe('closed');
  });

  test('QA rejects with a reason: back to draft, the rejection is a signature; resubmitted and approved it closes', async () => {
    const change = await submittedChange();
    const rejected = await change.qa.post(
      `/api/change-controls/${change.id}/reject`,
      decision(change.qa, 'qa', change, { reason: 'Attach the supplier data sheet.' }),
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.record.status).toBe('draft');
    expect(rejected.body.signature).toMatchObject({ meaning: 'rejected', comment: 'Attach the supplier data sheet.' });
    const inbox = (await change.initiator.get('/api/inbox')).body as { recordId: string; action: string }[];
    expect(inbox).toEqual(expect.arrayContaining([expect.objectContaining({ recordId: change.id, action: 'submit' })]));
    expect((await change.initiator.post(`/api/change-controls/${change.id}/submit`)).status).toBe(200);
    const approved = await change.qa.post(`/api/change-controls/${change.id}/sign`, decision(change.qa, 'qa', change, { meaning: 'approved' }));
    expect(approved.status).toBe(200);
    expect(approved.body.record.status).toBe('closed');
    expect(approved.body.record.history.map((h: { to: string }) => h.to)).toEqual(['draft', 'qa_approval', 'draft', 'qa_approval', 'closed']);
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
    const created = await author.post('/api/change-controls', SAMPLE_CHANGE);
    const submitted = await author.post(`/api/change-controls/${created.body.id}/submit`);
    const refused = await author.post(`/api/change-controls/${created.body.id}/sign`, decision(author, 'qa-author', submitted.body, { meaning: 'approved' }));
    expect(refused).toMatchObject({ status: 403, body: { code: 'self_approval' } });
    expect(await workflowStatus(created.body.id)).toBe('qa_approval');
    expect(await count('signatures', sql`record_id = ${created.body.id}`)).toBe(0);
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
    expect(await workflowStatus(change.id)).toBe('qa_approval');
    expect(await count('signatures', sql`record_id = ${change.id}`)).toBe(0);
  });

  test('only QA may sign; only the author may submit; nobody unauthenticated', async () => {
    const change = await submittedChange();
    const byInitiator = await change.initiator.post(
      `/api/change-controls/${change.id}/sign`,
      decision(change.initiator, 'initiator', change, { meaning: 'approved' }),
    );
    expect(byInitiator).toMatchObject({ status: 403, body: { code: 'not_authorised' } });
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
  test('names PostgreSQL, Redis and Temporal and answers 200 when all answer', async () => {
    const session = await system.session();
    const health = await session.get('/api/health');
    expect(health.status).toBe(200);
    expect(Object.keys(health.body.checks).sort()).toEqual(['postgresql', 'redis', 'temporal']);
  });

  test('serves the OpenAPI document', async () => {
    const response = await fetch(`${system.baseUrl}/api/docs/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/change-controls/{id}/sign', '/api/records/{id}/audit', '/api/inbox']));
  });
});
