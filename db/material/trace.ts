import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import type { ItemClass, LotOrigin, LotStatus } from '../schema';
import { MaterialRefusal } from './material-refusal';
import { isStatementTimeout } from './sql-errors';

export const TRACE_DIRECTIONS = ['backward', 'forward'] as const;
export type TraceDirection = (typeof TRACE_DIRECTIONS)[number];

/** Depth and time bounds of a trace: the defaults the API and the CLI use. */
export const TRACE_LIMITS = { defaultDepth: 50, maxDepth: 100, statementTimeoutMs: 5_000 } as const;

export interface TraceOptions {
  lotId: string;
  direction: TraceDirection;
  /** How many production steps away from the lot to follow (1 = its direct inputs or outputs). */
  maxDepth: number;
  /** The trace's statement is cancelled after this long and refused with `trace_too_large`. */
  timeoutMs?: number;
}

export interface TraceEdge {
  inputLotId: string;
  outputLotId: string;
  quantity: string;
  /** Production steps from the traced lot: 1 for its own inputs (backward) or outputs (forward). */
  depth: number;
}

export interface TraceLot {
  id: string;
  lotNumber: string;
  item: { id: string; partNumber: string; revision: string; description: string; itemClass: ItemClass };
  quantity: string;
  unit: string;
  origin: LotOrigin;
  supplierName: string | null;
  supplierLotNumber: string | null;
  expiryDate: string | null;
  status: LotStatus;
  depth: number;
  /** The production record that made the lot (null for a received lot). */
  producedBy: { id: string; workOrder: string; workstation: string; performedAt: string } | null;
  /** The regulated records (NCMR, batch release …) that changed the lot's status. */
  records: { id: string; number: string; type: string }[];
}

export interface Trace {
  direction: TraceDirection;
  maxDepth: number;
  /** The traced lot (depth 0) first, then every lot reached, nearest first. */
  lots: TraceLot[];
  edges: TraceEdge[];
  /** Some lot at maxDepth has further genealogy that was not followed. */
  truncated: boolean;
}

/** An edge as the walk returns it. */
interface EdgeRow extends Record<string, unknown> {
  input_lot_id: string;
  output_lot_id: string;
  quantity: string;
  depth: number;
}

/** A lot reached, flat: its latest status and producing record on the same row. */
interface LotRow extends Record<string, unknown> {
  id: string;
  depth: number;
  lot_number: string;
  quantity: string;
  unit: string;
  origin: LotOrigin;
  supplier_name: string | null;
  supplier_lot_number: string | null;
  expiry_date: string | null;
  item_id: string;
  status: LotStatus;
  produced_by_id: string | null;
  work_order: string | null;
  workstation: string | null;
  /** ISO 8601 in UTC, as Date.prototype.toISOString writes it (performed_at has millisecond precision). */
  performed_at: string | null;
  /** Some lot at maxDepth has further genealogy (the same on every row). */
  truncated: boolean;
}

interface ItemRow extends Record<string, unknown> {
  id: string;
  part_number: string;
  revision: string;
  description: string;
  item_class: ItemClass;
}

interface RecordRow extends Record<string, unknown> {
  lot_id: string;
  id: string;
  number: string;
  type: string;
}

/**
 * The genealogy of a lot in one direction, in one read-only REPEATABLE READ transaction (one
 * snapshot for all its statements, as one statement would see):
 *
 * 1. the walk: a recursive CTE with UNION over the covering index of that direction
 *    (lot_genealogy_backward_idx / _forward_idx, index-only), each edge at its nearest depth;
 * 2. the lots reached (their ids and depths, sent back as arrays) as flat rows with their
 *    producing record (production_records_output_lot_covering_idx) and latest status
 *    (lot_status_events_lot_latest_idx, one index entry per lot), and whether any lot at maxDepth
 *    has further genealogy;
 * 3. the records that changed the status of those lots (the partial lot_status_events_lot_record_idx);
 * 4. their few items, once each.
 *
 * The objects are built here from the flat rows: building JSON per lot in the statement
 * (json_build_object, an aggregate over each lot's ledger and a subquery for its records) cost
 * about a second for a trace of ~10,000 lots. Bounded in depth (maxDepth) and in time: each
 * statement gets what is left of timeoutMs as its statement_timeout (local to the transaction).
 *
 * UNION removes an edge met twice at the same depth, so shared components are walked once per
 * depth; in a levelled genealogy (each lot one production step above its inputs) that is once.
 */
