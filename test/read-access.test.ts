// Who may read (issue 10, item 8; 21 CFR 11.10(d)): a signature and a draft document revision are
// read under the read rule of the record they belong to (api/records/record-access.ts), and refused
// exactly as reading that record is refused (403 record_not_readable). Through the HTTP API against
// the real Temporal dev server, PostgreSQL and Redis.
//
// Of the demo organisation only `initiator` (role initiator alone) does not read every record: it
// reads what it authored, and records that assigned it a task by name.
import { createHash, randomUUID } from 'node:crypto';
import { upload } from './support/process-threads';
import { changeAwaitingApproval, signOff, SMALL_IMPACT } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let engineering: HttpSession;
let initiator: HttpSession;
let qa: HttpSession;
let auditor: HttpSession;
let doccontrol: HttpSession;

beforeAll(async () => {
  system = await startTestSystem('read_access');
  engineering = await system.people.session('engineering');
  initiator = await system.people.session('initiator');
  qa = await system.people.signer('qa');
  auditor = await system.people.session('auditor');
  doccontrol = await system.people.signer('doccontrol');
});
afterAll(() => system?.close());

function ok(what: string, response: { status: number; body: any }, status = 200): any {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

const refusal = (response: { status: number; body: any }) => [response.status, response.body?.code];

async function download(session: HttpSession, path: string) {
  const response = await fetch(`${system.baseUrl}${path}`, { headers: { cookie: session.cookie ?? '' } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: response.status, bytes, body: json };
}

describe('a signature is read by those who may read its record', () => {
  let changeId: string;
  let changeNumber: string;
  let signatureId: string;
  const COMMENT = 'Approved: second supplier qualified under SUP-0042.';

  beforeAll(async () => {
    // Engineering authors the change; QA signs it with a comment. Initiator has nothing to do with it.
    const submitted = await changeAwaitingApproval(engineering);
    changeId = submitted.id;
    changeNumber = submitted.number;
    const body = signOff(system.people, qa, 'qa', submitted as never, 'approved', { comment: COMMENT });
    ok('QA approves', await qa.post(`/api/change-controls/${changeId}/sign`, body));
    signatureId = body.signatureId;
  });

  test('GET /api/signatures/:id is refused as reading its record is (403 record_not_readable); author, signer and auditor read it', async () => {
    // The record first: this is the refusal the signature must repeat.
    expect(refusal(await initiator.get(`/api/change-controls/${changeId}`))).toEqual([403, 'record_not_readable']);
    const response = await initiator.get(`/api/signatures/${signatureId}`);
    expect(refusal(response)).toEqual([403, 'record_not_readable']);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(COMMENT);
    expect(text).not.toContain('Quentin Adeyemi');
    expect(text).not.toContain(changeId);
    for (const session of [engineering, qa, auditor]) {
      const exported = ok('export', await session.get(`/api/signatures/${signatureId}`));
      expect(exported.signature).toMatchObject({ id: signatureId, recordId: changeId, meaning: 'approved', printedName: 'Quentin Adeyemi' });
      expect(JSON.stringify(exported.signature.manifest)).toContain(COMMENT);
    }
    expect(changeNumber).toMatch(/^CC-/);
  });

  test('GET /api/signatures/:id/verification is refused the same way; author, signer and auditor verify it', async () => {
    const response = await initiator.get(`/api/signatures/${signatureId}/verification`);
    expect(refusal(response)).toEqual([403, 'record_not_readable']);
    expect(JSON.stringify(response.body)).not.toContain(COMMENT);
    for (const session of [engineering, qa, auditor]) {
      const verification = ok('verification', await session.get(`/api/signatures/${signatureId}/verification`));
      expect(verification).toMatchObject({ valid: true, verdict: expect.stringContaining('VALID') });
    }
    // A signature that does not exist stays 404, readable or not: the 403 names only a signature that exists.
    const missing = randomUUID();
    expect(refusal(await initiator.get(`/api/signatures/${missing}`))).toEqual([404, 'not_found']);
    expect(refusal(await auditor.get(`/api/signatures/${missing}/verification`))).toEqual([404, 'not_found']);
  });
});

describe('a person the record gave a task by name reads it, its signatures and its dossier', () => {
  let changeId: string;
  let changeNumber: string;
  let signatureId: string;

  beforeAll(async () => {
    // Engineering authors the change and names initiator as the owner of its implementation task.
    const submitted = await changeAwaitingApproval(engineering, {
      ...SMALL_IMPACT,
      implementationTasks: [{ title: 'Update the assembly instruction', ownerUsername: 'initiator' }],
    });
    changeId = submitted.id;
    changeNumber = submitted.number;
    const body = signOff(system.people, qa, 'qa', submitted as never, 'approved');
    const approved = ok('QA approves', await qa.post(`/api/change-controls/${changeId}/sign`, body));
    expect(approved.record.openTasks).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'complete' })]));
    signatureId = body.signatureId;
  });

  test('the assignee reads the record, exports and verifies its signature, and requests its dossier, as the record rule allows', async () => {
    ok('record', await initiator.get(`/api/change-controls/${changeId}`));
    expect(ok('export', await initiator.get(`/api/signatures/${signatureId}`)).signature).toMatchObject({ id: signatureId, recordId: changeId });
    expect(ok('verification', await initiator.get(`/api/signatures/${signatureId}/verification`))).toMatchObject({ valid: true });
    // The dossier follows the same rule as the record's own endpoints (it used the author-or-role rule alone).
    const dossier = ok('dossier', await initiator.post('/api/dossiers', { title: 'My task', selection: { numbers: [changeNumber] } }), 201);
    expect(dossier.recordNumbers).toEqual([changeNumber]);
  });
});

