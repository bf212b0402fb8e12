// Complete runs of each process type through the HTTP API, used to record the histories that the
// replay test keeps (test/histories/record-history.ts). Each returns the record ids whose workflows
// it drove to their end.
import { createHash, randomUUID } from 'node:crypto';
import { addPerson } from './accounts';
import { changeAwaitingApproval, signOff, SMALL_IMPACT, waitForStatus } from './change-control-thread';
import type { HttpSession, People } from './http-session';
import { PATIENCE_MS } from './patience';

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
  const opened = await changeWithRevisionApproved(people, 3000);
  await finishChangeWithRevision(people, opened);
  return opened;
}

/**
 * The first part of `runChangeControlWithRevision`: the change waits for its effectiveness
 * verification, its document revision (approved) for its effective date, `effectiveInMs` from when
 * it was submitted (a date already passed makes it effective at once).
 */
export async function changeWithRevisionApproved(people: People, effectiveInMs: number): Promise<{ changeId: string; revisionId: string }> {
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
  const verifying = await waitForStatus(qa, `/api/change-controls/${changeId}`, 'effectiveness_verification', PATIENCE_MS);
  const revisionId: string = verifying.links.find((l: { relation: string }) => l.relation === 'document_revision').recordId;

  const sha256 = await upload(doccontrol, Buffer.from(`%PDF-1.7\n% ${documentNumber} revision 1\n%%EOF\n`), `${documentNumber}.pdf`);
  const effectiveDate = new Date(Date.now() + effectiveInMs).toISOString();
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
  return { changeId, revisionId };
}

/** The rest: the revision effective on its date, then made obsolete; the change verified and closed. */
export async function finishChangeWithRevision(people: People, { changeId, revisionId }: { changeId: string; revisionId: string }): Promise<void> {
  const [qa, doccontrol] = await Promise.all([people.signer('qa'), people.signer('doccontrol')]);
  const verifying = await waitForStatus(qa, `/api/change-controls/${changeId}`, 'effectiveness_verification', PATIENCE_MS);
  await waitForStatus(doccontrol, `/api/document-revisions/${revisionId}`, 'effective', PATIENCE_MS);
  ok('obsolete', await doccontrol.post(`/api/document-revisions/${revisionId}/obsolete`, { reason: 'Replaced by the supplier specification.' }));

  await until('verify and close', () => qa.post(`/api/change-controls/${changeId}/sign`, signOff(people, qa, 'qa', verifying as never, 'verified')));
}

/** A CAPA from a complaint with one action: investigated, plan approved, action done, effective after the wait, closed. */
export async function runCapaThread(people: People): Promise<{ capaId: string }> {
  const capaId = await capaAwaitingPlanApproval(people);
  await finishCapa(people, capaId);
  return { capaId };
}

/** A CAPA from a complaint, investigated, its plan (one action, owned by production) waiting for QA's approval; its id. */
export async function capaAwaitingPlanApproval(people: People): Promise<string> {
  const initiator = await people.session('initiator');
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
  ok(
    'submit investigation',
    await initiator.post(`/api/capas/${capaId}/submit`, {
      investigation: { rootCause: 'Seal groove machined too shallow.', method: '5 Whys' },
      actions: [{ title: 'Retrain assembly staff on seal seating', ownerUsername: 'production' }],
    }),
  );
  return capaId;
}

/**
 * Drives a CAPA of `capaAwaitingPlanApproval` on from wherever it stands to closed: QA approves the
 * plan, production completes the action, QA signs it effective once the wait has passed.
 */
export async function finishCapa(people: People, capaId: string): Promise<void> {
  await capaActionDone(people, capaId);
  const qa = await people.signer('qa');
  const checking = await waitForStatus(qa, `/api/capas/${capaId}`, 'effectiveness_check', PATIENCE_MS);
  ok('effective', await qa.post(`/api/capas/${capaId}/sign`, signOff(people, qa, 'qa', checking as never, 'effective')));
}

