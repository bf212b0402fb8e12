// Issue 11, items 1–4 (bad input never hangs, never 500s). Item 1: a NUL in a text field used to make the creation activity fail in PostgreSQL
// (22P05) and retry for ever, the request never answering and one workflow left stuck per request;
// elsewhere it gave 500. Now it is refused at the boundary with 400 and changes nothing.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { processQuery } from '../workflows/contracts/process-contracts';
import { SAMPLE_CHANGE } from './support/change-control-thread';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem('bad_input');
});
afterAll(() => system?.close());

async function count(table: string): Promise<number> {
  return ((await system.database.db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`)).rows[0] as { n: number }).n;
}

test('a NUL in a change-control title is refused with 400 control_character; no record, no workflow', async () => {
  const initiator = await system.people.session('initiator');
  const [records, events] = [await count('records'), await count('audit_events')];
  const refused = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: 'O-ring\u0000supplier' });
  expect(refused).toMatchObject({ status: 400, body: { code: 'control_character', details: { field: 'title' } } });
  expect(await count('records')).toBe(records);
  expect(await count('audit_events')).toBe(events);
  const running = system.temporal.workflow.list({ query: `TaskQueue = '${system.config.temporalTaskQueue}' AND ExecutionStatus = 'Running'` });
  for await (const execution of running) {
    const state = await system.temporal.workflow.getHandle(execution.workflowId).query(processQuery, null);
    expect(String(state?.content.title ?? '')).not.toContain('\u0000');
  }
});

test('control characters in nested fields, query strings and the login are refused with 400, tab and line breaks are kept', async () => {
  const initiator = await system.people.session('initiator');
  const nested = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, description: 'line one\nline two\ttabbed\r\nbell \u0007' });
  expect(nested).toMatchObject({ status: 400, body: { code: 'control_character', details: { field: 'description' } } });
  const fine = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, description: 'line one\nline two\ttabbed\r\nend' });
  expect(fine.status).toBe(201);
  expect(fine.body.content.description).toBe('line one\nline two\ttabbed\r\nend');
  const login = await (await system.session()).post('/api/auth/login', { username: 'qa\u0000', password: 'x' });
  expect(login).toMatchObject({ status: 400, body: { code: 'control_character' } });
  const inbox = await initiator.get('/api/inbox?limit=1%00');
  expect(inbox).toMatchObject({ status: 400, body: { code: 'control_character' } });
});

test('a title or reason of only whitespace is refused with 400 validation_failed; surrounding whitespace is trimmed', async () => {
  const initiator = await system.people.session('initiator');
  const records = await count('records');
  const blank = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: '   \t  ' });
  expect(blank).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  const blankReason = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, reason: ' \n ' });
  expect(blankReason).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  expect(await count('records')).toBe(records);
  const padded = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: '  Replace the O-ring supplier  ' });
  expect(padded.status).toBe(201);
  expect(padded.body.content.title).toBe('Replace the O-ring supplier');
});

describe('what the fuzzer answered with 5xx', () => {
  test('a JSON body over the limit is refused with 413 payload_too_large', async () => {
    const initiator = await system.people.session('initiator');
    const refused = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, description: 'x'.repeat(200_000) });
    expect(refused).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
  });

  test('numbers beyond what the database holds are refused with 400', async () => {
    const initiator = await system.people.session('initiator');
    expect(await initiator.get('/api/documents/SOP-QA-007/file?revision=2147483648')).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await initiator.get('/api/inbox?offset=1e308')).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  test('a dossier request without a selection and a password policy without a policy are refused with 400', async () => {
    const auditor = await system.people.session('auditor');
    expect(await auditor.post('/api/dossiers', { title: 'All changes of 2026' })).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    const admin = await system.people.session('admin');
    expect(await admin.put('/api/admin/password-policy', { reason: 'Tighten the policy' })).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  test('two people acknowledging the policy with one signature id: one acknowledges, the other is refused with 409', async () => {
    const [qa, production] = await Promise.all([system.people.session('qa'), system.people.session('production')]);
    const signatureId = randomUUID();
    const answers = await Promise.all(
      [
        [qa, 'qa'],
        [production, 'production'],
      ].map(([session, username]) =>
        (session as typeof qa).post('/api/esignature-policy/acknowledgements', {
          signatureId,
          username,
          password: system.people.passwords[username as string],
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('signature_id_conflict');
  });
});
