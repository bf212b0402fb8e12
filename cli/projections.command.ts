import type { AttestflowConfig } from '../config/config';
import { connectDatabase } from '../db/client';
import { findLotTraceCardDrift } from '../db/material';
import { findOpenTasksDrift } from '../db/repositories';

/** What differs between a derived table and the append-only truth it is kept from. */
interface Drift {
  missing: string[];
  extra: string[];
}

/** The derived tables kept by triggers in the same transaction as their truth (docs/inbox.md, docs/material.md). */
const PROJECTIONS = [
  { table: 'open_tasks', derivedFrom: 'tasks, task_completions and records', keyName: 'task', find: findOpenTasksDrift },
  { table: 'lot_trace_cards', derivedFrom: 'lots, production records, lot status events and records', keyName: 'lot', find: findLotTraceCardDrift },
] as const;

const SHOWN = 20;

/**
 * `attestflow projections verify`: compares every derived table with what its append-only truth says
 * now, row by row. Exit 0 when each agrees, 1 when any differs, naming the rows.
 */
export async function verifyProjectionsCommand(config: AttestflowConfig): Promise<number> {
  const handle = connectDatabase(config.databaseUrl, { max: 2 });
  try {
    let differs = false;
    for (const projection of PROJECTIONS) {
      const drift: Drift = await projection.find(handle.db);
      if (drift.missing.length === 0 && drift.extra.length === 0) {
        process.stdout.write(`${projection.table}: agrees with ${projection.derivedFrom}.\n`);
        continue;
      }
      differs = true;
      process.stdout.write(
        `${projection.table}: DIFFERS from ${projection.derivedFrom}: ` +
          `${drift.missing.length} ${projection.keyName}(s) missing or different, ${drift.extra.length} not in the truth or different.\n` +
          describe('missing or different', drift.missing) +
          describe('not in the truth or different', drift.extra),
      );
    }
    return differs ? 1 : 0;
  } finally {
    await handle.close();
  }
}

function describe(what: string, ids: string[]): string {
  if (ids.length === 0) return '';
  const more = ids.length > SHOWN ? ` … and ${ids.length - SHOWN} more` : '';
  return `  ${what}: ${ids.slice(0, SHOWN).join(', ')}${more}\n`;
}
