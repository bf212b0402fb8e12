// A dossier shows its records as they all were at one moment: a record that moves on while the
// dossier renders (here: submitted after the contents were drawn, before its own pages) is drawn
// as it was listed, and the dossier is stored, instead of failing. The order is driven by a lock:
// the test holds `record_links` (read when a record's pages are loaded, never when a step is
// submitted) until the record has moved on, then lets the rendering go.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { renderDossier } from '../activities/dossier-render';
import { sealingIdentity } from '../config/pki-store';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { SAMPLE_CHANGE } from './support/change-control-thread';
import { tool, writeTemp } from './support/pdf-tools';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let renders: DatabaseHandle;
beforeAll(async () => {
  // No PDF generator runs: the test renders the dossier itself.
  system = await startTestSystem('dossier_snapshot', { renderWorker: false });
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
