// The children a tasks step starts, on a domain-free declaration (test/support/child-probe.workflows.ts),
// against the test Temporal server with stub activities: a step entered twice starts a child that
// has a key once, and one without a key each time.
import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import type { SignedManifest } from '../workflows/contracts/common';
import {
  processQuery,
  processWorkflowId,
  signStepUpdate,
  submitStepUpdate,
  type ActorContext,
  type JsonContent,
  type ProcessView,
} from '../workflows/contracts/process-contracts';
import { startStubActivityWorker, type ProcessStubActivities, type StubActivityWorker } from './support/stub-activity-worker';

const author: ActorContext = { actorId: randomUUID(), actorRoles: ['qa'], clientIp: null, userAgent: null };
const timing = { taskDue: '10 days', reminderLead: '1 day', escalationInterval: '1 day', effectivenessWait: '1 day', periodicReview: '30 days' };
const version = { version: 1, contentHash: 'hash' };

interface Created {
  type: string;
  content: JsonContent;
  parent: { recordId: string; relation: string } | null;
}

let created: Created[];
let stubWorker: StubActivityWorker;
let client: Client;
const taskQueue = `process-children-${randomUUID()}`;

const stubs = (): ProcessStubActivities => ({
  async createProcessRecord({ type, recordId, content, context, parent }) {
    created.push({ type, content, parent });
    return { ...version, number: `PROBE-${recordId.slice(0, 4)}`, authorId: context.actorId, content };
  },
  transitionProcess: async () => version,
  signProcessStep: async () => version,
  amendProcessRecord: async () => version,
  completeProcessTask: async () => undefined,
  noteOverdueTask: async () => undefined,
  openProcessTask: async () => undefined,
  produceClosureRecord: async () => ({ artifactId: 'none', sha256: 'none' }),
  runEffect: async () => ({}),
});

beforeAll(async () => {
  stubWorker = await startStubActivityWorker({ workflowsPath: require.resolve('./support/child-probe.workflows'), taskQueue, activities: stubs() });
  client = stubWorker.client;
});

afterAll(() => stubWorker?.close());

beforeEach(() => {
  created = [];
});

const view = async (handle: WorkflowHandle): Promise<ProcessView> => (await handle.query(processQuery, null))!;
const sign = (handle: WorkflowHandle, outcome: string) =>
  handle.executeUpdate(signStepUpdate, { args: [{ signatureId: randomUUID(), signed: {} as SignedManifest, context: author, outcome }] });

/** Runs the parent through its tasks step twice (sent back once by its review), then closes it. */
async function enterTasksStepTwice(content: JsonContent) {
  const recordId = randomUUID();
  const handle = await client.workflow.start('parentProbeProcess', {
    taskQueue,
    workflowId: processWorkflowId(recordId),
    args: [{ recordId, content: { title: 'parent probe', ...content }, context: author, timing }],
  });
  await handle.executeUpdate(submitStepUpdate, { args: [{ context: author }] });
  // The tasks step has no tasks: it moves on to the review by itself once its children exist.
  await waitForStatus(handle, 'review');
  await sign(handle, 'again');
  await waitForStatus(handle, 'review');
  const state = await view(handle);
  await sign(handle, 'done');
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  const children = created.filter((c) => c.parent?.recordId === recordId);
  return { state, children };
}

/** Polls the Query until the process is in `status` (the step runner moves on by itself, not in an Update). */
async function waitForStatus(handle: WorkflowHandle, status: string): Promise<void> {
  for (;;) {
    if ((await view(handle)).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a child with a key is started once, however often its tasks step is entered', async () => {
  const { state, children } = await enterTasksStepTwice({ children: ['first', 'second'], keyed: true });
  // The children run side by side: which creates its record first is not determined.
  expect(children.map((c) => c.content.title).sort()).toEqual(['first', 'second']);
  expect(children.every((c) => c.type === 'change_control' && c.parent?.relation === 'probe_child')).toBe(true);
  expect(state.children.map((c) => c.key)).toEqual(['first', 'second']);
});

test('a child without a key is started each time its tasks step is entered', async () => {
  const { state, children } = await enterTasksStepTwice({ children: ['first', 'second'], keyed: false });
  expect(children.map((c) => c.content.title).sort()).toEqual(['first', 'first', 'second', 'second']);
  expect(state.children).toHaveLength(4);
});