/** A CAPA of `capaAwaitingPlanApproval` on to its effectiveness wait: the plan approved by QA (unless it is already), the action done. */
export async function capaActionDone(people: People, capaId: string): Promise<void> {
  const [qa, production] = await Promise.all([people.signer('qa'), people.session('production')]);
  let capa = ok('read CAPA', await qa.get(`/api/capas/${capaId}`));
  if (capa.status === 'plan_approval')
    capa = ok('approve plan', await qa.post(`/api/capas/${capaId}/sign`, signOff(people, qa, 'qa', capa, 'approved'))).record;
  if (capa.status === 'implementation') {
    const task = capa.openTasks.find((t: { action: string }) => t.action === 'complete');
    ok('complete action', await production.post(`/api/capas/${capaId}/tasks/${task.id}/complete`, { note: 'Training records on file.' }));
  }
}

// ---- nonconforming material (NCMR) -------------------------------------------------------------

/** Polls GET `path` until `predicate` holds (an NCMR's lot effects run right after its transitions). */
async function polled(session: HttpSession, path: string, predicate: (body: any) => boolean, what: string): Promise<any> {
  const until = Date.now() + PATIENCE_MS;
  for (;;) {
    const response = await session.get(path);
    if (response.status === 200 && predicate(response.body)) return response.body;
    if (Date.now() > until) throw new Error(`${path}: ${what} not reached: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The sessions an NCMR thread signs and acts with. */
export interface NcmrSigners {
  people: People;
  initiator: HttpSession;
  mrb: HttpSession;
  qa: HttpSession;
  engineering: HttpSession;
  production: HttpSession;
}

/** The sessions and material an NCMR thread needs: a housing item, and released lots of it received by a goods-in clerk. */
export interface NcmrBench extends NcmrSigners {
  /** A new lot of the housing, received and released; its id. */
  lot(): Promise<string>;
}

export async function ncmrSigners(people: People): Promise<NcmrSigners> {
  const [initiator, mrb, qa, engineering, production] = await Promise.all([
    people.session('initiator'),
    people.signer('mrb'),
    people.signer('qa'),
    people.signer('engineering'),
    people.session('production'),
  ]);
  return { people, initiator, mrb, qa, engineering, production };
}

export async function ncmrBench(people: People): Promise<NcmrBench> {
  const admin = await people.session('admin');
  await addPerson(admin, people, { username: 'goods-in', roles: ['approver_supply_chain'], trained: false });
  const [signers, goodsIn] = await Promise.all([ncmrSigners(people), people.session('goods-in')]);
  const { qa, engineering } = signers;
  const item = ok(
    'item',
    await engineering.post('/api/items', {
      partNumber: 'CMP-HOUSING',
      revision: 'A',
      description: 'Pump housing 4711, cast',
      unitOfMeasure: 'pcs',
      itemClass: 'component',
      serialised: false,
      billOfMaterials: [],
    }),
    201,
  );
  let lots = 0;
  async function lot(): Promise<string> {
    lots += 1;
    const received = ok(
      'receive',
      await goodsIn.post('/api/lots', { itemId: item.id, lotNumber: `H-${String(lots).padStart(4, '0')}`, quantity: 100, supplierName: 'Acme Castings' }),
      201,
    );
    ok('release', await qa.post(`/api/lots/${received.id}/status-events`, { status: 'released', reason: 'Incoming inspection passed' }), 201);
    return received.id;
  }
  return { ...signers, lot };
}

/** An NCMR reported on a new lot by the initiator, the lot on hold, submitted to the MRB; its view and the lot id. */
export async function ncmrInMrbReview(bench: NcmrBench): Promise<{ ncmr: any; lotId: string }> {
  const lotId = await bench.lot();
  const created = ok(
    'report',
    await bench.initiator.post('/api/ncmrs', {
      title: 'Burrs on the sealing face of housing 4711',
      description: 'Incoming inspection found burrs on the sealing face of 40 of 100 housings.',
      detectionPoint: 'incoming',
      defectCode: 'VIS-DMG',
      lots: [{ lotId, nonconformingQuantity: 40 }],
    }),
    201,
  );
  await polled(bench.qa, `/api/lots/${lotId}`, (l) => l.status === 'on_hold', 'on hold');
  return { ncmr: ok('submit report', await bench.initiator.post(`/api/ncmrs/${created.id}/submit`)), lotId };
}

const ncmrSign = async (bench: NcmrSigners, session: HttpSession, username: string, record: any, meaning: string) =>
  ok(`${username} signs ${meaning}`, await session.post(`/api/ncmrs/${record.id}/sign`, signOff(bench.people, session, username, record, meaning))).record;

/** Use as is: the MRB justifies it; MRB, QA and engineering sign; the lot ends released. */
export async function runNcmrUseAsIs(bench: NcmrBench): Promise<{ ncmrId: string }> {
  const { ncmr, lotId } = await ncmrInMrbReview(bench);
  await finishNcmrUseAsIs(bench, ncmr.id, lotId);
  return { ncmrId: ncmr.id };
}

/** An NCMR of `ncmrInMrbReview` on to closed: used as is, signed by MRB, QA and engineering; the lot released again. */
export async function finishNcmrUseAsIs(signers: NcmrSigners, ncmrId: string, lotId: string): Promise<void> {
  const deciding = ok(
    'disposition',
    await signers.mrb.post(`/api/ncmrs/${ncmrId}/submit`, {
      dispositions: [{ lotId, decision: 'use_as_is', justification: 'Burr height within the seal tolerance (EA-2026-14).' }],
    }),
  );
  const byMrb = await ncmrSign(signers, signers.mrb, 'mrb', deciding, 'approved');
  const byQa = await ncmrSign(signers, signers.qa, 'qa', byMrb, 'approved');
  await ncmrSign(signers, signers.engineering, 'engineering', byQa, 'approved');
  await polled(signers.qa, `/api/lots/${lotId}`, (l) => l.status === 'released', 'released');
}

/** Rework once (task done by production, re-inspected by QA, back to the MRB), then scrap. */
export async function runNcmrReworkThenScrap(bench: NcmrBench): Promise<{ ncmrId: string }> {
  const { ncmr, lotId } = await ncmrInMrbReview(bench);
  const deciding = ok(
    'rework disposition',
    await bench.mrb.post(`/api/ncmrs/${ncmr.id}/submit`, {
      dispositions: [
        {
          lotId,
          decision: 'rework',
          reworkInstructions: 'Deburr the sealing face',
          reworkOwnerUsername: 'production',
          reworkDueAt: '2099-03-31T12:00:00.000Z',
        },
      ],
    }),
  );
  const reworking = await ncmrSign(bench, bench.mrb, 'mrb', deciding, 'approved');
  const task = reworking.openTasks.find((t: { action: string }) => t.action === 'complete');
  const reworked = ok('rework done', await bench.production.post(`/api/ncmrs/${ncmr.id}/tasks/${task.id}/complete`, { note: 'Deburred.' }));
  await ncmrSign(bench, bench.qa, 'qa', reworked, 'reinspected');
  const scrapping = ok(
    'scrap disposition',
    await bench.mrb.post(`/api/ncmrs/${ncmr.id}/submit`, { dispositions: [{ lotId, decision: 'scrap', scrapQuantity: 40 }] }),
  );
  await ncmrSign(bench, bench.mrb, 'mrb', scrapping, 'approved');
  await polled(bench.qa, `/api/lots/${lotId}`, (l) => l.status === 'scrapped', 'scrapped');
  return { ncmrId: ncmr.id };
}

/** Return to supplier with the supplier's RMA number: the MRB signs alone; the lot ends rejected. */
export async function runNcmrReturnToSupplier(bench: NcmrBench): Promise<{ ncmrId: string }> {
  const { ncmr, lotId } = await ncmrInMrbReview(bench);
  const deciding = ok(
    'disposition',
    await bench.mrb.post(`/api/ncmrs/${ncmr.id}/submit`, { dispositions: [{ lotId, decision: 'return_to_supplier', rmaNumber: 'RMA-88213' }] }),
  );
  await ncmrSign(bench, bench.mrb, 'mrb', deciding, 'approved');
  await polled(bench.qa, `/api/lots/${lotId}`, (l) => l.status === 'rejected', 'rejected');
  return { ncmrId: ncmr.id };
}

/** Cancelled by QA with a reason in MRB review: the lot has its previous status (released) back. */
export async function runNcmrCancelled(bench: NcmrBench): Promise<{ ncmrId: string }> {
  const { ncmr, lotId } = await ncmrInMrbReview(bench);
  ok('cancel', await bench.qa.post(`/api/ncmrs/${ncmr.id}/cancel`, { reason: 'Reported against the wrong lot.' }));
  await polled(bench.qa, `/api/lots/${lotId}`, (l) => l.status === 'released', 'released again');
  return { ncmrId: ncmr.id };
}
