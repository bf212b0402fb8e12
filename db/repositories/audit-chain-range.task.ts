// Runs in a worker thread (see verifyAuditChain): walks one seq range of the audit chain over a
// connection of its own and returns what stitching needs. Imports only the driver, the reader and
// the pure chain code, so that a thread starts quickly.
import { Client } from 'pg';
import type { ChainRange, ChainRangeResult } from '../../signatures/audit-chain';
import { walkAuditChainRange } from './audit-chain-reader';

export interface AuditChainRangeTask {
  connectionString: string;
  range: ChainRange;
}

export default async function walkAuditChainRangeInThread(task: AuditChainRangeTask): Promise<ChainRangeResult> {
  const client = new Client({ connectionString: task.connectionString, application_name: 'attestflow audit verify' });
  await client.connect();
  try {
    return await walkAuditChainRange(client, task.range);
  } finally {
    await client.end();
  }
}
