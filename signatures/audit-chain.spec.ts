import {
  auditEventCanonicalJson,
  auditEventCanonicalParts,
  auditEventHash,
  completeAuditEventCanonicalJson,
  findChainBreak,
  GENESIS_HASH,
  type AuditEventContent,
  type UnchainedAuditEventContent,
} from './audit-chain';
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

describe('the canonical JSON cut around prevHash and seq (completed by the database on append)', () => {
  const plain: UnchainedAuditEventContent = {
    occurredAt: '2026-12-07T11:00:00.123Z',
    actorId: null,
    actorName: 'Ines Ortega',
    action: 'record.submitted',
    entityType: 'change_control',
    entityId: 'CC-2026-0001',
    recordId: null,
    oldValue: null,
    newValue: null,
    reason: null,
    clientIp: null,
    userAgent: null,
  };
  // Content that looks like the keys around the cuts, or that only the reference implementation renders.
  const awkward: UnchainedAuditEventContent = {
    ...plain,
    actorId: 'b3c8a1e2-0000-4000-8000-000000000001',
    actorName: 'Zoë Ångström 审批 \ud83d\ude00',
    recordId: 'b3c8a1e2-0000-4000-8000-000000000002',
    oldValue: { prevHash: 'f'.repeat(64), seq: 7, '10': 'index-like key', nested: [{ userAgent: '","seq":1,"userAgent":"' }] },
    newValue: { b: [1, 0.1, 1e21, -0, 5e-324, { z: null, a: 'é' }], a: '"prevHash":"', '': 'empty key' },
    reason: '","reason":null,"recordId":null,"seq":2,"userAgent":null}',
    clientIp: '::1',
    userAgent: 'line\nbreak "quoted" \u0001 \u2028',
  };
  const heads: [string, number][] = [
    [GENESIS_HASH, 1],
    [sha256Hex('a'), 9],
    [sha256Hex('b'), 10],
    [sha256Hex('c'), 1_234_567_890],
    [sha256Hex('d'), Number.MAX_SAFE_INTEGER],
  ];

  test.each([
    ['plain', plain],
    ['awkward', awkward],
  ])('%s content: the completed parts are exactly the canonical JSON the verifier hashes, for any head', (_name, content) => {
    const parts = auditEventCanonicalParts(content);
    for (const [prevHash, seq] of heads) {
      const event: AuditEventContent = { ...content, seq, prevHash };
      const completed = completeAuditEventCanonicalJson(parts, prevHash, seq);
      expect(completed).toBe(auditEventCanonicalJson(event));
      expect(completed).toBe(referenceCanonicalJson(event));
      expect(sha256Hex(completed)).toBe(auditEventHash(event));
    }
  });

  test('only a well-formed head completes them', () => {
    const parts = auditEventCanonicalParts(plain);
    expect(() => completeAuditEventCanonicalJson(parts, 'F'.repeat(64), 1)).toThrow(RangeError);
    expect(() => completeAuditEventCanonicalJson(parts, '0'.repeat(63), 1)).toThrow(RangeError);
    expect(() => completeAuditEventCanonicalJson(parts, GENESIS_HASH, 0)).toThrow(RangeError);
    expect(() => completeAuditEventCanonicalJson(parts, GENESIS_HASH, 2 ** 53)).toThrow(RangeError);
  });
});
