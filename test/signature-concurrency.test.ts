// Issue 10, "the process engine under concurrency" and "the change control that cannot close", as
// real concurrent HTTP requests against the running system: approvers of one quorum signing at the
// same moment, one signature id sent to two records, a signature retried in parallel, and a change
// control whose document revision became effective.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { verifyAuditChain } from '../db/repositories';
import { processQuery, processWorkflowId } from '../workflows/contracts/process-contracts';
import { changeAwaitingApproval, SMALL_IMPACT, signOff, waitForStatus } from './support/change-control-thread';
import type { HttpSession } from './support/http-session';
import { addPerson } from './support/accounts';
import { upload } from './support/process-threads';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
beforeAll(async () => {
  // This file is about concurrency, not limits: one approver signs far more than a person would in a
  // minute (test/rate-limits.test.ts runs the real per-account limits).
  system = await startTestSystem('signature_concurrency', { env: { RATE_LIMIT_SIGNING_PER_ACCOUNT: '100000/1m' } });
});
afterAll(() => system?.close());

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return (await system.database.db.execute(query)).rows as T[];
}

async function workflowStatus(id: string): Promise<string | undefined> {
  return (await system.temporal.workflow.getHandle(processWorkflowId(id)).query(processQuery, null))?.status;
}

/** A sign body that always names the user too (concurrent first signatures of a session need it). */
function signBody(username: string, record: { version: number; contentHash: string }, signatureId: string = randomUUID()) {
  return {
    signatureId,
    username,
    password: system.people.passwords[username]!,
    meaning: 'approved',
    recordVersion: record.version,
    contentHash: record.contentHash,
  };
}

/** Owners of the extra areas: new people with the area's approver role and the training the approval step requires. */
async function areaOwner(username: string, role: string): Promise<void> {
  await addPerson(await system.people.session('admin'), system.people, {
    username,
    printedName: `Owner ${username}`,
    roles: [role],
    reason: 'Area owner for the test',
  });
}

const AREA_OWNERS = { engineering: 'engineering', production: 'production', quality_control: 'qcowner', regulatory: 'raowner', supply_chain: 'scowner' };

describe('concurrent approvers of one quorum', () => {
  let signers: Record<string, HttpSession>;
  beforeAll(async () => {
    await areaOwner('qcowner', 'approver_quality_control');
    await areaOwner('raowner', 'approver_regulatory');
    await areaOwner('scowner', 'approver_supply_chain');
    const usernames = ['qa', ...Object.values(AREA_OWNERS)];
    const sessions = await Promise.all(usernames.map((u) => system.people.signer(u)));
    signers = Object.fromEntries(usernames.map((u, i) => [u, sessions[i]!]));
  });

  /** `records` change controls whose approval needs QA and the owners of `areas`, all signed by everyone at once. */
  async function signAllAtOnce(areas: (keyof typeof AREA_OWNERS)[], records: number) {
    const initiator = await system.people.session('initiator');
    const changes = await Promise.all(
      Array.from({ length: records }, () => changeAwaitingApproval(initiator, { ...SMALL_IMPACT, impact: { ...SMALL_IMPACT.impact, affectedAreas: areas } })),
    );
    const approvers = ['qa', ...areas.map((a) => AREA_OWNERS[a])];
    const answers = await Promise.all(
      changes.flatMap((change) =>
        approvers.map(async (username) => {
          const body = signBody(username, change as never);
          const answer = await signers[username]!.post(`/api/change-controls/${change.id}/sign`, body);
          return { change: change.id as string, username, signatureId: body.signatureId, answer };
        }),
      ),
    );
    for (const { answer, username } of answers)
      expect({ username, status: answer.status, body: answer.status === 200 ? 'ok' : answer.body }).toEqual({ username, status: 200, body: 'ok' });
    for (const change of changes) {
      // Every record advanced exactly once, with exactly its own signatures.
      const left = await rows<{ to_status: string }>(sql`SELECT to_status FROM record_transitions WHERE record_id = ${change.id} AND from_status = 'approval'`);
      expect(left.map((t) => t.to_status)).toEqual(['implementation']);
      const signed = await rows<{ id: string; signer: string }>(
        sql`SELECT s.id, u.username AS signer FROM signatures s JOIN users u ON u.id = s.signer_id WHERE s.record_id = ${change.id} AND s.step = 'approval'`,
      );
      expect(signed.map((s) => s.signer).sort()).toEqual([...approvers].sort());
      expect(signed.map((s) => s.id).sort()).toEqual(
        answers
          .filter((a) => a.change === change.id)
          .map((a) => a.signatureId)
          .sort(),
      );
      expect(await workflowStatus(change.id)).not.toBe('approval');
    }
    // The signatures' and transitions' audit events, appended by concurrent transactions, form one unbroken chain.
    const chain = await verifyAuditChain(system.database.pool);
    expect({ intact: chain.intact, firstBreak: chain.firstBreak }).toEqual({ intact: true, firstBreak: null });
  }

  test('three approvers × 10 records signing at the same moment, twice: each record leaves approval once', async () => {
    for (let round = 0; round < 2; round++) await signAllAtOnce(['engineering', 'production'], 10);
  });

  test('five approvers × 10 records signing at the same moment, twice: each record leaves approval once', async () => {
    for (let round = 0; round < 2; round++) await signAllAtOnce(['engineering', 'production', 'quality_control', 'regulatory', 'supply_chain'], 10);
  });
});

