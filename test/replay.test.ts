// Versioning discipline: every recorded history replays against today's workflow code, and a change
// to a workflow's command sequence made without patched() is caught here, not in production.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import * as workflowsInBundle from '../workflows';
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

const REPO = path.join(__dirname, '..');
const workflowTypeOf = (history: temporal.api.history.v1.IHistory) =>
  history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '(unknown)';

/** A bundle of today's workflows with one source file edited: what a careless upgrade would ship. */
async function bundleVariant(name: string, file: string, edit: (source: string) => string): Promise<string> {
  const copy = path.join(__dirname, '.artifacts', name);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.mkdirSync(copy, { recursive: true });
  for (const folder of ['workflows', 'processes', 'activities', 'signatures']) fs.cpSync(path.join(REPO, folder), path.join(copy, folder), { recursive: true });
  const target = path.join(copy, 'workflows', file);
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

test('the recorded histories cover every workflow type the worker runs, including a run from before the closure-record patch', () => {
  const types = histories().map((h) => workflowTypeOf(h.history));
  // Every workflow the bundle entry exports: a new process type fails here until a history of it is recorded.
  expect([...new Set(types)].sort()).toEqual(Object.keys(workflowsInBundle).sort());
  expect(fs.existsSync(path.join(HISTORIES, 'change-control.v1-before-closure-pdf.json'))).toBe(true);
});

test('every recorded history replays against the current workflow code', async () => {
  const results = await replayAll(testWorkflowBundle());
  expect(results.map((r) => ({ workflowId: r.workflowId, error: r.error === undefined ? undefined : String(r.error) }))).toEqual(
    histories().map((h) => ({ workflowId: h.workflowId, error: undefined })),
  );
});

test('the same change without patched() breaks the replay of the older history', async () => {
  // A copy of today's workflows where the closure activity is called unconditionally.
  const bundle = await bundleVariant('unpatched-workflows', 'change-control.workflow.ts', (source) =>
    source.replace("if (patched('closure-record-pdf')) {", 'if (true) {'),
  );
  const results = await replayAll(bundle);
  const before = JSON.parse(fs.readFileSync(path.join(HISTORIES, 'change-control.v1-before-closure-pdf.json'), 'utf8')) as { workflowId: string };
  const old = results.find((r) => r.workflowId === before.workflowId);
  expect(String(old?.error)).toMatch(NONDETERMINISM);
});

describe('the shared process interpreter (change control, document revision, CAPA)', () => {
  const IMPORTS = "  uuid4,\n} from '@temporalio/workflow';";
  const CREATE = '  const created = await activities.createProcessRecord({';
  const processHistories = () => histories().filter((h) => h.workflowId.startsWith('process/'));
  /** A new durable timer before the record is created: a change to the command sequence of every process. */
  const withTimer = (guard: string) => (source: string) =>
    source.replace(IMPORTS, "  uuid4,\n  sleep,\n  patched,\n} from '@temporalio/workflow';").replace(CREATE, `  ${guard}await sleep('1 second');\n${CREATE}`);

  test('a new step added without patched() fails the replay of every recorded process history', async () => {
    const results = await replayAll(await bundleVariant('unpatched-process', 'steps/run-process.ts', withTimer('')));
    const recorded = processHistories().map((h) => h.workflowId);
    expect(recorded.length).toBeGreaterThanOrEqual(3);
    for (const workflowId of recorded) expect(String(results.find((r) => r.workflowId === workflowId)?.error)).toMatch(NONDETERMINISM);
  });

  test('the same step behind patched() replays every recorded history', async () => {
    const results = await replayAll(await bundleVariant('patched-process', 'steps/run-process.ts', withTimer("if (patched('timer-before-create')) ")));
    expect(results.filter((r) => r.error !== undefined).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
    expect(results).toHaveLength(histories().length);
  });
});

describe("a declaration's outcomes (change control's approval)", () => {
  const APPROVE = "approve: { meaning: 'approved', next: 'implementation' },";
  const IMPORTS = "import type { JsonContent } from '../process-contracts';";
  const changeControlHistory = () => {
    const stored = JSON.parse(fs.readFileSync(path.join(HISTORIES, 'change-control.process-0.2.json'), 'utf8')) as { workflowId: string };
    return stored.workflowId;
  };
  /** Approval skips implementation (its tasks and the child document revision): other commands. */
  const skipImplementation = (next: string) => (source: string) =>
    source.replace(IMPORTS, `import { patched } from '@temporalio/workflow';\n${IMPORTS}`).replace(APPROVE, `approve: { meaning: 'approved', next: ${next} },`);

  test('changing where an outcome leads without patched() fails the replay of the recorded change control', async () => {
    const results = await replayAll(
      await bundleVariant('unpatched-outcome', 'processes/change-control.process.ts', skipImplementation("'effectiveness_verification'")),
    );
    expect(String(results.find((r) => r.workflowId === changeControlHistory())?.error)).toMatch(NONDETERMINISM);
  });

  test('the same change behind patched() replays every recorded history', async () => {
    const guarded = "() => (patched('approval-skips-implementation') ? 'effectiveness_verification' : 'implementation')";
    const results = await replayAll(await bundleVariant('patched-outcome', 'processes/change-control.process.ts', skipImplementation(guarded)));
    expect(results.filter((r) => r.error !== undefined).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
  });
});
