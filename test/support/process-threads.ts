// Complete runs of each process type through the HTTP API, used to record the histories that the
// replay test keeps (test/histories/record-history.ts). Each returns the record ids whose workflows
// it drove to their end.
import { createHash, randomUUID } from 'node:crypto';
import { changeAwaitingApproval, signOff, SMALL_IMPACT, waitForStatus } from './change-control-thread';
import type { HttpSession, People } from './http-session';

function ok(what: string, response: { status: number; body: any }, status = 200): any {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Retries `attempt` until it answers `status` (a parent sees its child end a moment after the child does). */
async function until(what: string, attempt: () => Promise<{ status: number; body: any }>, status = 200): Promise<any> {
  for (let i = 0; ; i++) {
    const response = await attempt();
    if (response.status === status) return response.body;
    if (i >= 100) return ok(what, response, status);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Uploads a document's content file as `session`; returns the SHA-256 the server named, checked against the bytes. */
export async function upload(session: HttpSession, bytes: Buffer, fileName: string, mediaType = 'application/octet-stream'): Promise<string> {
  const response = await session.send<{ sha256: string }>('POST', `/api/documents/files?fileName=${encodeURIComponent(fileName)}`, bytes, mediaType);
  const body = response.body;
  ok(`upload ${fileName}`, response, 201);
  if (body.sha256 !== createHash('sha256').update(bytes).digest('hex')) throw new Error('upload: the server named another SHA-256');
  return body.sha256;
}

/**
 * A change control whose impact names one document and one implementation task: approved by QA,
 * the task done, the child document revision drafted, reviewed, approved, effective on its date and
 * then made obsolete, and the change verified and closed by QA.
 */
export async function runChangeControlWithRevision(people: People): Promise<{ changeId: string; revisionId: string }> {
  const [initiator, qa, doccontrol, engineering, production] = await Promise.all([
    people.session('initiator'),
    people.signer('qa'),
    people.signer('doccontrol'),
    people.signer('engineering'),
    people.session('production'),
  ]);
  const documentNumber = `SOP-REC-${randomUUID().slice(0, 4).toUpperCase()}`;
  ok(
    'register',
    await doccontrol.post('/api/documents', { number: documentNumber, title: 'Housing seal assembly', docType: 'sop', ownerUsername: 'doccontrol' }),
    201,
  );
  const submitted = await changeAwaitingApproval(initiator, {
    ...SMALL_IMPACT,
    impact: { ...SMALL_IMPACT.impact, affectedDocuments: [documentNumber] },
    implementationTasks: [{ title: 'Update the bill of materials', ownerUsername: 'production' }],
  });
  const changeId: string = submitted.id;
  const approved = ok('approve', await qa.post(`/api/change-controls/${changeId}/sign`, signOff(people, qa, 'qa', submitted as never, 'approved')));
  const task = approved.record.openTasks.find((t: { action: string }) => t.action === 'complete');
  ok('complete task', await production.post(`/api/change-controls/${changeId}/tasks/${task.id}/complete`, { note: 'BOM rev C released.' }));
  const verifying = await waitForStatus(qa, `/api/change-controls/${changeId}`, 'effectiveness_verification');
  const revisionId: string = verifying.links.find((l: { relation: string }) => l.relation === 'document_revision').recordId;

  const sha256 = await upload(doccontrol, Buffer.from(`%PDF-1.7\n% ${documentNumber} revision 1\n%%EOF\n`), `${documentNumber}.pdf`);
  const effectiveDate = new Date(Date.now() + 3000).toISOString();
  const inReview = ok(
    'submit revision',
    await doccontrol.post(`/api/document-revisions/${revisionId}/submit`, {
      fileSha256: sha256,
      effectiveDate,
      reviewerRoles: ['approver_engineering'],
      trainingRoles: ['approver_production'],
    }),
  );
  const reviewed = ok(
    'review',
    await engineering.post(`/api/document-revisions/${revisionId}/sign`, signOff(people, engineering, 'engineering', inReview, 'reviewed')),
  );
  ok('approve revision', await qa.post(`/api/document-revisions/${revisionId}/sign`, signOff(people, qa, 'qa', reviewed.record, 'approved')));
  await waitForStatus(doccontrol, `/api/document-revisions/${revisionId}`, 'effective');
  ok('obsolete', await doccontrol.post(`/api/document-revisions/${revisionId}/obsolete`, { reason: 'Replaced by the supplier specification.' }));

  await until('verify and close', () => qa.post(`/api/change-controls/${changeId}/sign`, signOff(people, qa, 'qa', verifying as never, 'verified')));
  return { changeId, revisionId };
}

/** A CAPA from a complaint with one action: investigated, plan approved, action done, effective after the wait, closed. */
export async function runCapaThread(people: People): Promise<{ capaId: string }> {
  const [initiator, qa, production] = await Promise.all([people.session('initiator'), people.signer('qa'), people.session('production')]);
  const created = ok(
    'create CAPA',
    await initiator.post('/api/capas', {
      title: 'Seal leaks on housing 4711',
      description: 'Customers report coolant leaking at the housing seal.',
      source: { kind: 'complaint', reference: 'COMPL-2026-0117' },
    }),
    201,
  );
  const capaId: string = created.id;
  ok('submit problem', await initiator.post(`/api/capas/${capaId}/submit`));
  const planned = ok(
    'submit investigation',
    await initiator.post(`/api/capas/${capaId}/submit`, {
      investigation: { rootCause: 'Seal groove machined too shallow.', method: '5 Whys' },
      actions: [{ title: 'Retrain assembly staff on seal seating', ownerUsername: 'production' }],
    }),
  );
  const approved = ok('approve plan', await qa.post(`/api/capas/${capaId}/sign`, signOff(people, qa, 'qa', planned, 'approved')));
  const task = approved.record.openTasks.find((t: { action: string }) => t.action === 'complete');
  ok('complete action', await production.post(`/api/capas/${capaId}/tasks/${task.id}/complete`, { note: 'Training records on file.' }));
  const checking = await waitForStatus(qa, `/api/capas/${capaId}`, 'effectiveness_check');
  ok('effective', await qa.post(`/api/capas/${capaId}/sign`, signOff(people, qa, 'qa', checking as never, 'effective')));
  return { capaId };
}
