// Versioning discipline: every recorded history replays against today's workflow code, and a change
// to a workflow's command sequence made without patched() is caught here, not in production.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { RETIRED_WORKFLOW_TYPES } from '../api/temporal/retired-workflow-types';
import * as workflowsInBundle from '../workflows';
import { testWorkflowBundle } from './support/test-env';

const HISTORIES = path.join(__dirname, 'histories');

/** Histories are stored in protobufjs object form (see record-history.ts) and restored with fromObject. */
function histories(): { file: string; workflowId: string; history: temporal.api.history.v1.IHistory }[] {
  return fs
    .readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const stored = JSON.parse(fs.readFileSync(path.join(HISTORIES, f), 'utf8')) as { workflowId: string; history: Record<string, unknown> };
      return { file: f, workflowId: stored.workflowId, history: temporal.api.history.v1.History.fromObject(stored.history) };
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

const REPO = path.join(__dirname, '..');
const workflowTypeOf = (history: temporal.api.history.v1.IHistory) =>
  history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '(unknown)';

/** A bundle of today's workflows with one source file (a path in the repository) edited: what a careless upgrade would ship. */
async function bundleVariant(name: string, file: string, edit: (source: string) => string): Promise<string> {
  const copy = path.join(__dirname, '.artifacts', name);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.mkdirSync(copy, { recursive: true });
  for (const folder of ['workflows', 'processes', 'activities', 'signatures']) fs.cpSync(path.join(REPO, folder), path.join(copy, folder), { recursive: true });
  const target = path.join(copy, file);
  const source = fs.readFileSync(target, 'utf8');
  const edited = edit(source);
  expect(edited).not.toBe(source);
  fs.writeFileSync(target, edited);
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(copy, 'workflows'), logger: new DefaultLogger('ERROR') });
  const bundle = path.join(copy, 'bundle.js');
  fs.writeFileSync(bundle, code);
  return bundle;
}

const NONDETERMINISM = /[Nn]ondeterminism|DeterminismViolation/;

test('the recorded histories cover every workflow type the worker runs, and no retired type is left in the bundle', () => {
  const types = histories().map((h) => workflowTypeOf(h.history));
  // Every workflow the bundle entry exports: a new process type fails here until a history of it is recorded.
  expect([...new Set(types)].sort()).toEqual(Object.keys(workflowsInBundle).sort());
  // A retired type's histories go with it (docs/workflow-versioning.md, "Retired workflow types").
  expect(Object.keys(workflowsInBundle).filter((type) => RETIRED_WORKFLOW_TYPES.includes(type))).toEqual([]);
  expect(types.filter((type) => RETIRED_WORKFLOW_TYPES.includes(type))).toEqual([]);
});

test('every recorded history replays against the current workflow code', async () => {
  const results = await replayAll(testWorkflowBundle());
  expect(results.map((r) => ({ workflowId: r.workflowId, error: r.error === undefined ? undefined : String(r.error) }))).toEqual(
    histories().map((h) => ({ workflowId: h.workflowId, error: undefined })),
  );
});

