// The building blocks: one audit append, one canonical hash, one argon2id verification.
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client';
import { appendAuditEvent, verifyAuditChain } from '../db/repositories';
import { canonicalHash, hashPassword, sha256Hex, verifyPassword } from '../signatures';
import { measure, measureInterleaved, type Row } from './harness';

export async function microBenchmarks(handle: DatabaseHandle): Promise<Row[]> {
  const rows: Row[] = [];
  const event = (i: number) => ({
    occurredAt: new Date(),
    actorId: null,
    actorName: 'Bench Runner',
    action: 'record.submitted',
    entityType: 'change_control',
    entityId: `CC-2026-${i}`,
    oldValue: { status: 'draft' },
    newValue: { status: 'qa_approval' },
    reason: 'benchmark',
  });

  // Audit append (one statement: lock + head read + hash over the canonical JSON + insert + trigger
  // check) vs a plain insert of the same row shape. One call of each in turn, so that both see the
  // same load on a shared machine; the chain must verify afterwards.
  const n = 2000;
  await handle.db.execute(sql`CREATE TABLE plain_events (LIKE audit_events)`);
  // The same row into a table with audit_events' four indexes (seq, entity, unique hash, record), not
  // its chain: how much of the gap is index upkeep any audit table has, and how much the chain.
  await handle.db.execute(sql`CREATE TABLE indexed_events (LIKE audit_events INCLUDING INDEXES)`);
  let chainedCalls = 0;
  let plainCalls = 0;
  let indexedCalls = 0;
  const { chained, plain, indexed } = await measureInterleaved(
    n,
    {
      chained: () => {
        const i = chainedCalls++;
        return handle.db.transaction((tx) => appendAuditEvent(tx, event(i)));
      },
      plain: () => {
        const i = plainCalls++;
        return handle.db.transaction((tx) =>
          tx.execute(
            sql`INSERT INTO plain_events (seq, occurred_at, actor_name, action, entity_type, entity_id, old_value, new_value, reason, prev_hash, hash) VALUES (${i}, now(), 'Bench Runner', 'record.submitted', 'change_control', ${`CC-2026-${i}`}, '{"status":"draft"}', '{"status":"qa_approval"}', 'benchmark', '', '')`,
          ),
        );
      },
      indexed: () => {
        const i = indexedCalls++;
        return handle.db.transaction((tx) =>
          tx.execute(
            sql`INSERT INTO indexed_events (seq, occurred_at, actor_name, action, entity_type, entity_id, old_value, new_value, reason, prev_hash, hash) VALUES (${i}, now(), 'Bench Runner', 'record.submitted', 'change_control', ${`CC-2026-${i}`}, '{"status":"draft"}', '{"status":"qa_approval"}', 'benchmark', '', ${sha256Hex(`indexed-${i}`)})`,
          ),
        );
      },
    },
    { warmup: 20 },
  );
  await handle.db.execute(sql`DROP TABLE plain_events`);
  await handle.db.execute(sql`DROP TABLE indexed_events`);
  const chain = await verifyAuditChain(handle.pool);
  if (!chain.intact || chain.lastSeq < chainedCalls) throw new Error(`the appended audit chain does not verify: ${JSON.stringify(chain)}`);
  rows.push({
    benchmark: 'audit event append (hash-chained, 1 tx each)',
    measured: chained,
    baseline: 'plain INSERT of same row, 1 tx each',
    baselineMeasured: plain,
  });
  rows.push({
    benchmark: 'audit event append (hash-chained, 1 tx each), same run',
    measured: chained,
    baseline: "plain INSERT of same row into a table with audit_events' indexes, 1 tx each",
    baselineMeasured: indexed,
  });

  // Canonical hashing vs JSON.stringify + SHA-256 of the same object.
  const content = {
    title: 'Replace O-ring supplier',
    description: 'x'.repeat(500),
    reason: 'Discontinued',
    riskLevel: 'medium',
    items: Array.from({ length: 20 }, (_, i) => ({ part: `4711-${i}`, qty: i })),
  };
  const m = 50_000;
  rows.push({
    benchmark: 'RFC 8785 canonical hash of a record version',
    measured: await measure(m, () => canonicalHash(content)),
    baseline: 'JSON.stringify + SHA-256',
    baselineMeasured: await measure(m, () => sha256Hex(JSON.stringify(content))),
  });

  // argon2id verification (the cost of re-authentication at each signature) vs hashing it once.
  const hash = await hashPassword('correct horse battery staple');
  const k = 30;
  rows.push({
    benchmark: 'argon2id verify (m=19 MiB, t=2, p=1)',
    measured: await measure(k, () => verifyPassword(hash, 'correct horse battery staple'), { latencies: true, warmup: 1 }),
    baseline: 'SHA-256 of the same password',
    baselineMeasured: await measure(10_000, () => sha256Hex('correct horse battery staple')),
  });
  return rows;
}
