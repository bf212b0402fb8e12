import { auditEventHash, findChainBreak, GENESIS_HASH, type AuditEventContent } from './audit-chain';

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
