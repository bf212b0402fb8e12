import { Query, type QueryArrayConfig } from 'pg';
import type { DatabaseHandle } from '../client';
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

interface ItemRow extends Record<string, unknown> {
  id: string;
  part_number: string;
  revision: string;
  description: string;
  item_class: ItemClass;
}

/**
 * One row of the trace statement, as an array (rowMode 'array'): an edge of the walk and the lot it
 * reaches (the edge's far end, at the edge's depth); the lot's columns are filled on the first edge
 * that reaches it only. The traced lot's own row has no edge: no input, the lot as output, no depth.
 * Positions are the statement's select list, in order. The lot's columns are typed as they are on
 * the rows that carry them: they are read only where `lotNumber` is not null.
 */
type TraceRow = [
  inputLotId: string | null,
  outputLotId: string,
  edgeQuantity: string | null,
  edgeDepth: number | null,
  lotNumber: string | null,
  quantity: string,
  unit: string,
  origin: LotOrigin,
  supplierName: string | null,
  supplierLotNumber: string | null,
  expiryDate: string | null,
  itemId: string,
  status: LotStatus,
  producedById: string | null,
  workOrder: string | null,
  workstation: string | null,
  performedAt: string | null,
  recordIds: string[] | null,
  recordNumbers: string[] | null,
  recordTypes: string[] | null,
  truncated: boolean,
];

/**
 * The trace as one statement (one snapshot): the walk, a recursive CTE with UNION over the covering
 * index of the direction (lot_genealogy_backward_idx / _forward_idx, index-only), each edge at its
 * nearest depth; then one row per edge with the lot it reaches, that lot's card on its first edge
 * only (lot_trace_cards, migration 0018: the lot, its current status, its producing record and the
 * records that changed its status, kept by triggers in the transactions that write them; one
 * primary-key probe per lot instead of four index probes); and whether any lot at maxDepth has
 * further genealogy. The walk's own columns are not repeated: a row's lot is its edge's far end.
 * The column names put in (near, far) are constants chosen here from the direction, never input.
 */
function traceStatement(backward: boolean): string {
  const near = backward ? 'output_lot_id' : 'input_lot_id';
  const far = backward ? 'input_lot_id' : 'output_lot_id';
  return `
    WITH RECURSIVE walk(input_lot_id, output_lot_id, quantity, depth) AS (
      SELECT g.input_lot_id, g.output_lot_id, g.quantity, 1 FROM lot_genealogy g WHERE g.${near} = $1::uuid
      UNION
      SELECT g.input_lot_id, g.output_lot_id, g.quantity, w.depth + 1
      FROM walk w JOIN lot_genealogy g ON g.${near} = w.${far}
      WHERE w.depth < $2
    ),
    edges AS (SELECT input_lot_id, output_lot_id, quantity, min(depth) AS depth FROM walk GROUP BY input_lot_id, output_lot_id, quantity),
    reached AS MATERIALIZED (
      SELECT NULL::uuid AS input_lot_id, $1::uuid AS output_lot_id, NULL::text AS edge_quantity, NULL::int AS edge_depth, $1::uuid AS lot_id, 0 AS depth, true AS first
      UNION ALL
      SELECT input_lot_id, output_lot_id, quantity::text, depth, ${far}, depth,
             row_number() OVER (PARTITION BY ${far} ORDER BY depth, input_lot_id, output_lot_id) = 1
      FROM edges
    )
    SELECT r.input_lot_id, r.output_lot_id, r.edge_quantity, r.edge_depth,
           c.lot_number, c.quantity, c.unit, c.origin, c.supplier_name, c.supplier_lot_number, c.expiry_date, c.item_id, c.status,
           c.produced_by, c.work_order, c.workstation, c.performed_at, c.record_ids, c.record_numbers, c.record_types,
           EXISTS (SELECT 1 FROM reached m JOIN lot_genealogy g ON g.${near} = m.lot_id WHERE m.first AND m.depth = $2)
    FROM reached r
    LEFT JOIN lot_trace_cards c ON r.first AND c.lot_id = r.lot_id`;
}

const STATEMENTS = { backward: traceStatement(true), forward: traceStatement(false) } as const;

/**
 * The genealogy of a lot in one direction: one statement (so one snapshot), read as arrays and
 * turned into objects here as each row arrives (not once the last one is in), then its few items
 * (append-only rows, so a second statement reads them as the first would have). Building JSON per
 * lot in SQL (json_build_object, json_agg) cost more than the lookups themselves; returning the
 * lots reached and then sending their ids back for a second statement cost a round trip of
 * ~10,000 ids for a big trace. Bounded in depth (maxDepth) and in time: each of the two statements
 * gets timeoutMs as its statement_timeout (local to the read-only transaction they run in).
 *
 * UNION removes an edge met twice at the same depth, so shared components are walked once per
 * depth; in a levelled genealogy (each lot one production step above its inputs) that is once.
 */
