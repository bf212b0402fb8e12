// 11.70 on the record page: GET /api/records/:id/signature-verifications verifies every signature
// of a record as `attestflow verify <signature id>` does (CMS by the signer's certificate, chained to
// the organisation CA and not revoked at the signing time; the signed manifest equal to the stored
// signature; bound to the content hash of the version it signs), read under the record's read rule.
// A signature copied onto another record (the tamper of test/signing-ceremony.test.ts, written
// straight into the database) is listed on that record as not verifying, with the failed checks.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { changeAwaitingApproval, signOff } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let engineering: HttpSession;
let initiator: HttpSession;
let qa: HttpSession;
let auditor: HttpSession;
let approved: { id: string; signatureId: string };
let other: { id: string; copyId: string };

const verifications = (session: HttpSession, recordId: string) => session.get(`/api/records/${recordId}/signature-verifications`);

beforeAll(async () => {
  system = await startTestSystem('record_signature_verification');
  engineering = await system.people.session('engineering');
  initiator = await system.people.session('initiator');
  qa = await system.people.signer('qa');
  auditor = await system.people.session('auditor');
  // Engineering authors two changes; QA approves the first. The initiator has nothing to do with either.
  const first = await changeAwaitingApproval(engineering);
  const body = signOff(system.people, qa, 'qa', first as never, 'approved', { comment: 'Supplier data sheet reviewed.' });
  const signed = await qa.post(`/api/change-controls/${first.id}/sign`, body);
  expect(signed.status).toBe(200);
  approved = { id: first.id, signatureId: body.signatureId };
  const second = await changeAwaitingApproval(engineering);
  const copyId = randomUUID();
  await system.database.db.execute(sql`
    INSERT INTO signatures (id, record_id, record_version, content_hash, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, manifest, cms, certificate_serial)
    SELECT ${copyId}, ${second.id}, record_version, ${second.contentHash}, step, signer_id, printed_name, meaning, comment, signed_at, client_ip, user_agent, manifest, cms, certificate_serial
    FROM signatures WHERE id = ${body.signatureId}`);
  other = { id: second.id, copyId };
});
afterAll(() => system?.close());

test('each signature of a record is listed with its checks; an intact one verifies on every check', async () => {
  const response = await verifications(auditor, approved.id);
  expect(response.status).toBe(200);
  expect(response.body).toEqual([
    {
      signatureId: approved.signatureId,
      valid: true,
      checks: [
        expect.objectContaining({ code: 'cms', ok: true, detail: expect.stringContaining('Quentin Adeyemi') }),
        expect.objectContaining({ code: 'manifest', ok: true }),
        expect.objectContaining({ code: 'content_hash', ok: true }),
      ],
    },
  ]);
  // The same verdict as the single-signature verification.
  const single = await auditor.get(`/api/signatures/${approved.signatureId}/verification`);
  expect(single.body).toMatchObject({ valid: true, checks: response.body[0].checks });
});

test('a signature copied onto another record does not verify there: not the manifest signed, not bound to that content', async () => {
  const response = await verifications(qa, other.id);
  expect(response.status).toBe(200);
  expect(response.body).toHaveLength(1);
  const [copy] = response.body;
  expect(copy).toMatchObject({ signatureId: other.copyId, valid: false });
  const failed = (copy.checks as { code: string; ok: boolean; detail: string }[]).filter((c) => !c.ok);
  expect(failed.map((c) => c.code)).toEqual(['manifest', 'content_hash']);
  expect(failed[0]!.detail).toContain(`record: signed "${approved.id}", stored "${other.id}"`);
  // The CMS itself is intact: it is QA's own signature, over another record.
  expect(copy.checks.find((c: { code: string }) => c.code === 'cms')).toMatchObject({ ok: true });
  // The record it was copied from still verifies.
  expect((await verifications(qa, approved.id)).body[0]).toMatchObject({ valid: true });
});

test('read as the record is read: refused with 403 record_not_readable to whom the record is; 404 for no record', async () => {
  expect((await initiator.get(`/api/change-controls/${approved.id}`)).body.code).toBe('record_not_readable');
  const refused = await verifications(initiator, approved.id);
  expect([refused.status, refused.body.code]).toEqual([403, 'record_not_readable']);
  expect(JSON.stringify(refused.body)).not.toContain(approved.signatureId);
  expect((await verifications(engineering, approved.id)).status).toBe(200);
  const missing = await verifications(auditor, randomUUID());
  expect([missing.status, missing.body.code]).toEqual([404, 'not_found']);
  const bad = await verifications(auditor, 'not-a-uuid');
  expect(bad.status).toBe(400);
});

test('a record without signatures lists none', async () => {
  const fresh = await changeAwaitingApproval(engineering);
  expect((await verifications(auditor, fresh.id)).body).toEqual([]);
});
