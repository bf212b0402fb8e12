// Issue 13 (21 CFR 11.50, 11.200): the signing dialog shows what changed since the version the
// signer read, from GET /api/records/{id}/versions/{from}/changes?to=N. Each amendment is a new,
// immutable version; the read compares two of them field by field, names the amendments in between
// with their reasons, refuses unknown versions with 404 unknown_version and bad numbers with 400,
// and is read exactly as the record is (403 record_not_readable otherwise). Through the HTTP API
// against the real Temporal dev server, PostgreSQL and Redis.
import { randomUUID } from 'node:crypto';
import { changeAwaitingApproval, SMALL_IMPACT } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let engineering: HttpSession;
let initiator: HttpSession;
let qa: HttpSession;
let auditor: HttpSession;

/** Authored by engineering, so `initiator` (role initiator alone, no task on it) may not read it. */
let change: Record<string, any>;
let first: Record<string, any>;
let second: Record<string, any>;
let third: Record<string, any>;

const NEW_DESCRIPTION = 'Move the O-ring to FKM 75 from the second supplier.';

function ok(what: string, response: { status: number; body: any }, status = 200): any {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The changes by path (the API lists them in the stored content's order, which PostgreSQL's jsonb chooses). */
const byPath = (changes: { path: string[] }[]) => [...changes].sort((a, b) => a.path.join('.').localeCompare(b.path.join('.')));
const refusal = (response: { status: number; body: any }) => [response.status, response.body?.code];
const changesPath = (from: number | string, to?: number | string) => `/api/records/${change.id}/versions/${from}/changes${to === undefined ? '' : `?to=${to}`}`;

beforeAll(async () => {
  system = await startTestSystem('record_version_changes');
  engineering = await system.people.session('engineering');
  initiator = await system.people.session('initiator');
  qa = await system.people.session('qa');
  auditor = await system.people.session('auditor');
  change = await changeAwaitingApproval(engineering);
  first = change;
  second = ok(
    'amend description and risk',
    await engineering.post(`/api/change-controls/${change.id}/amend`, {
      reason: 'Material grade corrected',
      baseVersion: first.version,
      changes: { description: NEW_DESCRIPTION, impact: { ...SMALL_IMPACT.impact, riskLevel: 'medium', riskRationale: 'New elastomer grade.' } },
    }),
  );
  third = ok(
    'amend affected items',
    await engineering.post(`/api/change-controls/${change.id}/amend`, {
      reason: 'Second housing variant affected too',
      baseVersion: second.version,
      changes: { impact: { ...second.content.impact, affectedItems: ['4711-02', '4711-03'] } },
    }),
  );
  expect([second.version, third.version]).toEqual([first.version + 1, first.version + 2]);
});
afterAll(() => system?.close());

describe('GET /api/records/{id}/versions/{from}/changes', () => {
  test('from a version to the newest: every changed field with before and after, and the amendments in between with their reasons', async () => {
    const body = ok('changes', await qa.get(changesPath(first.version)));
    expect(body).toMatchObject({
      recordId: change.id,
      number: change.number,
      from: { version: first.version, contentHash: first.contentHash, createdByName: 'Elena Novak' },
      to: { version: third.version, contentHash: third.contentHash, reason: 'Second housing variant affected too' },
    });
    expect(body.amendments.map((a: any) => [a.version, a.reason, a.createdByName])).toEqual([
      [second.version, 'Material grade corrected', 'Elena Novak'],
      [third.version, 'Second housing variant affected too', 'Elena Novak'],
    ]);
    expect(byPath(body.changes)).toEqual([
      { path: ['description'], kind: 'changed', before: first.content.description, after: NEW_DESCRIPTION },
      { path: ['impact', 'affectedItems'], kind: 'changed', before: ['4711-02'], after: ['4711-02', '4711-03'] },
      { path: ['impact', 'riskLevel'], kind: 'changed', before: 'low', after: 'medium' },
      { path: ['impact', 'riskRationale'], kind: 'changed', before: 'Form, fit and function unchanged.', after: 'New elastomer grade.' },
    ]);
  });

  test('?to= names the version to compare with; the same version has no changes; a newer `from` reads the changes backwards', async () => {
    const one = ok('to second', await qa.get(changesPath(first.version, second.version)));
    expect(byPath(one.changes).map((c) => c.path.join('.'))).toEqual(['description', 'impact.riskLevel', 'impact.riskRationale']);
    expect(one.amendments.map((a: any) => a.version)).toEqual([second.version]);

    const same = ok('same version', await qa.get(changesPath(third.version, third.version)));
    expect(same).toMatchObject({ changes: [], amendments: [], from: { version: third.version }, to: { version: third.version } });
    const newest = ok('newest to newest', await qa.get(changesPath(third.version)));
    expect(newest.changes).toEqual([]);

    const back = ok('backwards', await qa.get(changesPath(second.version, first.version)));
    expect(byPath(back.changes)[0]).toEqual({ path: ['description'], kind: 'changed', before: NEW_DESCRIPTION, after: first.content.description });
    expect(back.amendments).toEqual([]);
  });

  test('an unknown version is 404 unknown_version, a version that is not a whole number from 1 is 400, and nothing changes', async () => {
    expect(refusal(await qa.get(changesPath(third.version + 1)))).toEqual([404, 'unknown_version']);
    const unknownTo = await qa.get(changesPath(first.version, 999));
    expect(refusal(unknownTo)).toEqual([404, 'unknown_version']);
    expect(unknownTo.body.message).toBe(`${change.number} has no version 999.`);
    for (const bad of [
      changesPath(0),
      changesPath('abc'),
      changesPath('1.5'),
      changesPath(-1),
      changesPath(first.version, 0),
      changesPath(first.version, 'x'),
    ]) {
      expect({ bad, answer: refusal(await qa.get(bad)) }).toEqual({ bad, answer: [400, 'validation_failed'] });
    }
    expect(refusal(await qa.get(`/api/records/${randomUUID()}/versions/1/changes`))).toEqual([404, 'not_found']);
    expect(refusal(await qa.get(`/api/records/not-a-uuid/versions/1/changes`))).toEqual([400, 'validation_failed']);
    const after = ok('record', await qa.get(`/api/change-controls/${change.id}`));
    expect({ version: after.version, contentHash: after.contentHash }).toEqual({ version: third.version, contentHash: third.contentHash });
  });

  test('read exactly as the record is: refused to a person who may not read it (403 record_not_readable, before saying which versions exist)', async () => {
    expect(refusal(await initiator.get(`/api/change-controls/${change.id}`))).toEqual([403, 'record_not_readable']);
    for (const path of [changesPath(first.version), changesPath(999)]) {
      const response = await initiator.get(path);
      expect(refusal(response)).toEqual([403, 'record_not_readable']);
      expect(JSON.stringify(response.body)).not.toContain(NEW_DESCRIPTION);
    }
    for (const reader of [engineering, auditor]) {
      expect(ok('reader', await reader.get(changesPath(first.version))).changes).toHaveLength(4);
    }
  });
});
