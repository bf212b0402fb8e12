import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { runChangeControlThread } from './support/change-control-thread';
import {
  appendDocumentStatus,
  auditEventContent,
  findUserByUsername,
  insertDocument,
  insertDocumentFile,
  insertDocumentRevision,
  insertRecord,
  listAuditEventsAfter,
  nextRecordNumber,
} from '../db/repositories';
import { findChainBreak } from '../signatures';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;

/** One row in each document table (row triggers fire only on rows that exist). */
async function seedDocumentRows() {
  const db = system.database.db;
  const owner = (await findUserByUsername(db, 'doccontrol'))!;
  const documentId = randomUUID();
  const recordId = randomUUID();
  const at = new Date();
  await db.transaction(async (tx) => {
    await insertDocument(tx, {
      id: documentId,
      number: 'SOP-QA-001',
      title: 'Document control',
      docType: 'sop',
      ownerId: owner.id,
      createdBy: owner.id,
      createdAt: at,
    });
    await insertDocumentFile(tx, {
      sha256: 'a'.repeat(64),
      bytes: Buffer.from('x'),
      size: 1,
      fileName: 'x.pdf',
      mediaType: 'application/pdf',
      uploadedBy: owner.id,
      uploadedAt: at,
    });
    await insertRecord(tx, {
      id: recordId,
      type: 'document_revision',
      number: await nextRecordNumber(tx, 'DOC', at.getUTCFullYear()),
      workflowId: `test/${recordId}`,
      createdBy: owner.id,
      createdAt: at,
    });
    await insertDocumentRevision(tx, { recordId, documentId, revision: 1, createdAt: at });
    await appendDocumentStatus(tx, { id: randomUUID(), documentId, recordId, status: 'effective', occurredAt: at });
  });
}

beforeAll(async () => {
  system = await startTestSystem('append_only');
  await runChangeControlThread(system.people);
  await seedDocumentRows();
});
afterAll(() => system?.close());

/** Runs one statement through the psql client, as an administrator at a prompt would. */
function psql(statement: string): { ok: boolean; output: string } {
  const result = spawnSync('psql', [system.databaseUrl, '-v', 'ON_ERROR_STOP=1', '-c', statement], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe('protected tables refuse UPDATE, DELETE and TRUNCATE at the database (11.10(c), 11.10(e), 11.100)', () => {
  const statements: Record<string, string[]> = {
    audit_events: ["UPDATE audit_events SET reason = 'edited'", 'DELETE FROM audit_events', 'TRUNCATE audit_events CASCADE'],
    signatures: ["UPDATE signatures SET meaning = 'rejected'", 'DELETE FROM signatures'],
    record_versions: ["UPDATE record_versions SET content = '{}'", 'DELETE FROM record_versions'],
    record_transitions: ["UPDATE record_transitions SET to_status = 'draft'", 'DELETE FROM record_transitions'],
    records: ["UPDATE records SET number = 'CC-0000-0000'", 'DELETE FROM records'],
    password_history: ["UPDATE password_history SET password_hash = 'x'", 'DELETE FROM password_history'],
    training_records: ['UPDATE training_records SET expires_at = now()', 'DELETE FROM training_records'],
    policy_acknowledgements: ["UPDATE policy_acknowledgements SET policy_version = '0'", 'DELETE FROM policy_acknowledgements'],
    certificate_revocations: ['TRUNCATE certificate_revocations'],
    users: ['DELETE FROM users', 'TRUNCATE users CASCADE'],
    documents: ["UPDATE documents SET title = 'edited'", 'DELETE FROM documents', 'TRUNCATE documents CASCADE'],
    document_files: ["UPDATE document_files SET file_name = 'edited.pdf'", 'DELETE FROM document_files', 'TRUNCATE document_files CASCADE'],
    // UPDATE and DELETE of chunk rows: test/uploads.test.ts (this file's records hold no chunked file).
    document_file_chunks: ['TRUNCATE document_file_chunks'],
    document_revisions: ['UPDATE document_revisions SET revision = 2', 'DELETE FROM document_revisions', 'TRUNCATE document_revisions CASCADE'],
    document_status_events: ["UPDATE document_status_events SET status = 'obsolete'", 'DELETE FROM document_status_events', 'TRUNCATE document_status_events'],
  };
  for (const [table, list] of Object.entries(statements)) {
    for (const statement of list) {
      test(`${table}: ${statement}`, () => {
        const before = psql(`SELECT count(*) FROM ${table}`).output;
        const result = psql(statement);
        expect(result.ok).toBe(false);
        expect(result.output).toMatch(/append-only/);
        expect(psql(`SELECT count(*) FROM ${table}`).output).toBe(before);
      });
    }
  }

  test('replica mode (session_replication_role) does not switch the protection off', () => {
    for (const [table, statement] of [
      ['audit_events', "UPDATE audit_events SET reason = 'edited'"],
      ['audit_events', 'DELETE FROM audit_events'],
      ['signatures', 'DELETE FROM signatures'],
      ['record_versions', "UPDATE record_versions SET content = '{}'"],
    ] as const) {
      const before = psql(`SELECT count(*) FROM ${table}`).output;
      const result = psql(`SET session_replication_role = replica; ${statement}`);
      expect({ statement, ok: result.ok }).toEqual({ statement, ok: false });
      expect(result.output).toMatch(/append-only/);
      expect(psql(`SELECT count(*) FROM ${table}`).output).toBe(before);
    }
    const forged = psql(
      "SET session_replication_role = replica; INSERT INTO audit_events (seq, occurred_at, actor_name, action, entity_type, entity_id, prev_hash, hash) VALUES ((SELECT max(seq) + 1 FROM audit_events), now(), 'intruder', 'record.created', 'x', 'x', repeat('0', 64), repeat('f', 64))",
    );
    expect(forged.ok).toBe(false);
    expect(forged.output).toMatch(/does not carry the hash/);
  });

  test('an inserted event that does not continue the chain is refused', () => {
    const result = psql(
      "INSERT INTO audit_events (seq, occurred_at, actor_name, action, entity_type, entity_id, prev_hash, hash) VALUES ((SELECT max(seq) + 1 FROM audit_events), now(), 'intruder', 'record.created', 'x', 'x', repeat('0', 64), repeat('f', 64))",
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/does not carry the hash/);
  });

  test('the stored chain verifies: every event carries the hash of the one before', async () => {
    const events = await listAuditEventsAfter(system.database.db, 0, 10_000);
    expect(events.length).toBeGreaterThanOrEqual(14);
    expect(findChainBreak(events.map((e) => ({ ...auditEventContent(e), hash: e.hash })))).toBeNull();
  });
});
