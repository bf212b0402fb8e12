// `attestflow trace <lot> [--forward]`: a lot's genealogy from the database, the same function
// (db/material traceLot) and bounds as GET /api/lots/{id}/trace.
import { and, eq, type SQL } from 'drizzle-orm';
import type { AttestflowConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { MaterialRefusal, TRACE_LIMITS, traceLot, type Trace } from '../db/material';
import { items, lots } from '../db/schema';
import { UserError } from './user-error';

export interface TraceCommandOptions {
  forward?: boolean;
  item?: string;
  maxDepth?: string;
  json?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One line per lot, indented by depth, with the quantity that went along the edges that reached it
 * (always in the input lot's unit: backward, what was taken from this lot; forward, what went into it).
 */
export function formatTrace(trace: Trace): string {
  const units = new Map(trace.lots.map((l) => [l.id, l.unit]));
  const quantities = new Map<string, string[]>();
  for (const e of trace.edges) {
    const far = trace.direction === 'backward' ? e.inputLotId : e.outputLotId;
    quantities.set(far, [...(quantities.get(far) ?? []), `${Number(e.quantity)} ${units.get(e.inputLotId) ?? ''}`.trim()]);
  }
  const lines = trace.lots.map((l) => {
    const qty = quantities.get(l.id);
    const supplier = l.supplierName ? `, from ${l.supplierName}${l.supplierLotNumber ? ` (${l.supplierLotNumber})` : ''}` : '';
    const made = l.producedBy ? `, made by ${l.producedBy.workOrder} at ${l.producedBy.workstation}` : '';
    const records = l.records.length ? `, records ${l.records.map((r) => r.number).join(', ')}` : '';
    return `${'  '.repeat(l.depth)}${l.item.partNumber} rev ${l.item.revision} lot ${l.lotNumber} [${l.status}]${qty ? ` ${qty.join(' + ')}` : ''}${supplier}${made}${records}`;
  });
  const summary = `${trace.direction} trace: ${trace.lots.length - 1} lots, ${trace.edges.length} edges${trace.truncated ? ` (stopped at depth ${trace.maxDepth}: there is more)` : ''}`;
  return [...lines, summary].join('\n');
}

export async function traceCommand(config: AttestflowConfig, lot: string, options: TraceCommandOptions): Promise<void> {
  const maxDepth = options.maxDepth === undefined ? TRACE_LIMITS.defaultDepth : Number(options.maxDepth);
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > TRACE_LIMITS.maxDepth) {
    throw new UserError(`--max-depth must be a whole number from 1 to ${TRACE_LIMITS.maxDepth}.`);
  }
  const handle = connectDatabase(config.databaseUrl, { max: 1 });
  try {
    const where: SQL[] = [UUID.test(lot) ? eq(lots.id, lot) : eq(lots.lotNumber, lot)];
    if (options.item) where.push(eq(items.partNumber, options.item));
    const found = await handle.db
      .select({ id: lots.id, partNumber: items.partNumber })
      .from(lots)
      .innerJoin(items, eq(items.id, lots.itemId))
      .where(and(...where));
    if (found.length === 0) throw new UserError(`No lot ${lot}${options.item ? ` of item ${options.item}` : ''}.`);
    if (found.length > 1) {
      throw new UserError(
        `Lot number ${lot} belongs to ${found.length} lots (items ${found.map((f) => f.partNumber).join(', ')}): name the item with --item, or give the lot id.`,
      );
    }
    const trace = await traceLot(handle, { lotId: found[0]!.id, direction: options.forward ? 'forward' : 'backward', maxDepth });
    console.log(options.json ? JSON.stringify(trace, null, 2) : formatTrace(trace!));
  } catch (error) {
    if (error instanceof MaterialRefusal) throw new UserError(error.message);
    throw error;
  } finally {
    await handle.close();
  }
}
