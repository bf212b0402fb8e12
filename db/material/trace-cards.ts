import { sql } from 'drizzle-orm';
import type { Executor } from '../client';

/**
 * Where the trace's card of each lot (`lot_trace_cards`, migration 0018) differs from what the truth
 * says (`lot_trace_card_truth`: lots, production records, the status ledger and records): the ids of
 * lots whose true card is missing from the table or differs from it (`missing`), and of cards that
 * are not true (`extra`). A card that differs is in both. Reads every lot: for tests and for an
 * operator's check, not for a request.
 */
export async function findLotTraceCardDrift(db: Executor): Promise<{ missing: string[]; extra: string[] }> {
  const ids = async (query: ReturnType<typeof sql>) =>
    (await db.execute<{ lot_id: string }>(sql`SELECT lot_id FROM (${query}) d ORDER BY lot_id`)).rows.map((row) => row.lot_id);
  const [missing, extra] = await Promise.all([
    ids(sql`SELECT * FROM lot_trace_card_truth EXCEPT SELECT * FROM lot_trace_cards`),
    ids(sql`SELECT * FROM lot_trace_cards EXCEPT SELECT * FROM lot_trace_card_truth`),
  ]);
  return { missing, extra };
}
