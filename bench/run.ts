// `npm run bench`: measured figures, each next to a baseline from the same run on the same machine.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { appendAuditEvent } from '../db/repositories';
import { canonicalHash, hashPassword, sha256Hex, verifyPassword } from '../signatures';

interface Row {
  benchmark: string;
  n: number;
  perSecond: number;
  baseline: string;
  baselinePerSecond: number;
}

async function rate(n: number, run: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await run(i);
  return n / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const server = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(server);
  url.pathname = `/attestflow_bench_${randomBytes(4).toString('hex')}`;
  await migrateDatabase(url.toString());
  const handle = connectDatabase(url.toString(), { max: 2 });
  const rows: Row[] = [];
  try {
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

    // Audit append (lock + last-hash read + JCS + SHA-256 + trigger check) vs a plain insert of the same row shape.
    const n = 2000;
    const chained = await rate(n, (i) => handle.db.transaction((tx) => appendAuditEvent(tx, event(i))));
    await handle.db.execute(sql`CREATE TABLE plain_events (LIKE audit_events)`);
    const plain = await rate(n, (i) =>
      handle.db.transaction((tx) =>
        tx.execute(
          sql`INSERT INTO plain_events (seq, occurred_at, actor_name, action, entity_type, entity_id, old_value, new_value, reason, prev_hash, hash) VALUES (${i}, now(), 'Bench Runner', 'record.submitted', 'change_control', ${`CC-2026-${i}`}, '{"status":"draft"}', '{"status":"qa_approval"}', 'benchmark', '', '')`,
        ),
      ),
    );
    rows.push({
      benchmark: 'audit event append (hash-chained, 1 tx each)',
      n,
      perSecond: chained,
      baseline: 'plain INSERT of same row, 1 tx each',
      baselinePerSecond: plain,
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
      n: m,
      perSecond: await rate(m, () => canonicalHash(content)),
      baseline: 'JSON.stringify + SHA-256',
      baselinePerSecond: await rate(m, () => sha256Hex(JSON.stringify(content))),
    });

    // argon2id verification (the cost of re-authentication at each signature) vs hashing it once.
    const hash = await hashPassword('correct horse battery staple');
    const k = 30;
    rows.push({
      benchmark: 'argon2id verify (m=19 MiB, t=2, p=1)',
      n: k,
      perSecond: await rate(k, () => verifyPassword(hash, 'correct horse battery staple')),
      baseline: 'SHA-256 of the same password',
      baselinePerSecond: await rate(10_000, () => sha256Hex('correct horse battery staple')),
    });
  } finally {
    await handle.close();
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  }

  console.log(`\nAttestflow benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  console.table(
    rows.map((r) => ({
      benchmark: r.benchmark,
      n: r.n,
      'ops/s': Math.round(r.perSecond).toLocaleString('en'),
      baseline: r.baseline,
      'baseline ops/s': Math.round(r.baselinePerSecond).toLocaleString('en'),
      ratio: `${(r.perSecond / r.baselinePerSecond).toFixed(2)}x`,
    })),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
