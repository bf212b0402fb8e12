import { randomUUID } from 'node:crypto';
import { People } from './http-session';

export const SAMPLE_CHANGE = {
  title: 'Replace O-ring supplier for housing 4711',
  description: 'Move the O-ring (part 4711-02) to the second approved supplier; same drawing, same material.',
  reason: 'Current supplier discontinues the part in Q1.',
  riskLevel: 'medium',
} as const;

/**
 * The scripted session of issue 2's "done when": the initiator creates and submits a change
 * request, QA signs it, and it is read back closed. Returns what the test asserts on.
 */
export async function runChangeControlThread(people: People) {
  const initiator = await people.session('initiator');
  const created = await initiator.post('/api/change-controls', SAMPLE_CHANGE);
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const id: string = created.body.id;
  const submitted = await initiator.post(`/api/change-controls/${id}/submit`);
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);

  const qa = await people.signer('qa');
  const inbox = await qa.get('/api/inbox');
  const signed = await qa.post(`/api/change-controls/${id}/sign`, {
    signatureId: randomUUID(),
    ...people.credentials(qa, 'qa'),
    meaning: 'approved',
    recordVersion: submitted.body.version,
    contentHash: submitted.body.contentHash,
    comment: 'Equivalence shown by supplier data sheet.',
  });
  if (signed.status !== 200) throw new Error(`sign: ${signed.status} ${JSON.stringify(signed.body)}`);
  const record = await initiator.get(`/api/change-controls/${id}`);
  const audit = await initiator.get(`/api/records/${id}/audit`);
  return {
    id,
    created: created.body,
    submitted: submitted.body,
    inbox: inbox.body,
    signed: signed.body,
    record: record.body,
    audit: audit.body as { action: string }[],
  };
}
