// The interpreter's effects and events on a domain-free declaration (test/support/effect-probe.workflows.ts),
// against the test Temporal server with stub activities: which effects run on entering and leaving
// a step and the process (cancellation included), and how raised and sent events move it.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import {
  cancelUpdate,
  processEventSignal,
  processQuery,
  processWorkflowId,
  submitStepUpdate,
  type ActorContext,
} from '../workflows/contracts/process-contracts';
import { startStubActivityWorker, type ProcessStubActivities, type StubActivityWorker } from './support/stub-activity-worker';

interface Ran {
  name: string;
  on: string;
  from: string | null;
  to: string;
}

const author: ActorContext = { actorId: randomUUID(), actorRoles: ['qa'], clientIp: null, userAgent: null };
const timing = { taskDue: '10 days', reminderLead: '1 day', escalationInterval: '1 day', effectivenessWait: '1 day', periodicReview: '30 days' };
const version = { version: 1, contentHash: 'hash' };

let ran: Map<string, Ran[]>;
let transitions: Map<string, { from: string; to: string; auditAction: string }[]>;
let stubWorker: StubActivityWorker;
let client: Client;
const taskQueue = `process-effects-${randomUUID()}`;

const stubs = (): ProcessStubActivities => ({
  async createProcessRecord({ recordId, content, context }) {
    return { ...version, number: `PROBE-${recordId.slice(0, 4)}`, authorId: context.actorId, content };
  },
  async transitionProcess({ recordId, transition }) {
    transitions.set(recordId, [...(transitions.get(recordId) ?? []), { from: transition.from, to: transition.to, auditAction: transition.auditAction }]);
    return version;
  },
  signProcessStep: async () => version,
  amendProcessRecord: async () => version,
  completeProcessTask: async () => undefined,
  noteOverdueTask: async () => undefined,
  openProcessTask: async () => undefined,
  produceClosureRecord: async () => ({ artifactId: 'none', sha256: 'none' }),
  async runEffect({ name, effect }) {
    ran.set(effect.recordId, [...(ran.get(effect.recordId) ?? []), { name, on: effect.on, from: effect.from, to: effect.to }]);
    return name === 'probe.raise_skip' ? { raise: ['skip'] } : {};
  },
});

beforeAll(async () => {
  stubWorker = await startStubActivityWorker({ workflowsPath: require.resolve('./support/effect-probe.workflows'), taskQueue, activities: stubs() });
  client = stubWorker.client;
});

afterAll(() => stubWorker?.close());

beforeEach(() => {
  ran = new Map();
  transitions = new Map();
});

async function start(content: Record<string, unknown>) {
  const recordId = randomUUID();
  const handle = await client.workflow.start('probeProcess', {
    taskQueue,
    workflowId: processWorkflowId(recordId),
    args: [{ recordId, content, context: author, timing }],
  });
  return { recordId, handle };
}

test('cancellation runs the step left and the whole process exit effects, after the initial enter effect', async () => {
  const { recordId, handle } = await start({ title: 'cancelled probe' });
  await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'Not needed', context: author }] });
  expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  expect(ran.get(recordId)).toEqual([
    { name: 'probe.enter_draft', on: 'enter', from: null, to: 'draft' },
    { name: 'probe.exit_draft', on: 'exit', from: 'draft', to: 'cancelled' },
    { name: 'probe.process_exit', on: 'process_exit', from: 'draft', to: 'cancelled' },
  ]);
});

test('an event an enter effect raises moves a pass step to where the step routes it, not to its next', async () => {
  const { recordId, handle } = await start({ title: 'passing probe', route: 'pass' });
  await handle.executeUpdate(submitStepUpdate, { args: [{ context: author }] });
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  expect(transitions.get(recordId)).toEqual([
    { from: 'draft', to: 'passing', auditAction: 'record.submitted' },
    { from: 'passing', to: 'closed', auditAction: 'record.skipped' },
  ]);
  expect(ran.get(recordId)?.map((r) => `${r.on} ${r.name}`)).toEqual([
    'enter probe.enter_draft',
    'exit probe.exit_draft',
    'enter probe.raise_skip',
    'process_exit probe.process_exit',
    'enter probe.enter_closed',
  ]);
});

test('an event another process sends ends a hold; next followed the content there', async () => {
  const { recordId, handle } = await start({ title: 'held probe', route: 'hold' });
  await handle.executeUpdate(submitStepUpdate, { args: [{ context: author }] });
  expect((await handle.query(processQuery, null))?.status).toBe('held');
  await handle.signal(processEventSignal, { event: 'ignored', fromRecordId: randomUUID() });
  await handle.signal(processEventSignal, { event: 'poke', fromRecordId: randomUUID() });
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  expect(transitions.get(recordId)).toEqual([
    { from: 'draft', to: 'held', auditAction: 'record.submitted' },
    { from: 'held', to: 'closed', auditAction: 'record.poked' },
  ]);
});
