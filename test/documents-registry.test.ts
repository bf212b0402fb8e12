// Document control, register and read side: documents registered by document control, files stored
// by their SHA-256, revisions and their issue status as the revision process leaves them.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  appendDocumentStatus,
  findDocumentByNumber,
  findUserByUsername,
  insertDocumentRevision,
  insertRecord,
  insertRecordVersion,
  listAuditEventsAfter,
  lockDocument,
  nextRecordNumber,
  nextRevisionNumber,
} from '../db/repositories';
import { canonicalHash } from '../signatures';
import type { HttpSession } from './support/http-session';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let doccontrol: HttpSession;
let initiator: HttpSession;

const SOP = { number: 'SOP-QA-007', title: 'Change control procedure', docType: 'sop', ownerUsername: 'qa' };
const PDF = Buffer.from('%PDF-1.7\n% SOP-QA-007 revision 1\n%%EOF\n');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function upload(session: HttpSession, bytes: Buffer, fileName: string, contentType = 'application/pdf') {
  return session.send('POST', `/api/documents/files?fileName=${encodeURIComponent(fileName)}`, bytes, contentType);
}

async function download(session: HttpSession, url: string) {
  const response = await fetch(`${system.baseUrl}${url}`, { headers: { cookie: session.cookie ?? '' } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    bytes,
    json: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined,
    headers: response.headers,
  };
}

async function count(table: string): Promise<number> {
  const result = await system.database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
  return result.rows[0]!.n;
}

beforeAll(async () => {
  system = await startTestSystem('documents_registry');
  doccontrol = await system.session('doccontrol');
  initiator = await system.session('initiator');
});
afterAll(() => system?.close());

describe('the document register', () => {
  test('document control registers a document; it is audited', async () => {
    const created = await doccontrol.post('/api/documents', SOP);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: 'SOP-QA-007',
      title: SOP.title,
      docType: 'sop',
      owner: { username: 'qa', printedName: 'Quentin Adeyemi' },
      effectiveRevision: null,
    });
    const events = await listAuditEventsAfter(system.database.db, 0, 10_000);
    const registered = events.filter((e) => e.action === 'document.registered');
    expect(registered).toHaveLength(1);
    expect(registered[0]).toMatchObject({ entityType: 'document', entityId: created.body.id, actorName: 'Dana Kowalski' });
  });

  test('the same number again is refused with 409 document_exists and nothing is written', async () => {
    const [documentsBefore, auditBefore] = [await count('documents'), await count('audit_events')];
    const again = await doccontrol.post('/api/documents', { ...SOP, title: 'Another procedure' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('document_exists');
    expect([await count('documents'), await count('audit_events')]).toEqual([documentsBefore, auditBefore]);
  });

  test('an unknown owner, a malformed number or an unknown type is refused', async () => {
    const unknownOwner = await doccontrol.post('/api/documents', { ...SOP, number: 'SOP-QA-008', ownerUsername: 'nobody' });
    expect([unknownOwner.status, unknownOwner.body.code]).toEqual([422, 'unknown_user']);
    const lowerCase = await doccontrol.post('/api/documents', { ...SOP, number: 'sop-qa-008' });
    expect([lowerCase.status, lowerCase.body.code]).toEqual([400, 'validation_failed']);
    const badType = await doccontrol.post('/api/documents', { ...SOP, number: 'SOP-QA-008', docType: 'memo' });
    expect([badType.status, badType.body.code]).toEqual([400, 'validation_failed']);
    expect(await findDocumentByNumber(system.database.db, 'SOP-QA-008')).toBeUndefined();
  });

  test('only document control registers documents', async () => {
    const refused = await initiator.post('/api/documents', { ...SOP, number: 'SOP-QA-009' });
    expect([refused.status, refused.body.code]).toEqual([403, 'not_authorised']);
  });

  test('every signed-in person reads the register and the document, with no revisions yet', async () => {
    const list = await initiator.get('/api/documents');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ number: 'SOP-QA-007', effectiveRevision: null })]);
    const document = await initiator.get('/api/documents/SOP-QA-007');
    expect(document.status).toBe(200);
    expect(document.body).toMatchObject({ number: 'SOP-QA-007', revisions: [] });
    const unknown = await initiator.get('/api/documents/SOP-XX-001');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown_document']);
  });

  test('without an effective revision there is nothing to download', async () => {
    const response = await download(initiator, '/api/documents/SOP-QA-007/file');
    expect([response.status, response.json?.code]).toEqual([404, 'no_effective_revision']);
    const unknownRevision = await download(initiator, '/api/documents/SOP-QA-007/file?revision=1');
    expect([unknownRevision.status, unknownRevision.json?.code]).toEqual([404, 'unknown_revision']);
  });
});

