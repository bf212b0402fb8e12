// Lot genealogy traces over a large generated genealogy: `levels` levels of lots (level 0 received,
// each later lot produced from `fanIn` lots of the level below), filled with INSERT … SELECT over
// generate_series. Backward and forward traces (db/material/traceLot, what the API runs) of lots of
// the middle level and of the level below the top, next to the same run's plain indexed lookup of
// one edge.
import { Client } from 'pg';
import { connectDatabase } from '../db/client';
import { traceLot, type TraceDirection } from '../db/material';
import { measure, timed, type Measurement, type Row } from './harness';

export interface GenealogyBenchSettings {
  databaseUrl: string;
  /** Lots in all (split evenly over the levels). */
  lots: number;
  levels: number;
  /** Input lots per produced lot: edges = (levels − 1) × lots-per-level × fanIn. */
  fanIn: number;
  runs: number;
}

/** Lot n's id: a fixed prefix and n in hex, so ids are deterministic and index-friendly. */
const lotId = (n: number | string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const recordId = (n: number | string) => `('00000000-0000-4000-9000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const lotIdText = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/**
 * Inputs of lot i of level k ≥ 1: lots (7i + j·4729 + k·31) mod perLevel of level k − 1, j < fanIn.
 * i ↦ 7i is a bijection mod perLevel (perLevel not a multiple of 7), so each lot feeds fanIn lots.
 */
function inputIndex(i: string, j: string, k: string, perLevel: number): string {
  return `((7::bigint * ${i} + ${j} * 4729 + ${k} * 31) % ${perLevel})`;
}

const INDEXED_TABLES = ['lots', 'lot_genealogy', 'lot_status_events', 'production_records'];

/**
 * The triggers that keep the trace's card of each lot (migration 0018) in step with the tables the
 * filler writes, and the card's guard. Statement-level, but one bulk INSERT of a million lots, then
 * an UPDATE of the card per production record and per status event, took minutes on the build
 * machine (each card written three times). The filler's bulk path: these triggers off (the owner's
 * ALTER TABLE, which ENABLE ALWAYS does not prevent), the truth written, then the card filled in one
 * statement from the migration's own definition of it (`lot_trace_card_truth`), and the triggers
 * back to ENABLE ALWAYS.
 */
const CARD_TRIGGERS: [table: string, trigger: string][] = [
  ['lots', 'lots_trace_cards_add'],
  ['production_records', 'production_records_trace_cards_produced'],
  ['lot_status_events', 'lot_status_events_trace_cards_status'],
  ['lot_trace_cards', 'lot_trace_cards_derived_only'],
];

export async function fillGenealogy(client: Client, s: GenealogyBenchSettings): Promise<{ perLevel: number; edges: number; seconds: number }> {
  let perLevel = Math.floor(s.lots / s.levels);
  if (perLevel % 7 === 0) perLevel -= 1;
  const total = perLevel * s.levels;
  const { seconds } = await timed(async () => {
    // A generated genealogy, consistent by construction: foreign-key checks (RI triggers, which
    // replica mode skips) would only repeat what the generator guarantees, at a high price.
    await client.query('SET session_replication_role = replica');
    await client.query("SET maintenance_work_mem = '256MB'");
    // The card's fill sorts and hashes the million lots' ledgers and producing records in memory.
    await client.query("SET work_mem = '256MB'");
    // Build the indexes once, after the rows are in, with the migration's own definitions.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1) AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'`,
      [INDEXED_TABLES],
    );
    for (const index of indexes) await client.query(`DROP INDEX ${client.escapeIdentifier(index.name)}`);
    for (const [table, trigger] of CARD_TRIGGERS) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
    await client.query(
      `INSERT INTO users (id, username, printed_name, password_hash) VALUES ('00000000-0000-4000-a000-000000000001', 'bench', 'Bench Operator', 'x')`,
    );
    await client.query(`
      INSERT INTO items (id, part_number, revision, description, unit_of_measure, item_class, serialised, created_by, created_at)
      SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(k), 12, '0'))::uuid, 'BENCH-L' || k, 'A', 'Level ' || k || ' material', 'pcs',
             CASE WHEN k = 0 THEN 'raw_material' WHEN k = ${s.levels - 1} THEN 'finished_good' ELSE 'component' END, false,
             '00000000-0000-4000-a000-000000000001', now()
      FROM generate_series(0, ${s.levels - 1}) k`);
    await client.query(`
      INSERT INTO bom_lines (item_id, component_item_id, quantity_per)
      SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(k), 12, '0'))::uuid, ('00000000-0000-4000-b000-' || lpad(to_hex(k - 1), 12, '0'))::uuid, ${s.fanIn}
      FROM generate_series(1, ${s.levels - 1}) k`);
    await client.query(`
      INSERT INTO lots (id, item_id, lot_number, quantity, unit, origin, expiry_date, supplier_name, created_by, created_at)
      SELECT ${lotId('n')}, ('00000000-0000-4000-b000-' || lpad(to_hex(n / ${perLevel}), 12, '0'))::uuid, 'LOT-' || n, 100, 'pcs',
             CASE WHEN n < ${perLevel} THEN 'received' ELSE 'produced' END, NULL,
             CASE WHEN n < ${perLevel} THEN 'Supplier ' || (n % 50) END, '00000000-0000-4000-a000-000000000001', now()
      FROM generate_series(0, ${total - 1}) n`);
    await client.query(`
      INSERT INTO production_records (id, kind, work_order, workstation, parameters, operator_id, performed_at, output_lot_id, recorded_by, recorded_at)
      SELECT ${recordId('n')}, 'production', 'WO-' || n, 'Line ' || (n % 7), '[]'::jsonb, '00000000-0000-4000-a000-000000000001', now(), ${lotId('n')},
             '00000000-0000-4000-a000-000000000001', now()
      FROM generate_series(${perLevel}, ${total - 1}) n`);
    await client.query(`
      INSERT INTO lot_genealogy (input_lot_id, output_lot_id, quantity, production_record_id)
      SELECT ${lotId(`((n / ${perLevel} - 1) * ${perLevel} + ${inputIndex(`(n % ${perLevel})`, 'j', `(n / ${perLevel})`, perLevel)})`)}, ${lotId('n')}, 1 + (n + j) % 5, ${recordId('n')}
      FROM generate_series(${perLevel}, ${total - 1}) n, generate_series(0, ${s.fanIn - 1}) j`);
    await client.query(`
      INSERT INTO lot_status_events (id, lot_id, seq, status, reason, actor_id, actor_name, occurred_at)
      SELECT ('00000000-0000-4000-c000-' || lpad(to_hex(n), 12, '0'))::uuid, ${lotId('n')}, 1, 'released', 'Generated', NULL, 'bench', now()
      FROM generate_series(0, ${total - 1}) n`);
    for (const index of indexes) await client.query(index.def);
    await client.query('INSERT INTO lot_trace_cards SELECT * FROM lot_trace_card_truth');
    for (const [table, trigger] of CARD_TRIGGERS) await client.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${trigger}`);
    await client.query('SET session_replication_role = DEFAULT');
    for (const table of ['users', 'items', 'bom_lines', ...INDEXED_TABLES, 'lot_trace_cards']) await client.query(`VACUUM ANALYZE ${table}`);
  });
  return { perLevel, edges: (s.levels - 1) * perLevel * s.fanIn, seconds };
}

/** A deterministic spread of lot numbers within a level (a multiplicative step through it). */
const sampleLot = (level: number, perLevel: number, i: number) => level * perLevel + ((i * 7919 + 13) % perLevel);

export async function genealogyBenchmark(s: GenealogyBenchSettings): Promise<{ rows: Row[]; notes: string[] }> {
  const client = new Client({ connectionString: s.databaseUrl });
  await client.connect();
  const handle = connectDatabase(s.databaseUrl, { max: 2 });
  try {
    const filled = await fillGenealogy(client, s);
    const middle = Math.floor((s.levels - 1) / 2);
    const visited: Record<string, number[]> = {};
    const traced = async (label: string, level: number, direction: TraceDirection): Promise<Measurement> => {
      visited[label] = [];
      return measure(
        s.runs,
        async (i) => {
          const trace = await traceLot(handle, { lotId: lotIdText(sampleLot(level, filled.perLevel, i + 1000)), direction, maxDepth: 100 });
          if (i >= 0) visited[label]!.push(trace!.lots.length);
        },
        { latencies: true, warmup: 10 },
      );
    };
    // The baseline: one edge by its two lots, through the backward covering index.
    const edgeLookup = await measure(
      s.runs,
      async (i) => {
        const n = sampleLot(middle, filled.perLevel, i + 1000);
        const k = middle;
        const input = (k - 1) * filled.perLevel + ((7 * (n % filled.perLevel) + k * 31) % filled.perLevel);
        const result = await handle.pool.query('SELECT quantity FROM lot_genealogy WHERE output_lot_id = $1 AND input_lot_id = $2', [
          lotIdText(n),
          lotIdText(input),
        ]);
        if (result.rowCount !== 1) throw new Error(`edge lookup found ${result.rowCount} rows`);
      },
      { latencies: true, warmup: 10 },
    );
    const baseline = 'one edge by its two lots (index lookup)';
    const cases: [string, number, TraceDirection][] = [
      [`backward trace, level ${middle} lot (full depth)`, middle, 'backward'],
      [`forward trace, level ${middle} lot (full depth)`, middle, 'forward'],
      [`backward trace, level ${s.levels - 2} lot (full depth)`, s.levels - 2, 'backward'],
      [`forward trace, level ${s.levels - 2} lot (full depth)`, s.levels - 2, 'forward'],
    ];
    const rows: Row[] = [];
    for (const [label, level, direction] of cases)
      rows.push({ benchmark: label, measured: await traced(label, level, direction), baseline, baselineMeasured: edgeLookup });
    const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
    return {
      rows,
      notes: [
        `genealogy: ${(filled.perLevel * s.levels).toLocaleString('en')} lots in ${s.levels} levels, ${filled.edges.toLocaleString('en')} edges, filled (with status events, production records and indexes) in ${filled.seconds.toFixed(0)} s`,
        ...cases.map(
          ([label]) =>
            `${label}: ${mean(visited[label]!)} lots per trace on average (lots with item, status, producing record and records, as the API returns them)`,
        ),
      ],
    };
  } finally {
    await handle.close();
    await client.end();
  }
}