export async function traceLot(db: Database, options: TraceOptions): Promise<Trace | undefined> {
  const backward = options.direction === 'backward';
  // Column names are constants chosen here, never input.
  const near = sql.raw(backward ? 'output_lot_id' : 'input_lot_id');
  const far = sql.raw(backward ? 'input_lot_id' : 'output_lot_id');
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? TRACE_LIMITS.statementTimeoutMs));
  const walk = sql`
    WITH RECURSIVE walk(input_lot_id, output_lot_id, quantity, depth) AS (
      SELECT g.input_lot_id, g.output_lot_id, g.quantity, 1 FROM lot_genealogy g WHERE g.${near} = ${options.lotId}::uuid
      UNION
      SELECT g.input_lot_id, g.output_lot_id, g.quantity, w.depth + 1
      FROM walk w JOIN lot_genealogy g ON g.${near} = w.${far}
      WHERE w.depth < ${options.maxDepth}
    )
    SELECT input_lot_id, output_lot_id, quantity::text AS quantity, min(depth) AS depth FROM walk GROUP BY input_lot_id, output_lot_id, quantity`;
  try {
    const found = await db.transaction(
      async (tx) => {
        // The lookups are ~10,000 index probes at most: JIT compilation and parallel workers (chosen
        // from a row estimate of the reached set) would cost more than they save.
        await tx.execute(
          sql`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
        );
        const started = performance.now();
        // What is left of the trace's time bound, for the next statement.
        const bound = () =>
          tx.execute(sql`SELECT set_config('statement_timeout', ${String(Math.max(1, Math.ceil(timeoutMs - (performance.now() - started))))}, true)`);
        const edges = (await tx.execute<EdgeRow>(walk)).rows;
        // Each lot reached at its nearest depth; the traced lot itself at depth 0.
        const depths = new Map<string, number>();
        for (const edge of edges) {
          const lotId = backward ? edge.input_lot_id : edge.output_lot_id;
          const depth = depths.get(lotId);
          if (depth === undefined || edge.depth < depth) depths.set(lotId, edge.depth);
        }
        // In key order, so the index probes walk each index (and, for ordered ids, the heap) forward.
        const ids = [...depths.keys()].sort();
        const atMaxDepth = ids.filter((id) => depths.get(id) === options.maxDepth);
        // One row per lot reached, flat; its latest status and producing record from covering indexes.
        // The ids go as PostgreSQL array literals: uuids and integers need no quoting.
        await bound();
        const lots = await tx.execute<LotRow>(sql`
          WITH reached(lot_id, depth) AS (
            SELECT ${options.lotId}::uuid, 0
            UNION ALL
            SELECT * FROM unnest(${`{${ids.join(',')}}`}::uuid[], ${`{${ids.map((id) => depths.get(id)!).join(',')}}`}::int[])
          )
          SELECT l.id, r.depth, l.lot_number, l.quantity::text AS quantity, l.unit, l.origin,
                 l.supplier_name, l.supplier_lot_number, to_char(l.expiry_date, 'YYYY-MM-DD') AS expiry_date, l.item_id, s.status,
                 p.id AS produced_by_id, p.work_order, p.workstation,
                 to_char(p.performed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS performed_at,
                 EXISTS (SELECT 1 FROM lot_genealogy g WHERE g.${near} = ANY (${`{${atMaxDepth.join(',')}}`}::uuid[])) AS truncated
          FROM reached r
          JOIN lots l ON l.id = r.lot_id
          LEFT JOIN production_records p ON p.output_lot_id = l.id
          LEFT JOIN LATERAL (SELECT e.status FROM lot_status_events e WHERE e.lot_id = l.id ORDER BY e.seq DESC LIMIT 1) s ON true`);
        if (lots.rows.length === 0) return undefined;
        const lotIds = `{${lots.rows.map((l) => l.id).join(',')}}`;
        await bound();
        const records = await tx.execute<RecordRow>(sql`
          SELECT DISTINCT e.lot_id, rec.id, rec.number, rec.type
          FROM lot_status_events e JOIN records rec ON rec.id = e.caused_by_record_id
          WHERE e.caused_by_record_id IS NOT NULL AND e.lot_id = ANY (${lotIds}::uuid[])
          ORDER BY e.lot_id, rec.number`);
        // The few items, once each (not repeated on every lot's row).
        await bound();
        const items = await tx.execute<ItemRow>(sql`
          SELECT id, part_number, revision, description, item_class FROM items
          WHERE id = ANY (${`{${[...new Set(lots.rows.map((l) => l.item_id))].join(',')}}`}::uuid[])`);
        return { edges, lots: lots.rows, records: records.rows, items: items.rows };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    if (!found) return undefined;
    const recordsOf = new Map<string, TraceLot['records']>();
    for (const { lot_id, ...record } of found.records) {
      const list = recordsOf.get(lot_id);
      if (list) list.push(record);
      else recordsOf.set(lot_id, [record]);
    }
    // One object per item, shared by its lots.
    const items = new Map<string, TraceLot['item']>(
      found.items.map((i) => [i.id, { id: i.id, partNumber: i.part_number, revision: i.revision, description: i.description, itemClass: i.item_class }]),
    );
    const lots: TraceLot[] = found.lots.map((row) => ({
      id: row.id,
      lotNumber: row.lot_number,
      quantity: row.quantity,
      unit: row.unit,
      origin: row.origin,
      supplierName: row.supplier_name,
      supplierLotNumber: row.supplier_lot_number,
      expiryDate: row.expiry_date,
      status: row.status,
      depth: row.depth,
      producedBy:
        row.produced_by_id === null
          ? null
          : { id: row.produced_by_id, workOrder: row.work_order!, workstation: row.workstation!, performedAt: row.performed_at! },
      records: recordsOf.get(row.id) ?? [],
      item: items.get(row.item_id)!,
    }));
    const edges: TraceEdge[] = found.edges.map((e) => ({ inputLotId: e.input_lot_id, outputLotId: e.output_lot_id, quantity: e.quantity, depth: e.depth }));
    // Sorted here rather than in the statement: plain code-point order, nearest first.
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    lots.sort((a, b) => a.depth - b.depth || byText(a.item.partNumber, b.item.partNumber) || byText(a.lotNumber, b.lotNumber));
    edges.sort((a, b) => a.depth - b.depth || byText(a.outputLotId, b.outputLotId) || byText(a.inputLotId, b.inputLotId));
    return { direction: options.direction, maxDepth: options.maxDepth, lots, edges, truncated: found.lots[0]!.truncated };
  } catch (error) {
    if (isStatementTimeout(error)) {
      throw new MaterialRefusal(
        'trace_too_large',
        `The ${options.direction} trace to depth ${options.maxDepth} took longer than ${timeoutMs} ms and was stopped: ask for a smaller maxDepth.`,
        { lotId: options.lotId, direction: options.direction, maxDepth: options.maxDepth, timeoutMs },
      );
    }
    throw error;
  }
}