describe('the document register shows a draft revision only to those who may read it', () => {
  const NUMBER = `WI-READ-${randomUUID().slice(0, 4).toUpperCase()}`;
  const FILE_NAME = `${NUMBER} draft rev 1.pdf`;
  const BYTES = Buffer.from(`%PDF-1.7\n% ${NUMBER} draft\n%%EOF\n`);
  const SHA256 = createHash('sha256').update(BYTES).digest('hex');
  let revisionId: string;
  let revisionNumber: string;

  beforeAll(async () => {
    ok(
      'register',
      await doccontrol.post('/api/documents', { number: NUMBER, title: 'Seal seating', docType: 'work_instruction', ownerUsername: 'production' }),
      201,
    );
    const created = ok('create revision', await doccontrol.post('/api/document-revisions', { documentNumber: NUMBER, changeSummary: 'First issue.' }), 201);
    revisionId = created.id;
    revisionNumber = created.number;
    expect(await upload(doccontrol, BYTES, FILE_NAME, 'application/pdf')).toBe(SHA256);
    ok(
      'submit draft',
      await doccontrol.post(`/api/document-revisions/${revisionId}/submit`, {
        fileSha256: SHA256,
        effectiveDate: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
        reviewerRoles: ['approver_engineering'],
        trainingRoles: ['approver_production'],
      }),
    );
  });

  test('the register hides the draft from initiator (no revision, number, file name or hash) and its file is refused', async () => {
    // The record first: this is the refusal the register and the download must repeat.
    expect(refusal(await initiator.get(`/api/document-revisions/${revisionId}`))).toEqual([403, 'record_not_readable']);
    const detail = ok('detail', await initiator.get(`/api/documents/${NUMBER}`));
    expect(detail).toMatchObject({ number: NUMBER, effectiveRevision: null, revisions: [] });
    const list = ok('register', await initiator.get('/api/documents'));
    expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ number: NUMBER, effectiveRevision: null })]));
    for (const text of [JSON.stringify(detail), JSON.stringify(list)]) {
      expect(text).not.toContain(revisionNumber);
      expect(text).not.toContain(FILE_NAME);
      expect(text).not.toContain(SHA256);
    }
    const file = await download(initiator, `/api/documents/${NUMBER}/file?revision=1`);
    expect([file.status, file.body?.code]).toEqual([403, 'record_not_readable']);
    expect(file.bytes.includes(BYTES)).toBe(false);
  });

  test('document control (its author), QA and an auditor see the draft and download it; initiator in the same place does not', async () => {
    for (const session of [doccontrol, qa, auditor]) {
      const detail = ok('detail', await session.get(`/api/documents/${NUMBER}`));
      expect(detail.revisions).toEqual([
        expect.objectContaining({
          recordId: revisionId,
          recordNumber: revisionNumber,
          revision: 1,
          status: 'in_process',
          file: expect.objectContaining({ sha256: SHA256, fileName: FILE_NAME }),
        }),
      ]);
      const file = await download(session, `/api/documents/${NUMBER}/file?revision=1`);
      expect(file.status).toBe(200);
      expect(file.bytes.equals(BYTES)).toBe(true);
    }
    expect(ok('detail', await initiator.get(`/api/documents/${NUMBER}`)).revisions).toEqual([]);
    expect((await download(initiator, `/api/documents/${NUMBER}/file?revision=1`)).status).toBe(403);
  });
});

describe('a person whose role a record asks to act reads it', () => {
  test('a revision under review by the initiator role is read by an initiator, who reviews it; before submission it is not', async () => {
    const number = `WI-ROLE-${randomUUID().slice(0, 4).toUpperCase()}`;
    ok('register', await doccontrol.post('/api/documents', { number, title: 'Cleaning', docType: 'work_instruction', ownerUsername: 'production' }), 201);
    const created = ok('create revision', await doccontrol.post('/api/document-revisions', { documentNumber: number, changeSummary: 'First issue.' }), 201);
    expect(refusal(await initiator.get(`/api/document-revisions/${created.id}`))).toEqual([403, 'record_not_readable']);
    const bytes = Buffer.from(`%PDF-1.7\n% ${number}\n%%EOF\n`);
    const fileSha256 = await upload(doccontrol, bytes, `${number}.pdf`, 'application/pdf');
    ok(
      'submit draft',
      await doccontrol.post(`/api/document-revisions/${created.id}/submit`, {
        fileSha256,
        effectiveDate: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
        reviewerRoles: ['initiator'],
        trainingRoles: ['approver_production'],
      }),
    );
    const reviewer = await system.people.signer('initiator');
    const record = ok('read as reviewer', await reviewer.get(`/api/document-revisions/${created.id}`));
    expect(record.allowedActions).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'sign', meaning: 'reviewed' })]));
    ok('review', await reviewer.post(`/api/document-revisions/${created.id}/sign`, signOff(system.people, reviewer, 'initiator', record, 'reviewed')));
  });
});
