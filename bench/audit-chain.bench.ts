// Verifying the whole audit chain (read in seq order, re-canonicalise, re-hash, compare links) over
// a large table, next to plain SHA-256 over the same canonical bytes.
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Client } from 'pg';
import { connectDatabase } from '../db/client';
import { auditEventColumnValues, auditEventContent, listAuditEventsAfter, verifyAuditChain } from '../db/repositories';
import { auditEventHash, canonicalJson, GENESIS_HASH, sha256Hex, type AuditEventContent, type JsonValue } from '../signatures';
import { block, timed, type Row } from './harness';

/** The canonical JSON bytes of a run of consecutive events, and where each one starts and ends. */
interface CanonicalChunk {
  bytes: Buffer;
  offsets: Uint32Array;
}

function chunkOf(texts: string[]): CanonicalChunk {
  const buffers = texts.map((t) => Buffer.from(t, 'utf8'));
  const offsets = new Uint32Array(buffers.length + 1);
  buffers.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.length));
  return { bytes: Buffer.concat(buffers), offsets };
}

const COLUMNS = [
  ['seq', 'bigint'],
  ['occurred_at', 'timestamptz'],
  ['actor_id', 'uuid'],
  ['actor_name', 'text'],
  ['action', 'text'],
  ['entity_type', 'text'],
  ['entity_id', 'text'],
  ['record_id', 'uuid'],
  ['old_value', 'jsonb'],
  ['new_value', 'jsonb'],
  ['reason', 'text'],
  ['client_ip', 'text'],
  ['user_agent', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
] as const;

// One statement per batch; the rows come out of unnest in seq order, so the row-level chain
// trigger sees each event follow the one before it.
const INSERT_BATCH = `INSERT INTO audit_events (${COLUMNS.map(([c]) => c).join(', ')})
SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) ORDER BY 1`;

const ACTORS = [
  { id: randomUUID(), name: 'Ines Ortega' },
  { id: randomUUID(), name: 'Quentin Adeyemi' },
  { id: randomUUID(), name: 'Zoë Ångström' },
  { id: randomUUID(), name: 'Elena Novak' },
  { id: randomUUID(), name: 'Łukasz Żółć' },
];
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** A plausible mix of what the API writes: records created, submitted, signed, tasks, sign-ins. */
function syntheticEvent(seq: number, occurredAt: Date, prevHash: string): AuditEventContent {
  const actor = ACTORS[seq % ACTORS.length]!;
  const recordId = randomUUID();
  const number = `CC-2026-${String(seq).padStart(7, '0')}`;
  const common = {
    seq,
    occurredAt: occurredAt.toISOString(),
    actorId: actor.id,
    actorName: actor.name,
    clientIp: `10.0.${seq % 256}.${(seq >> 8) % 256}`,
    userAgent: USER_AGENT,
    prevHash,
  };
  let specific: Pick<AuditEventContent, 'action' | 'entityType' | 'entityId' | 'recordId' | 'oldValue' | 'newValue' | 'reason'>;
  switch (seq % 5) {
    case 0: {
      const newValue: JsonValue = { number, title: 'Replace O-ring supplier for housing 4711', riskLevel: 'medium', status: 'draft', version: 1 };
      specific = { action: 'record.created', entityType: 'change_control', entityId: recordId, recordId, oldValue: null, newValue, reason: null };
      break;
    }
    case 1:
      specific = {
        action: 'record.submitted',
        entityType: 'change_control',
        entityId: recordId,
        recordId,
        oldValue: { status: 'draft' },
        newValue: { status: 'qa_approval', version: 1, round: 1 },
        reason: null,
      };
      break;
    case 2:
      specific = {
        action: 'signature.applied',
        entityType: 'signature',
        entityId: randomUUID(),
        recordId,
        oldValue: null,
        newValue: {
          meaning: 'approved',
          step: 'qa_approval',
          recordVersion: 1,
          contentHash: sha256Hex(number),
          certificateSerial: sha256Hex(actor.id).slice(0, 32),
          printedName: actor.name,
        },
        reason: 'Equivalence shown by supplier data sheet.',
      };
      break;
    case 3:
      specific = {
        action: 'task.completed',
        entityType: 'task',
        entityId: randomUUID(),
        recordId,
        oldValue: { status: 'open' },
        newValue: { status: 'done', step: 'qa_approval', action: 'sign' },
        reason: null,
      };
      break;
    default:
      specific = {
        action: 'user.login',
        entityType: 'session',
        entityId: randomUUID(),
        recordId: null,
        oldValue: null,
        newValue: { method: 'password' },
        reason: null,
      };
  }
  return { ...common, ...specific };
}

export async function auditChainBenchmark(options: { databaseUrl: string; events: number; batchSize: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const handle = connectDatabase(options.databaseUrl, { max: 2 });
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    // The events already there (seed, API, append benchmark) are part of the chain and of the baseline.
    const chunks: CanonicalChunk[] = [];
    let last = { seq: 0, hash: GENESIS_HASH };
    for (;;) {
      const batch = await listAuditEventsAfter(handle.db, last.seq, 10_000);
      if (!batch.length) break;
      chunks.push(chunkOf(batch.map((row) => canonicalJson(auditEventContent(row)))));
      last = { seq: batch.at(-1)!.seq, hash: batch.at(-1)!.hash };
    }
    const existing = last.seq;

    // Fill: events and hashes computed here, chained from the last existing event; the next batch
    // is computed while PostgreSQL inserts the previous one.
    await client.query('SET synchronous_commit = off');
    const startMs = Date.now() - options.events * 10;
    const fill = await timed(async () => {
      let pending: Promise<unknown> | undefined;
      for (let done = 0; done < options.events;) {
        const size = Math.min(options.batchSize, options.events - done);
        const columns: unknown[][] = COLUMNS.map(() => new Array<unknown>(size));
        const texts = new Array<string>(size);
        for (let j = 0; j < size; j++) {
          const content = syntheticEvent(last.seq + 1, new Date(startMs + (done + j) * 10), last.hash);
          const text = canonicalJson(content);
          const hash = sha256Hex(Buffer.from(text, 'utf8'));
          if (done === 0 && j === 0 && hash !== auditEventHash(content)) throw new Error('bench hashing differs from auditEventHash');
          const values = [content.seq, ...auditEventColumnValues(content), content.prevHash, hash];
          values.forEach((v, c) => (columns[c]![j] = v));
          texts[j] = text;
          last = { seq: content.seq, hash };
        }
        chunks.push(chunkOf(texts));
        done += size;
        if (pending) await pending;
        pending = client.query({ name: 'bench_audit_fill', text: INSERT_BATCH, values: columns });
        pending.catch(() => undefined); // awaited above or below; this only keeps it from counting as unhandled meanwhile
      }
      await pending;
    });
    const vacuum = await timed(() => client.query('VACUUM (ANALYZE) audit_events'));
    const total = existing + options.events;
    const { rows: counted } = await client.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    if (Number(counted[0]!.n) !== total) throw new Error(`audit_events holds ${counted[0]!.n} events, expected ${total}`);

    // Timed: the verification the `attestflow audit verify` command runs.
    const verified = await timed(() => verifyAuditChain(handle.pool));
    const report = verified.value;
    if (!report.intact || report.eventsChecked !== total || report.lastSeq !== last.seq) {
      throw new Error(`verifyAuditChain did not report an intact chain of ${total} events: ${JSON.stringify(report)}`);
    }

    // Baseline: SHA-256 (hex, as compared) over exactly the canonical bytes verification hashes.
    let bytes = 0;
    let hashed = 0;
    const plain = await timed(async () => {
      for (const chunk of chunks) {
        for (let j = 0; j + 1 < chunk.offsets.length; j++) {
          createHash('sha256')
            .update(chunk.bytes.subarray(chunk.offsets[j], chunk.offsets[j + 1]))
            .digest('hex');
        }
        hashed += chunk.offsets.length - 1;
        bytes += chunk.bytes.length;
      }
    });
    if (hashed !== total) throw new Error(`baseline hashed ${hashed} events, expected ${total}`);
    const mbPerSecond = bytes / 1e6 / plain.seconds;

    return {
      rows: [
        {
          benchmark: `audit chain verification (verifyAuditChain), events/s`,
          measured: block(total, verified.seconds),
          baseline: `SHA-256 of the same canonical JSON bytes (${mbPerSecond.toFixed(0)} MB/s)`,
          baselineMeasured: block(total, plain.seconds),
        },
      ],
      notes: [
        `audit chain: verifyAuditChain reported intact, ${report.eventsChecked.toLocaleString('en')} events checked (${existing.toLocaleString('en')} from the run before + ` +
          `${options.events.toLocaleString('en')} filled) in ${verified.seconds.toFixed(1)} s; canonical JSON ${(bytes / 1e6).toFixed(0)} MB, ` +
          `${Math.round(bytes / total)} bytes/event on average; verification in ${total >= 100_000 ? `${os.availableParallelism()} worker threads (one seq range per core)` : 'one thread'}, the baseline on one thread.`,
        `audit fill (setup, not a headline): ${options.events.toLocaleString('en')} events hashed in JS and inserted ${options.batchSize.toLocaleString('en')} rows per ` +
          `INSERT … SELECT unnest(…), chain trigger active, in ${fill.seconds.toFixed(1)} s (${Math.round(options.events / fill.seconds).toLocaleString('en')} events/s); ` +
          `VACUUM (ANALYZE) afterwards ${vacuum.seconds.toFixed(1)} s.`,
      ],
    };
  } finally {
    await client.end();
    await handle.close();
  }
}