describe('document files', () => {
  test('an upload is stored under the SHA-256 of its bytes and audited', async () => {
    const uploaded = await upload(doccontrol, PDF, 'SOP-QA-007 rev 1.pdf');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({ sha256: sha256(PDF), size: PDF.length, fileName: 'SOP-QA-007 rev 1.pdf', mediaType: 'application/pdf' });
    const events = (await listAuditEventsAfter(system.database.db, 0, 10_000)).filter((e) => e.action === 'document.file_uploaded');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entityType: 'document_file', entityId: sha256(PDF) });
  });

  test('the same bytes again are the file already stored: nothing new is written', async () => {
    const [filesBefore, auditBefore] = [await count('document_files'), await count('audit_events')];
    const again = await upload(doccontrol, PDF, 'copy.bin', 'application/octet-stream');
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ sha256: sha256(PDF), size: PDF.length, fileName: 'SOP-QA-007 rev 1.pdf', mediaType: 'application/pdf' });
    expect([await count('document_files'), await count('audit_events')]).toEqual([filesBefore, auditBefore]);
  });

  test('an octet-stream upload keeps its media type', async () => {
    const bytes = Buffer.from([0, 1, 2, 3, 254, 255]);
    const uploaded = await upload(doccontrol, bytes, 'drawing.dwg', 'application/octet-stream');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({ sha256: sha256(bytes), size: 6, fileName: 'drawing.dwg', mediaType: 'application/octet-stream' });
  });

  test('an empty body, another media type, a path as file name or another role is refused', async () => {
    const filesBefore = await count('document_files');
    const empty = await upload(doccontrol, Buffer.alloc(0), 'empty.pdf');
    expect([empty.status, empty.body.code]).toEqual([400, 'empty_file']);
    const json = await upload(doccontrol, Buffer.from('{"a":1}'), 'a.json', 'application/json');
    expect([json.status, json.body.code]).toEqual([415, 'unsupported_media_type']);
    const traversal = await upload(doccontrol, PDF, '../../etc/passwd');
    expect([traversal.status, traversal.body.code]).toEqual([400, 'validation_failed']);
    const initiatorUpload = await upload(initiator, PDF, 'x.pdf');
    expect([initiatorUpload.status, initiatorUpload.body.code]).toEqual([403, 'not_authorised']);
    expect(await count('document_files')).toBe(filesBefore);
  });
});

describe('revisions as the revision process leaves them', () => {
  let recordId: string;
  let recordNumber: string;

  beforeAll(async () => {
    // What the document revision activity writes: a document_revision record, its content naming the file, the revision row.
    const db = system.database.db;
    const author = (await findUserByUsername(db, 'doccontrol'))!;
    const document = (await findDocumentByNumber(db, 'SOP-QA-007'))!;
    recordId = randomUUID();
    const content = {
      title: 'Change control procedure, revision 1',
      file: { sha256: sha256(PDF), fileName: 'SOP-QA-007 rev 1.pdf', size: PDF.length, mediaType: 'application/pdf' },
      effectiveDate: '2026-12-01',
    };
    await db.transaction(async (tx) => {
      await lockDocument(tx, document.id);
      const revision = await nextRevisionNumber(tx, document.id);
      expect(revision).toBe(1);
      const at = new Date();
      recordNumber = await nextRecordNumber(tx, 'DOC', at.getUTCFullYear());
      await insertRecord(tx, {
        id: recordId,
        type: 'document_revision',
        number: recordNumber,
        workflowId: `test/${recordId}`,
        createdBy: author.id,
        createdAt: at,
      });
      await insertRecordVersion(tx, { recordId, version: 1, content, contentHash: canonicalHash(content), createdBy: author.id, createdAt: at });
      await insertDocumentRevision(tx, { recordId, documentId: document.id, revision, createdAt: at });
    });
  });

  test('a revision in its process is listed as in_process, with its file, to those who may read it; no effective revision yet', async () => {
    // A draft is listed only to those who may read its record (test/read-access.test.ts): not to initiator.
    const hidden = await initiator.get('/api/documents/SOP-QA-007');
    expect(hidden.body).toMatchObject({ effectiveRevision: null, revisions: [] });
    const document = await doccontrol.get('/api/documents/SOP-QA-007');
    expect(document.body.effectiveRevision).toBeNull();
    expect(document.body.revisions).toEqual([
      expect.objectContaining({
        recordId,
        recordNumber,
        revision: 1,
        status: 'in_process',
        effectiveDate: '2026-12-01',
        file: { sha256: sha256(PDF), fileName: 'SOP-QA-007 rev 1.pdf', size: PDF.length, mediaType: 'application/pdf' },
      }),
    ]);
    const latest = await download(initiator, '/api/documents/SOP-QA-007/file');
    expect([latest.status, latest.json?.code]).toEqual([404, 'no_effective_revision']);
  });

  test('the draft file is read by those who may read the record, not by everyone', async () => {
    const byDocControl = await download(doccontrol, '/api/documents/SOP-QA-007/file?revision=1');
    expect(byDocControl.status).toBe(200);
    expect(byDocControl.bytes.equals(PDF)).toBe(true);
    const byInitiator = await download(initiator, '/api/documents/SOP-QA-007/file?revision=1');
    expect([byInitiator.status, byInitiator.json?.code]).toEqual([403, 'record_not_readable']);
  });

  test('once effective, everyone downloads it: bytes, media type, file name and SHA-256 header', async () => {
    const db = system.database.db;
    const document = (await findDocumentByNumber(db, 'SOP-QA-007'))!;
    await db.transaction(async (tx) => {
      await lockDocument(tx, document.id);
      await appendDocumentStatus(tx, {
        id: randomUUID(),
        documentId: document.id,
        recordId,
        status: 'effective',
        occurredAt: new Date(),
        actorId: null,
        reason: null,
      });
    });
    const file = await download(initiator, '/api/documents/SOP-QA-007/file');
    expect(file.status).toBe(200);
    expect(file.bytes.equals(PDF)).toBe(true);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain('SOP-QA-007 rev 1.pdf');
    expect(file.headers.get('x-content-sha256')).toBe(sha256(PDF));
    const list = await initiator.get('/api/documents');
    expect(list.body).toEqual([expect.objectContaining({ number: 'SOP-QA-007', effectiveRevision: 1 })]);
    const detail = await initiator.get('/api/documents/SOP-QA-007');
    expect(detail.body.revisions[0]).toMatchObject({ status: 'effective', statusAt: expect.any(String) });
  });
});
