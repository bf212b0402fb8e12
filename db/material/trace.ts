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

/** A lot as the statement returns it: its item by id (the few items are sent once). */
type FoundLot = Omit<TraceLot, 'item'> & { itemId: string };

export interface Trace {
  direction: TraceDirection;
  maxDepth: number;
  /** The traced lot (depth 0) first, then every lot reached, nearest first. */
  lots: TraceLot[];
  edges: TraceEdge[];
  /** Some lot at maxDepth has further genealogy that was not followed. */
  truncated: boolean;
}

/**
 * The genealogy of a lot in one direction, as one statement: a recursive CTE with UNION over the
 * covering index of that direction (lot_genealogy_backward_idx / _forward_idx, index-only), then
 * the lots reached with their item, status, producing record and the records on them. Bounded in
 * depth (maxDepth) and in time (statement_timeout, local to the trace's transaction).
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
  const query = sql`
    WITH RECURSIVE walk(input_lot_id, output_lot_id, quantity, depth) AS (
      SELECT g.input_lot_id, g.output_lot_id, g.quantity, 1 FROM lot_genealogy g WHERE g.${near} = ${options.lotId}::uuid
      UNION
      SELECT g.input_lot_id, g.output_lot_id, g.quantity, w.depth + 1
      FROM walk w JOIN lot_genealogy g ON g.${near} = w.${far}
      WHERE w.depth < ${options.maxDepth}
    ),
    edges AS (SELECT input_lot_id, output_lot_id, quantity, min(depth) AS depth FROM walk GROUP BY input_lot_id, output_lot_id, quantity),
    reached AS (
      SELECT ${options.lotId}::uuid AS lot_id, 0 AS depth
      UNION ALL
      SELECT ${far} AS lot_id, min(depth) AS depth FROM edges GROUP BY ${far}
    ),
    found AS (
      SELECT l.*, r.depth, s.status, s.record_ids, p.id AS produced_by_id, p.work_order, p.workstation, p.performed_at
      FROM reached r
      JOIN lots l ON l.id = r.lot_id
      LEFT JOIN production_records p ON p.output_lot_id = l.id
      -- One pass over the lot's ledger: its latest status and the records that changed it.
      CROSS JOIN LATERAL (
        SELECT (array_agg(e.status ORDER BY e.seq DESC))[1] AS status,
               array_agg(DISTINCT e.caused_by_record_id) FILTER (WHERE e.caused_by_record_id IS NOT NULL) AS record_ids
        FROM lot_status_events e WHERE e.lot_id = l.id
      ) s
    )
    SELECT
      (SELECT COALESCE(json_agg(json_build_object('inputLotId', input_lot_id, 'outputLotId', output_lot_id, 'quantity', quantity::text, 'depth', depth)), '[]'::json)
       FROM edges) AS edges,
      (SELECT COALESCE(json_agg(json_build_object(
          'id', f.id, 'lotNumber', f.lot_number, 'itemId', f.item_id,
          'quantity', f.quantity::text, 'unit', f.unit, 'origin', f.origin,
          'supplierName', f.supplier_name, 'supplierLotNumber', f.supplier_lot_number, 'expiryDate', f.expiry_date,
          'status', f.status, 'depth', f.depth,
          'producedBy', CASE WHEN f.produced_by_id IS NULL THEN NULL
                             ELSE json_build_object('id', f.produced_by_id, 'workOrder', f.work_order, 'workstation', f.workstation, 'performedAt', f.performed_at) END,
          'records', CASE WHEN f.record_ids IS NULL THEN '[]'::json
                          ELSE (SELECT json_agg(json_build_object('id', rec.id, 'number', rec.number, 'type', rec.type) ORDER BY rec.number) FROM records rec WHERE rec.id = ANY (f.record_ids)) END
        )), '[]'::json) FROM found f) AS lots,
      (SELECT COALESCE(json_agg(json_build_object('id', i.id, 'partNumber', i.part_number, 'revision', i.revision, 'description', i.description, 'itemClass', i.item_class)), '[]'::json)
       FROM items i WHERE i.id IN (SELECT item_id FROM found)) AS items,
      EXISTS (SELECT 1 FROM reached r JOIN lot_genealogy g ON g.${near} = r.lot_id WHERE r.depth = ${options.maxDepth}) AS truncated`;
  try {
    const row = await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true)`);
      const result = await tx.execute<{ edges: TraceEdge[]; lots: FoundLot[]; items: TraceLot['item'][]; truncated: boolean }>(query);
      return result.rows[0]!;
    });
    if (row.lots.length === 0) return undefined;
    const items = new Map(row.items.map((i) => [i.id, i]));
    const lots: TraceLot[] = row.lots.map(({ itemId, ...lot }) => ({
      ...lot,
      item: items.get(itemId)!,
      // performedAt comes out of json_build_object in PostgreSQL's text form; hand out ISO 8601.
      producedBy: lot.producedBy && { ...lot.producedBy, performedAt: new Date(lot.producedBy.performedAt).toISOString() },
    }));
    // Sorted here rather than in the statement: plain code-point order, nearest first.
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    lots.sort((a, b) => a.depth - b.depth || byText(a.item.partNumber, b.item.partNumber) || byText(a.lotNumber, b.lotNumber));
    row.edges.sort((a, b) => a.depth - b.depth || byText(a.outputLotId, b.outputLotId) || byText(a.inputLotId, b.inputLotId));
    return { direction: options.direction, maxDepth: options.maxDepth, lots, edges: row.edges, truncated: row.truncated };
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
