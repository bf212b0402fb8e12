import { auditEventCanonicalJson, auditEventHash, findChainBreak, GENESIS_HASH, type AuditEventContent } from './audit-chain';
import { referenceCanonicalJson, sha256Hex } from './canonical-json';

function chain(length: number): (AuditEventContent & { hash: string })[] {
  const events: (AuditEventContent & { hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const content: AuditEventContent = {
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actorId: null,
      actorName: 'Ines Ortega',
      action: 'record.submitted',
      entityType: 'change_control',
      entityId: `CC-2026-${String(seq).padStart(4, '0')}`,
      recordId: null,
      oldValue: { status: 'draft' },
      newValue: { status: 'qa_approval' },
      reason: null,
      clientIp: '127.0.0.1',
      userAgent: 'test',
      prevHash,
    };
    const hash = auditEventHash(content);
    events.push({ ...content, hash });
    prevHash = hash;
  }
  return events;
}

describe('audit hash chain', () => {
  test('an intact chain verifies', () => {
    expect(findChainBreak(chain(5))).toBeNull();
  });

  test('an edited event is named by its seq', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, reason: 'edited afterwards' };
    expect(findChainBreak(events)).toEqual({ kind: 'hash_mismatch', seq: 3 });
  });

  test('a deleted event is named as missing', () => {
    const events = chain(5);
    events.splice(3, 1);
    expect(findChainBreak(events)).toEqual({ kind: 'missing', expectedSeq: 4, foundSeq: 5 });
  });

  test('a re-hashed edit breaks the next link', () => {
    const events = chain(5);
    const { hash: _old, ...content } = { ...events[1]!, actorName: 'Someone Else' };
    events[1] = { ...content, hash: auditEventHash(content) };
    expect(findChainBreak(events)).toEqual({ kind: 'prev_hash_mismatch', seq: 3 });
  });
});

describe('the canonical JSON an event is hashed over', () => {
  test('is the reference RFC 8785 form of exactly the content fields, keys in canonical order', () => {
    const events = chain(3);
    events[1] = {
      ...events[1]!,
      actorId: 'b3c8a1e2-0000-4000-8000-000000000001',
      recordId: null,
      oldValue: { '10': 'index-like key', b: [1, 0.1, 1e21, { z: null, a: 'é' }], a: '审批' },
      newValue: { status: 'closed', ünïcode: '\ud83d\ude00', n: -0 },
      reason: 'line\nbreak "quoted"',
      userAgent: null,
    };
    for (const { hash, ...content } of events) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(auditEventCanonicalJson(content)).toBe(referenceCanonicalJson(content));
      expect(auditEventHash(content)).toBe(sha256Hex(referenceCanonicalJson(content)!));
    }
  });

  test('ignores fields outside the content, such as the stored hash itself', () => {
    const [event] = chain(1);
    const { hash, ...content } = event!;
    expect(auditEventHash(event!)).toBe(hash);
    expect(auditEventHash(content)).toBe(hash);
  });
});
