import {
  auditEventCanonicalJson,
  auditEventCanonicalParts,
  auditEventHash,
  ChainRangeWalker,
  completeAuditEventCanonicalJson,
  findChainBreak,
  GENESIS_HASH,
  planChainRanges,
  stitchChainRanges,
  type AuditEventContent,
  type ChainRange,
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

describe('the chain walked in seq ranges and stitched', () => {
  type Stored = AuditEventContent & { hash: string };
  const inRange = (seq: number, r: ChainRange) => (r.after === null || seq > r.after) && (r.upTo === null || seq <= r.upTo);

  /** What verifyAuditChain does with threads: one walker per range, then the stitch. */
  function walkInRanges(events: Stored[], ranges: ChainRange[]) {
    return stitchChainRanges(
      ranges.map((range) => {
        const walker = new ChainRangeWalker();
        for (const e of events.filter((x) => inRange(x.seq, range))) {
          if (!walker.feed(e.seq, e.prevHash, e.hash, Buffer.from(auditEventCanonicalJson(e), 'utf8'))) break;
        }
        return walker.result();
      }),
    );
  }

  test('the ranges cover every seq once, the first and last unbounded', () => {
    expect(planChainRanges(1, 10, 3)).toEqual([
      { after: null, upTo: 3 },
      { after: 3, upTo: 7 },
      { after: 7, upTo: null },
    ]);
    expect(planChainRanges(5, 6, 4)).toEqual([
      { after: null, upTo: 5 },
      { after: 5, upTo: null },
    ]);
    expect(planChainRanges(1, 1, 2)).toEqual([{ after: null, upTo: null }]);
  });

  test('intact: every event counted, the last seq named', () => {
    expect(walkInRanges(chain(30), planChainRanges(1, 30, 4))).toEqual({ firstBreak: null, eventsChecked: 30, lastSeq: 30 });
    expect(stitchChainRanges([])).toEqual({ firstBreak: null, eventsChecked: 0, lastSeq: 0 });
  });

  /** Every kind of break at every seq of a 12-event chain, in 1 to 5 ranges: the stitched verdict is findChainBreak's. */
  const tamperings: [string, (events: Stored[], i: number) => void][] = [
    ['edited', (events, i) => (events[i] = { ...events[i]!, reason: 'edited afterwards' })],
    ['deleted', (events, i) => events.splice(i, 1)],
    [
      're-hashed after an edit',
      (events, i) => {
        const { hash: _old, ...content } = { ...events[i]!, actorName: 'Someone Else' };
        events[i] = { ...content, hash: auditEventHash(content) };
      },
    ],
    ['re-linked', (events, i) => (events[i] = { ...events[i]!, prevHash: 'f'.repeat(64) })],
  ];
  test.each(tamperings)('an event %s is found at the same seq whatever the ranges', (_, tamper) => {
    for (let i = 0; i < 12; i++) {
      const events = chain(12);
      tamper(events, i);
      const expected = findChainBreak(events);
      // The last event deleted or re-hashed leaves a valid, shorter chain: checkpoints catch that.
      if (i < 11) expect(expected).not.toBeNull();
      for (let count = 1; count <= 5; count++) {
        expect({ at: i, count, verdict: walkInRanges(events, planChainRanges(1, 12, count)).firstBreak }).toEqual({ at: i, count, verdict: expected });
      }
    }
  });

  test('of two breaks in different ranges, the earlier is named', () => {
    const events = chain(12);
    events[10] = { ...events[10]!, reason: 'later edit' };
    events[4] = { ...events[4]!, reason: 'earlier edit' };
    expect(walkInRanges(events, planChainRanges(1, 12, 3)).firstBreak).toEqual({ kind: 'hash_mismatch', seq: 5 });
  });

  test('the first event of a range must carry the last hash of the range before, and follow its seq', () => {
    const events = chain(9);
    const ranges = planChainRanges(1, 9, 3); // 1..3, 4..6, 7..9
    const relinked = events.map((e) => (e.seq === 4 ? { ...e, prevHash: GENESIS_HASH } : e));
    expect(walkInRanges(relinked, ranges)).toEqual({ firstBreak: { kind: 'prev_hash_mismatch', seq: 4 }, eventsChecked: 4, lastSeq: 4 });
    const lastOfRangeGone = events.filter((e) => e.seq !== 3);
    expect(walkInRanges(lastOfRangeGone, ranges).firstBreak).toEqual({ kind: 'missing', expectedSeq: 3, foundSeq: 4 });
    const firstOfRangeGone = events.filter((e) => e.seq !== 7);
    expect(walkInRanges(firstOfRangeGone, ranges).firstBreak).toEqual({ kind: 'missing', expectedSeq: 7, foundSeq: 8 });
  });
});
