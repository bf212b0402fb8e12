// Rendering a dossier, driven by locks the test holds (never by timing).
// One dossier, one sealed PDF: two PDF generators rendering the same dossier at once (BullMQ hands a
// job to a second generator when the first one's lock expires, as in a long stall) store it once:
// the test holds `artifacts` until both renders have reached the transaction that stores the PDF.
// One moment: a record that moves on while its dossier renders (submitted after the contents were
// drawn, before its own pages) is drawn as listed, and the dossier is stored, instead of failing:
// the test holds `record_links` (read when a record's pages are loaded, never when a step is
// submitted) until the record has moved on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { renderDossier } from '../activities/dossier-render';
import { sealingIdentity } from '../config/pki-store';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { changeAwaitingApproval, SAMPLE_CHANGE } from './support/change-control-thread';
import { tool, writeTemp } from './support/pdf-tools';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let renders: DatabaseHandle;
beforeAll(async () => {
  // No PDF generator runs: the test renders the dossier itself, twice.
  system = await startTestSystem('dossier_render_once', { renderWorker: false });
  renders = connectDatabase(system.databaseUrl, { max: 8 });
});
afterAll(async () => {
  await renders?.close();
  await system?.close();
});

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('two generators rendering one dossier at once store one PDF, one audit event, and the dossier points at it', async () => {
  const initiator = await system.session('initiator');
  const record = await changeAwaitingApproval(initiator);
  const auditor = await system.session('auditor');
  const requested = await auditor.post('/api/dossiers', { title: 'Rendered twice at once', selection: { numbers: [record.number] } });
  expect(requested.status).toBe(201);
  const dossierId: string = requested.body.id;
  const identity = sealingIdentity(system.config);

  const lock = new Client({ connectionString: system.databaseUrl });
  await lock.connect();
  let both: Promise<PromiseSettledResult<void>[]>;
  try {
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE artifacts IN SHARE MODE');
    both = Promise.allSettled([renderDossier(renders.db, identity, dossierId), renderDossier(renders.db, identity, dossierId)]);
    // Both renders are done with the PDF and inside the transaction that stores it: one waits on the
    // artifacts lock, the other on it too or on the first one's hold on the dossier.
    await until(async () => {
      // Asked on another connection: inside the lock's transaction, pg_stat_activity would show the
      // snapshot taken at its first reading there, for the rest of the transaction.
      const { rows } = await system.database.pool.query<{ query: string }>(
        'SELECT query FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0',
      );
      const storing = rows.filter((r) => /^insert into "artifacts"|^select .* from "dossiers" .*for update/is.test(r.query));
      return storing.some((r) => /^insert into "artifacts"/i.test(r.query)) && storing.length >= 2 ? true : undefined;
    });
  } finally {
    await lock.query('ROLLBACK').catch(() => undefined);
    await lock.end();
  }
  expect((await both).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);

  const { rows: stored } = await renders.pool.query<{ id: string }>("SELECT id FROM artifacts WHERE dossier_id = $1 AND kind = 'dossier_pdf'", [dossierId]);
  expect(stored).toHaveLength(1);
  const { rows: events } = await renders.pool.query<{ entity_id: string }>(
    "SELECT entity_id FROM audit_events WHERE action = 'dossier.pdf_generated' AND new_value->>'dossierId' = $1",
    [dossierId],
  );
  expect(events).toEqual([{ entity_id: stored[0]!.id }]);
  const view = await auditor.get(`/api/dossiers/${dossierId}`);
  expect(view.body).toMatchObject({ status: 'done', progress: { done: 1, total: 1 } });
  const { rows: dossier } = await renders.pool.query<{ artifact_id: string }>('SELECT artifact_id FROM dossiers WHERE id = $1', [dossierId]);
  expect(dossier).toEqual([{ artifact_id: stored[0]!.id }]);
});

test('a record submitted while its dossier renders is drawn as listed, and the dossier is stored', async () => {
  const initiator = await system.session('initiator');
  const first = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: 'Drawn first' });
  const second = await initiator.post('/api/change-controls', { ...SAMPLE_CHANGE, title: 'Moves on while the dossier renders' });
  expect([first.status, second.status]).toEqual([201, 201]);
  const auditor = await system.session('auditor');
  const requested = await auditor.post('/api/dossiers', { title: 'One moment', selection: { numbers: [first.body.number, second.body.number] } });
  expect(requested.status).toBe(201);
  const dossierId: string = requested.body.id;

  const lock = new Client({ connectionString: system.databaseUrl });
  await lock.connect();
  let rendering: Promise<void>;
  let submitted: ReturnType<typeof initiator.post>;
  try {
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE record_links IN ACCESS EXCLUSIVE MODE');
    rendering = renderDossier(renders.db, sealingIdentity(system.config), dossierId);
    // The contents are drawn from the summaries; the first record's pages wait for record_links.
    await until(async () => {
      const { rows } = await system.database.pool.query<{ query: string }>(
        'SELECT query FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0',
      );
      return rows.some((r) => /"record_links"/.test(r.query)) ? true : undefined;
    });
    // The second record moves on meanwhile: its submission commits (its answer waits for the lock too).
    submitted = initiator.post(`/api/change-controls/${second.body.id}/submit`);
    await until(async () => {
      const { rows } = await system.database.pool.query("SELECT 1 FROM record_transitions WHERE record_id = $1 AND to_status = 'impact_assessment'", [
        second.body.id,
      ]);
      return rows.length > 0 ? true : undefined;
    });
  } finally {
    await lock.query('ROLLBACK').catch(() => undefined);
    await lock.end();
  }
  await expect(rendering).resolves.toBeUndefined();
  expect((await submitted).status).toBe(200);

  const view = await auditor.get(`/api/dossiers/${dossierId}`);
  expect(view.body).toMatchObject({ status: 'done', progress: { done: 2, total: 2 } });
  const { rows } = await renders.pool.query<{ bytes: Buffer }>("SELECT bytes FROM artifacts WHERE dossier_id = $1 AND kind = 'dossier_pdf'", [dossierId]);
  expect(rows).toHaveLength(1);
  // The second record is drawn in its draft, as the contents list it, and not in the step it moved on to.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-snapshot-'));
  const text = tool('pdftotext', ['-layout', writeTemp(dir, 'dossier.pdf', rows[0]!.bytes), '-']).output.replace(/\s+/g, ' ');
  expect(text).toContain('Title Moves on while the dossier renders Status Draft Version 1');
  expect(text).not.toMatch(/Impact assessment/i);
});