describe('the shared process interpreter (change control, document revision, CAPA)', () => {
  const CREATE = '  const created = await activities.createProcessRecord({';
  const processHistories = () => histories().filter((h) => h.workflowId.startsWith('process/'));
  /**
   * A new durable timer before the record is created: a change to the command sequence of every process.
   * (run-process.ts imports `patched` already; `sleep` comes in its own import, whatever the others look like.)
   */
  const withTimer = (guard: string) => (source: string) =>
    `import { sleep } from '@temporalio/workflow';\n${source.replace(CREATE, `  ${guard}await sleep('1 second');\n${CREATE}`)}`;

  test('a new step added without patched() fails the replay of every recorded process history', async () => {
    const results = await replayAll(await bundleVariant('unpatched-process', 'workflows/steps/run-process.ts', withTimer('')));
    const recorded = processHistories().map((h) => h.workflowId);
    expect(recorded.length).toBeGreaterThanOrEqual(3);
    for (const workflowId of recorded) expect(String(results.find((r) => r.workflowId === workflowId)?.error)).toMatch(NONDETERMINISM);
  });

  test('the same step behind patched() replays every recorded history', async () => {
    const results = await replayAll(
      await bundleVariant('patched-process', 'workflows/steps/run-process.ts', withTimer("if (patched('timer-before-create')) ")),
    );
    expect(results.filter((r) => r.error !== undefined).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
    expect(results).toHaveLength(histories().length);
  });
});

describe("a declaration's outcomes (change control's approval)", () => {
  const APPROVE = "approve: { meaning: 'approved', next: 'implementation' },";
  const IMPORTS = "import type { JsonContent } from '../../workflows/contracts/process-contracts';";
  const changeControlHistory = () => {
    const stored = JSON.parse(fs.readFileSync(path.join(HISTORIES, 'change-control.process-0.2.json'), 'utf8')) as { workflowId: string };
    return stored.workflowId;
  };
  /** Approval skips implementation (its tasks and the child document revision): other commands. */
  const skipImplementation = (next: string) => (source: string) =>
    source.replace(IMPORTS, `import { patched } from '@temporalio/workflow';\n${IMPORTS}`).replace(APPROVE, `approve: { meaning: 'approved', next: ${next} },`);

  test('changing where an outcome leads without patched() fails the replay of the recorded change control', async () => {
    const results = await replayAll(
      await bundleVariant('unpatched-outcome', 'processes/change-control/change-control.process.ts', skipImplementation("'effectiveness_verification'")),
    );
    expect(String(results.find((r) => r.workflowId === changeControlHistory())?.error)).toMatch(NONDETERMINISM);
  });

  test('the same change behind patched() replays every recorded history', async () => {
    const guarded = "() => (patched('approval-skips-implementation') ? 'effectiveness_verification' : 'implementation')";
    const results = await replayAll(await bundleVariant('patched-outcome', 'processes/change-control/change-control.process.ts', skipImplementation(guarded)));
    expect(results.filter((r) => r.error !== undefined).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
  });
});

describe('transactions as local activities (0.3, patch process-local-transactions) and scheduled again (0.4)', () => {
  const CHOICE = `patched(PROCESS_PATCHES.scheduledTransactionsAgain)
    ? scheduledTransactions
    : patched(PROCESS_PATCHES.localTransactions)
      ? localTransactions
      : scheduledTransactions`;
  const recordedWith = (label: string) => histories().filter((h) => h.file.endsWith(`.${label}.json`));
  const failures = (results: { workflowId: string; error: unknown }[], label: string) =>
    recordedWith(label).map((h) => String(results.find((r) => r.workflowId === h.workflowId)?.error));
  const variant = (name: string, choice: string) => bundleVariant(name, 'workflows/steps/run-process.ts', (s) => s.replace(CHOICE, choice));

  test('running them as local activities without patched() fails the replay of every history that scheduled them (0.2, and again 0.4 and 0.5)', async () => {
    const results = await replayAll(await variant('unpatched-local', 'localTransactions'));
    expect(recordedWith('process-0.2').length).toBeGreaterThanOrEqual(7);
    expect(recordedWith('process-0.4').length).toBeGreaterThanOrEqual(7);
    expect(recordedWith('process-0.5').length).toBeGreaterThanOrEqual(7);
    for (const error of [...failures(results, 'process-0.2'), ...failures(results, 'process-0.4'), ...failures(results, 'process-0.5')])
      expect(error).toMatch(NONDETERMINISM);
  });

  test('the histories recorded under 0.3 ran them locally: scheduling them again without patched() fails their replay', async () => {
    const results = await replayAll(await variant('scheduled-again-unpatched', 'scheduledTransactions'));
    expect(recordedWith('process-0.3').length).toBeGreaterThanOrEqual(7);
    for (const error of failures(results, 'process-0.3')) expect(error).toMatch(NONDETERMINISM);
  });
});
