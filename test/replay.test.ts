// Versioning discipline: every recorded history replays against today's workflow code, and a change
// to a workflow's command sequence made without patched() is caught here, not in production.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { testWorkflowBundle } from './support/test-env';

const HISTORIES = path.join(__dirname, 'histories');

/** Histories are stored in protobufjs object form (see record-history.ts) and restored with fromObject. */
function histories(): { workflowId: string; history: temporal.api.history.v1.IHistory }[] {
  return fs
    .readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const stored = JSON.parse(fs.readFileSync(path.join(HISTORIES, f), 'utf8')) as { workflowId: string; history: Record<string, unknown> };
      return { workflowId: stored.workflowId, history: temporal.api.history.v1.History.fromObject(stored.history) };
    });
}

async function replayAll(codePath: string): Promise<{ workflowId: string; error: unknown }[]> {
  const results: { workflowId: string; error: unknown }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath } }, histories()))
    results.push({ workflowId: result.workflowId, error: result.error });
  return results;
}

beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already in this worker process
  }
});

test('the recorded histories include a run from before the closure-record patch and one after it', () => {
  const recorded = histories();
  expect(recorded.length).toBeGreaterThanOrEqual(2);
});

test('every recorded history replays against the current workflow code', async () => {
  const results = await replayAll(testWorkflowBundle());
  expect(results.map((r) => ({ workflowId: r.workflowId, error: r.error === undefined ? undefined : String(r.error) }))).toEqual(
    histories().map((h) => ({ workflowId: h.workflowId, error: undefined })),
  );
});

test('the same change without patched() breaks the replay of the older history', async () => {
  // A copy of today's workflows where the closure activity is called unconditionally.
  const copy = path.join(__dirname, '.artifacts', 'unpatched-workflows');
  fs.rmSync(copy, { recursive: true, force: true });
  fs.mkdirSync(copy, { recursive: true });
  for (const folder of ['workflows', 'activities', 'signatures']) fs.cpSync(path.join(__dirname, '..', folder), path.join(copy, folder), { recursive: true });
  const file = path.join(copy, 'workflows', 'change-control.workflow.ts');
  const source = fs.readFileSync(file, 'utf8');
  const unpatched = source.replace("if (patched('closure-record-pdf')) {", 'if (true) {');
  expect(unpatched).not.toBe(source);
  fs.writeFileSync(file, unpatched);
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(copy, 'workflows'), logger: new DefaultLogger('ERROR') });
  const bundle = path.join(copy, 'bundle.js');
  fs.writeFileSync(bundle, code);
  const results = await replayAll(bundle);
  const before = JSON.parse(fs.readFileSync(path.join(HISTORIES, 'change-control.v1-before-closure-pdf.json'), 'utf8')) as { workflowId: string };
  const old = results.find((r) => r.workflowId === before.workflowId);
  expect(String(old?.error)).toMatch(/[Nn]ondeterminism|DeterminismViolation/);
});