export async function traceLot(database: DatabaseHandle, options: TraceOptions): Promise<Trace | undefined> {
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? TRACE_LIMITS.statementTimeoutMs));
  const backward = options.direction === 'backward';
  const lots: TraceLot[] = [];
  const lotItemIds: string[] = [];
  const edges: TraceEdge[] = [];
  // The traced lot's own row (no edge); a holder, as the rows arrive in a callback.
  const own: { row?: TraceRow } = {};
  // Each row is turned into its edge and lot as it arrives, so that node-postgres's row arrays die
  // young instead of piling up (and being copied by the young-generation collector) until the last
  // row: the rows of a big trace are ~10,000 arrays of 21 strings.
  const take = (row: TraceRow) => {
    if (row[0] !== null) edges.push({ inputLotId: row[0], outputLotId: row[1], quantity: row[2]!, depth: row[3]! });
    else own.row = row;
    if (row[4] === null) return;
    const [recordIds, recordNumbers, recordTypes] = [row[17], row[18], row[19]];
    lots.push({
      id: backward && row[0] !== null ? row[0] : row[1],
      lotNumber: row[4],
      quantity: row[5],
      unit: row[6],
      origin: row[7],
      supplierName: row[8],
      supplierLotNumber: row[9],
      expiryDate: row[10],
      status: row[12],
      depth: row[3] ?? 0,
      producedBy: row[13] === null ? null : { id: row[13], workOrder: row[14]!, workstation: row[15]!, performedAt: row[16]! },
      records: recordIds ? recordIds.map((id, k) => ({ id, number: recordNumbers![k]!, type: recordTypes![k]! })) : [],
      // Set below, once the items are read (the key stays in its place for the JSON).
      item: undefined as unknown as TraceLot['item'],
    });
    lotItemIds.push(row[11]);
  };
  const client = await database.pool.connect();
  let itemRows: ItemRow[];
  try {
    await client.query('BEGIN READ ONLY');
    try {
      // At most ~10,000 index probes: JIT compilation and parallel workers (chosen from a row
      // estimate of the reached set) would cost more than they save.
      await client.query(
        "SELECT set_config('statement_timeout', $1, true), set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)",
        [String(timeoutMs)],
      );
      await new Promise<void>((resolve, reject) => {
        // Query's typings omit rowMode, which it honours (as client.query does).
        const config: QueryArrayConfig = { text: STATEMENTS[options.direction], values: [options.lotId, options.maxDepth], rowMode: 'array' };
        const query = new Query<TraceRow>(config);
        query.on('row', take);
        query.on('error', reject);
        query.on('end', () => resolve());
        void client.query(query);
      });
      const itemIds = [...new Set(lotItemIds)];
      itemRows = itemIds.length
        ? (await client.query<ItemRow>('SELECT id, part_number, revision, description, item_class FROM items WHERE id = ANY ($1::uuid[])', [itemIds])).rows
        : [];
    } finally {
      await client.query('COMMIT').catch(() => undefined);
    }
  } catch (error) {
    if (isStatementTimeout(error)) {
      throw new MaterialRefusal(
        'trace_too_large',
        `The ${options.direction} trace to depth ${options.maxDepth} took longer than ${timeoutMs} ms and was stopped: ask for a smaller maxDepth.`,
        { lotId: options.lotId, direction: options.direction, maxDepth: options.maxDepth, timeoutMs },
      );
    }
    throw error;
  } finally {
    client.release();
  }
  // The traced lot's own row comes with no lot when the lot does not exist.
  if (!own.row || own.row[4] === null) return undefined;
  // One object per item, shared by its lots.
  const items = new Map<string, TraceLot['item']>(
    itemRows.map((i) => [i.id, { id: i.id, partNumber: i.part_number, revision: i.revision, description: i.description, itemClass: i.item_class }]),
  );
  for (let k = 0; k < lots.length; k++) lots[k]!.item = items.get(lotItemIds[k]!)!;
  // Sorted here rather than in the statement: plain code-point order, nearest first.
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  lots.sort((a, b) => a.depth - b.depth || byText(a.item.partNumber, b.item.partNumber) || byText(a.lotNumber, b.lotNumber));
  edges.sort((a, b) => a.depth - b.depth || byText(a.outputLotId, b.outputLotId) || byText(a.inputLotId, b.inputLotId));
  return { direction: options.direction, maxDepth: options.maxDepth, lots, edges, truncated: own.row[20] };
}
