import {
  compareWithCheckpoint,
  describeCheckpointBreak,
  parseSignedAuditCheckpoint,
  signAuditCheckpoint,
  verifyAuditCheckpoint,
  type SignedAuditCheckpoint,
} from './audit-checkpoint';
import { createOrganisationCa, createSealingCertificate, generateUserKeyPair, issueUserCertificate, type CertificateAndKey, type OrganisationCa } from './pki';

const organisation = 'Checkpoint Test Org';
const now = new Date('2026-06-01T10:00:00.000Z');
const at = new Date('2026-06-02T08:15:30.250Z');
const head = { seq: 335, hash: 'ab'.repeat(32) };
let ca: OrganisationCa;
let seal: CertificateAndKey;
let signed: SignedAuditCheckpoint;

beforeAll(() => {
  ca = createOrganisationCa({ organisationName: organisation, now, keyBits: 2048 });
  seal = createSealingCertificate(ca, { organisationName: organisation, now, keyBits: 2048 });
  signed = signAuditCheckpoint({ head, at, organisation, seal, caCertificatePem: ca.certificatePem });
});

describe('audit checkpoints', () => {
  test('a checkpoint signed by the sealing certificate verifies against the CA, and survives a JSON round trip', () => {
    expect(signed.checkpoint).toEqual({
      type: 'attestflow.audit-checkpoint',
      version: 1,
      organisation,
      seq: 335,
      hash: head.hash,
      checkpointedAt: at.toISOString(),
    });
    const parsed = parseSignedAuditCheckpoint(JSON.stringify(signed));
    const result = verifyAuditCheckpoint(parsed, { caCertificatePem: ca.certificatePem });
    expect(result).toMatchObject({ ok: true, problems: [], signerCertificate: { subjectCommonName: `${organisation} Document Seal` } });
  });

  test('a checkpoint edited after signing (seq moved back, other hash, other time) does not verify', () => {
    for (const edit of [{ seq: 332 }, { hash: 'cd'.repeat(32) }, { checkpointedAt: '2026-06-02T08:15:31.000Z' }]) {
      const forged = { ...signed, checkpoint: { ...signed.checkpoint, ...edit } };
      expect(verifyAuditCheckpoint(forged, { caCertificatePem: ca.certificatePem }).ok).toBe(false);
    }
  });

  test('a checkpoint signed by another CA, or by a person\u2019s certificate of the same CA, does not verify', () => {
    const otherCa = createOrganisationCa({ organisationName: organisation, now, keyBits: 2048 });
    const otherSeal = createSealingCertificate(otherCa, { organisationName: organisation, now, keyBits: 2048 });
    const foreign = signAuditCheckpoint({ head, at, organisation, seal: otherSeal, caCertificatePem: otherCa.certificatePem });
    expect(verifyAuditCheckpoint(foreign, { caCertificatePem: ca.certificatePem })).toMatchObject({ ok: false });

    const keys = generateUserKeyPair();
    const user = issueUserCertificate(ca, {
      userId: '6f1c2a4e-1111-4a2b-9c3d-123456789abc',
      username: 'mallory',
      printedName: 'Mallory',
      publicKeyPem: keys.publicKeyPem,
      now,
    });
    const byPerson = signAuditCheckpoint({
      head,
      at,
      organisation,
      seal: { certificatePem: user.certificatePem, privateKeyPem: keys.privateKeyPem },
      caCertificatePem: ca.certificatePem,
    });
    const result = verifyAuditCheckpoint(byPerson, { caCertificatePem: ca.certificatePem });
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('the certificate name differs from the printed name');
  });

  test('anything but a checkpoint is refused when parsed', () => {
    expect(() => parseSignedAuditCheckpoint('{"checkpoint":{"seq":1},"cms":"x"}')).toThrow('not an Attestflow audit checkpoint');
    expect(() => parseSignedAuditCheckpoint('null')).toThrow('not an Attestflow audit checkpoint');
  });

  test('a checkpoint needs an event', () => {
    expect(() => signAuditCheckpoint({ head: { seq: 0, hash: head.hash }, at, organisation, seal, caCertificatePem: ca.certificatePem })).toThrow(RangeError);
  });

  test('the live chain is compared with the checkpoint: equal, longer, shorter (tail deleted), rewritten', () => {
    const c = signed.checkpoint;
    expect(compareWithCheckpoint({ lastSeq: 335, hashAt: head.hash }, c)).toBeNull();
    expect(compareWithCheckpoint({ lastSeq: 400, hashAt: head.hash }, c)).toBeNull();
    const tail = compareWithCheckpoint({ lastSeq: 332, hashAt: undefined }, c);
    expect(tail).toEqual({ kind: 'tail_missing', lastSeq: 332, checkpointSeq: 335, checkpointedAt: c.checkpointedAt });
    expect(describeCheckpointBreak(tail!, 'database')).toBe(
      `events 333..335 are missing after the checkpoint of ${c.checkpointedAt} (database), which saw the chain reach event 335; the trail now ends at event 332`,
    );
    expect(describeCheckpointBreak(compareWithCheckpoint({ lastSeq: 334, hashAt: undefined }, c)!, 'x')).toMatch(/^event 335 is missing after/);
    const replaced = compareWithCheckpoint({ lastSeq: 340, hashAt: 'ee'.repeat(32) }, c);
    expect(replaced).toMatchObject({ kind: 'head_replaced', seq: 335, expectedHash: head.hash, foundHash: 'ee'.repeat(32) });
    expect(describeCheckpointBreak(replaced!, 'x')).toContain('event 335 differs from the checkpoint');
  });
});