describe('one signature id', () => {
  test('sent to two records at the same moment: one signs, the other is refused with signature_id_conflict and is unchanged', async () => {
    const initiator = await system.people.session('initiator');
    const qa = await system.people.signer('qa');
    const [a, b] = await Promise.all([changeAwaitingApproval(initiator), changeAwaitingApproval(initiator)]);
    const signatureId = randomUUID();
    const answers = await Promise.all([a, b].map((change) => qa.post(`/api/change-controls/${change.id}/sign`, signBody('qa', change as never, signatureId))));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = answers[0]!.status === 200 ? a : b;
    const loser = winner === a ? b : a;
    const refused = answers.find((r) => r.status === 409)!;
    expect(refused.body.code).toBe('signature_id_conflict');
    expect(answers.find((r) => r.status === 200)!.body.signature).toMatchObject({ id: signatureId });

    const stored = await rows<{ record_id: string }>(sql`SELECT record_id FROM signatures WHERE id = ${signatureId}`);
    expect(stored).toEqual([{ record_id: winner.id }]);
    // Nothing about the loser changed: no signature, no transition, no signature event, and its workflow still waits for approval.
    expect(await rows(sql`SELECT id FROM signatures WHERE record_id = ${loser.id}`)).toEqual([]);
    expect(await rows(sql`SELECT id FROM record_transitions WHERE record_id = ${loser.id} AND from_status = 'approval'`)).toEqual([]);
    expect(await rows(sql`SELECT seq FROM audit_events WHERE record_id = ${loser.id} AND action = 'signature.applied'`)).toEqual([]);
    expect(await workflowStatus(loser.id)).toBe('approval');
    const view = await qa.get(`/api/change-controls/${loser.id}`);
    expect(view.body.allowedActions).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'sign' })]));

    // The loser is not stuck: signed with a new id it advances.
    const again = await qa.post(`/api/change-controls/${loser.id}/sign`, signBody('qa', loser as never));
    expect(again.status).toBe(200);
    expect(await rows(sql`SELECT to_status FROM record_transitions WHERE record_id = ${loser.id} AND from_status = 'approval'`)).toEqual([
      { to_status: 'implementation' },
    ]);
  });

  test('retried 20 times in parallel: every answer is the one recorded signature', async () => {
    const initiator = await system.people.session('initiator');
    const qa = await system.people.signer('qa');
    const change = await changeAwaitingApproval(initiator);
    const body = signBody('qa', change as never);
    const answers = await Promise.all(Array.from({ length: 20 }, () => qa.post(`/api/change-controls/${change.id}/sign`, body)));
    expect(answers.map((r) => (r.status === 200 ? 200 : `${r.status} ${JSON.stringify(r.body)}`))).toEqual(Array(20).fill(200));
    for (const answer of answers) expect(answer.body.signature).toMatchObject({ id: body.signatureId, meaning: 'approved' });
    expect(await rows(sql`SELECT id FROM signatures WHERE record_id = ${change.id}`)).toEqual([{ id: body.signatureId }]);
    expect(await rows(sql`SELECT to_status FROM record_transitions WHERE record_id = ${change.id} AND from_status = 'approval'`)).toEqual([
      { to_status: 'implementation' },
    ]);
    // The same id on the same record with another version is not a retry.
    const other = await qa.post(`/api/change-controls/${change.id}/sign`, { ...body, recordVersion: change.version + 1 });
    expect(other).toMatchObject({ status: 409, body: { code: 'signature_id_conflict' } });
  });
});

