import { randomUUID } from 'node:crypto';
import type { HttpSession, People } from './http-session';
import { PATIENCE_MS } from './patience';

export const SAMPLE_CHANGE = {
  title: 'Replace O-ring supplier for housing 4711',
  description: 'Move the O-ring (part 4711-02) to the second approved supplier; same drawing, same material.',
  reason: 'Current supplier discontinues the part in Q1.',
  riskLevel: 'medium',
} as const;

/** An impact assessment with nothing that adds approvers, tasks or document revisions. */
export const SMALL_IMPACT = {
  impact: {
    affectedDocuments: [],
    affectedItems: ['4711-02'],
    affectedSuppliers: ['Second Seal GmbH'],
    affectedAreas: [],
    validationRequired: false,
    validationNotes: 'Same drawing and material; supplier certificate on file.',
    riskLevel: 'low',
    riskRationale: 'Form, fit and function unchanged.',
  },
  implementationTasks: [],
};

function expectStatus(what: string, response: { status: number; body: unknown }, status = 200) {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as Record<string, any>;
}

/** Creates a change control as `initiator` and brings it to the approval step; returns the record view. */
export async function changeAwaitingApproval(initiator: HttpSession, assessment: object = SMALL_IMPACT, change: object = SAMPLE_CHANGE) {
  const created = expectStatus('create', await initiator.post('/api/change-controls', change), 201);
  expectStatus('submit draft', await initiator.post(`/api/change-controls/${created.id}/submit`));
  return expectStatus('submit impact assessment', await initiator.post(`/api/change-controls/${created.id}/submit`, assessment));
}

/** Polls the record until its status is `status` (steps a process takes by itself run right after an action). */
export async function waitForStatus(session: HttpSession, path: string, status: string, timeoutMs = PATIENCE_MS): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await session.get(path);
    if (response.status === 200 && response.body.status === status) return response.body;
    if (Date.now() > until) throw new Error(`${path} is ${response.body?.status ?? response.status}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The body of a sign-off e-signature on the record as `record` shows it. */
export function signOff(
  people: People,
  session: HttpSession,
  username: string,
  record: { version: number; contentHash: string },
  meaning: string,
  extra: object = {},
) {
  return {
    signatureId: randomUUID(),
    ...people.credentials(session, username),
    meaning,
    recordVersion: record.version,
    contentHash: record.contentHash,
    ...extra,
  };
}

/**
 * The scripted session of issue 2's "done when", on the full process: the initiator creates the
 * change request and submits it with its impact assessment, QA approves (no tasks, no documents),
 * QA verifies effectiveness and it is read back closed. Returns what the tests assert on.
 */
export async function runChangeControlThread(people: People) {
  const initiator = await people.session('initiator');
  const submitted = await changeAwaitingApproval(initiator);
  const id: string = submitted.id;
  const qa = await people.signer('qa');
  const inbox = await qa.get('/api/inbox');
  const approved = expectStatus(
    'approve',
    await qa.post(
      `/api/change-controls/${id}/sign`,
      signOff(people, qa, 'qa', submitted as never, 'approved', { comment: 'Equivalence shown by supplier data sheet.' }),
    ),
  );
  const verifying = await waitForStatus(qa, `/api/change-controls/${id}`, 'effectiveness_verification');
  const signed = expectStatus('verify', await qa.post(`/api/change-controls/${id}/sign`, signOff(people, qa, 'qa', verifying as never, 'verified')));
  const record = await initiator.get(`/api/change-controls/${id}`);
  const audit = await initiator.get(`/api/records/${id}/audit`);
  return { id, submitted, inbox: (inbox.body as { items: unknown[] }).items, approved, signed, record: record.body, audit: audit.body as { action: string }[] };
}