describe('a change control with an affected document', () => {
  test('closes once its document revision is effective', async () => {
    const people = system.people;
    const [initiator, qa, doccontrol, engineering] = await Promise.all([
      people.session('initiator'),
      people.signer('qa'),
      people.signer('doccontrol'),
      people.signer('engineering'),
    ]);
    const documentNumber = `SOP-CLOSE-${randomUUID().slice(0, 4).toUpperCase()}`;
    const registered = await doccontrol.post('/api/documents', { number: documentNumber, title: 'Seal assembly', docType: 'sop', ownerUsername: 'doccontrol' });
    expect(registered.status).toBe(201);
    const submitted = await changeAwaitingApproval(initiator, { ...SMALL_IMPACT, impact: { ...SMALL_IMPACT.impact, affectedDocuments: [documentNumber] } });
    const approved = await qa.post(`/api/change-controls/${submitted.id}/sign`, signOff(people, qa, 'qa', submitted as never, 'approved'));
    expect(approved.status).toBe(200);
    let verifying = await waitForStatus(qa, `/api/change-controls/${submitted.id}`, 'effectiveness_verification');
    // The child revision's record is written by its own workflow, a moment after the change moved on.
    for (let i = 0; i < 300 && !verifying.links.some((l: { relation: string }) => l.relation === 'document_revision'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      verifying = (await qa.get(`/api/change-controls/${submitted.id}`)).body;
    }
    const revisionId: string = verifying.links.find((l: { relation: string }) => l.relation === 'document_revision').recordId;

    // While the revision is a draft the change cannot close.
    const early = await qa.post(`/api/change-controls/${submitted.id}/sign`, signOff(people, qa, 'qa', verifying as never, 'verified'));
    expect(early).toMatchObject({ status: 409, body: { code: 'children_open' } });

    const sha256 = await upload(doccontrol, Buffer.from(`%PDF-1.7\n% ${documentNumber} revision 1\n%%EOF\n`), `${documentNumber}.pdf`);
    const inReview = await doccontrol.post(`/api/document-revisions/${revisionId}/submit`, {
      fileSha256: sha256,
      effectiveDate: new Date(Date.now() + 1000).toISOString(),
      reviewerRoles: ['approver_engineering'],
      trainingRoles: ['approver_production'],
    });
    expect(inReview.status).toBe(200);
    const reviewed = await engineering.post(
      `/api/document-revisions/${revisionId}/sign`,
      signOff(people, engineering, 'engineering', inReview.body, 'reviewed'),
    );
    expect(reviewed.status).toBe(200);
    const revisionApproved = await qa.post(`/api/document-revisions/${revisionId}/sign`, signOff(people, qa, 'qa', reviewed.body.record, 'approved'));
    expect(revisionApproved.status).toBe(200);
    await waitForStatus(doccontrol, `/api/document-revisions/${revisionId}`, 'effective', 120_000);

    // The revision tells its change control that it is done; the closure becomes possible.
    let offered = false;
    for (let i = 0; i < 300 && !offered; i++) {
      const view = await qa.get(`/api/change-controls/${submitted.id}`);
      offered = view.body.allowedActions.some((a: { action: string }) => a.action === 'sign');
      if (!offered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(offered).toBe(true);
    const closed = await qa.post(`/api/change-controls/${submitted.id}/sign`, signOff(people, qa, 'qa', verifying as never, 'verified'));
    expect(closed.status).toBe(200);
    expect(closed.body.record.status).toBe('closed');
    // The revision stays effective: closing the change did not end it.
    expect((await doccontrol.get(`/api/document-revisions/${revisionId}`)).body.status).toBe('effective');
  });
});
