// The NCMR declaration (processes/ncmr/ncmr.process.ts) on the interpreter, against the test
// Temporal server with stub activities (no database): each disposition path with its quorum, the
// rework loop twice, a rejected disposition back to the MRB, cancellation, a hold that cannot be
// placed, and the CAPA it opens on the way to closed. The effects are recorded, not run: what they
// write is proven by test/ncmr-lot-holds.test.ts.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { temporal } from '@temporalio/proto';
import { type Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { NcmrContent, NcmrDisposition } from '../processes/ncmr/ncmr.process';
import type { SignedManifest } from '../workflows/contracts/common';
import {
  cancelUpdate,
  completeTaskUpdate,
  processCreatedUpdate,
  processQuery,
  processWorkflowId,
  rejectStepUpdate,
  signStepUpdate,
  submitStepUpdate,
  type ActorContext,
  type JsonContent,
  type ProcessView,
} from '../workflows/contracts/process-contracts';
import { startStubActivityWorker, type ProcessStubActivities, type StubActivityWorker } from './support/stub-activity-worker';

const person = (roles: string[]): ActorContext => ({ actorId: randomUUID(), actorRoles: roles, clientIp: null, userAgent: null });
const reporter = person(['initiator']);
const mrb = person(['mrb']);
const qa = person(['qa']);
const engineering = person(['approver_engineering']);
const reworker = person(['approver_production']);

const timing = { taskDue: '10 days', reminderLead: '1 day', escalationInterval: '1 day', effectivenessWait: '90 days', periodicReview: '30 days' };
const version = { version: 1, contentHash: 'hash' };
const signed = {} as SignedManifest;
const dueAt = '2099-01-31T00:00:00.000Z';

interface Ran {
  name: string;
  on: string;
  from: string | null;
  to: string;
}
interface Created {
  type: string;
  recordId: string;
  content: JsonContent;
  parent: { recordId: string; relation: string } | null;
}

let ran: Map<string, Ran[]>;
let transitions: Map<string, string[]>;
let created: Created[];
/** Records whose ncmr.hold_lots finds a lot held elsewhere. */
let refuseHold: Set<string>;
/** When set, a CAPA's record is created only once the test opens the gate. */
let capaGate: { entered: () => void; opened: Promise<void> } | null = null;
let stubWorker: StubActivityWorker;
let client: Client;
const taskQueue = `ncmr-process-${randomUUID()}`;

const stubs = (): ProcessStubActivities => ({
  async createProcessRecord({ type, recordId, content, context, parent }) {
    if (type === 'capa' && capaGate) {
      capaGate.entered();
      await capaGate.opened;
    }
    created.push({ type, recordId, content, parent });
    return { ...version, number: `${type.toUpperCase()}-${recordId.slice(0, 4)}`, authorId: context.actorId, content };
  },
  async transitionProcess({ recordId, transition }) {
    transitions.set(recordId, [...(transitions.get(recordId) ?? []), `${transition.from} → ${transition.to}`]);
    return version;
  },
  async signProcessStep({ recordId, transition }) {
    if (transition) transitions.set(recordId, [...(transitions.get(recordId) ?? []), `${transition.from} → ${transition.to}`]);
    return version;
  },
  amendProcessRecord: async () => version,
  async completeProcessTask({ recordId, transition }) {
    if (transition) transitions.set(recordId, [...(transitions.get(recordId) ?? []), `${transition.from} → ${transition.to}`]);
  },
  noteOverdueTask: async () => undefined,
  openProcessTask: async () => undefined,
  produceClosureRecord: async () => ({ artifactId: 'none', sha256: 'none' }),
  async runEffect({ name, effect }) {
    ran.set(effect.recordId, [...(ran.get(effect.recordId) ?? []), { name, on: effect.on, from: effect.from, to: effect.to }]);
    return name === 'ncmr.hold_lots' && refuseHold.has(effect.recordId) ? { raise: ['hold_refused'] } : {};
  },
});

beforeAll(async () => {
  stubWorker = await startStubActivityWorker({ workflowsPath: require.resolve('./support/ncmr-process.workflows'), taskQueue, activities: stubs() });
  client = stubWorker.client;
});

afterAll(() => stubWorker?.close());

beforeEach(() => {
  ran = new Map();
  transitions = new Map();
  created = [];
  refuseHold = new Set();
  capaGate = null;
});

const lots = [
  { lotId: randomUUID(), lotNumber: 'R-101', partNumber: 'RM-RESIN', nonconformingQuantity: '20', unit: 'kg' },
  { lotId: randomUUID(), lotNumber: 'R-102', partNumber: 'RM-RESIN', nonconformingQuantity: '5', unit: 'kg' },
];
const [lotA, lotB] = [lots[0]!.lotId, lots[1]!.lotId];

const report = (extra: Partial<NcmrContent> = {}): NcmrContent => ({
  title: 'Resin discoloured',
  description: 'Yellowish pellets in two lots',
  detectionPoint: 'incoming',
  defectCode: 'VIS-CONT',
  lots,
  ...extra,
});

async function start(extra: Partial<NcmrContent> = {}, options: { refuseHold?: boolean } = {}) {
  const recordId = randomUUID();
  if (options.refuseHold) refuseHold.add(recordId);
  const handle = await client.workflow.start('ncmr', {
    taskQueue,
    workflowId: processWorkflowId(recordId),
    args: [{ recordId, content: report(extra), context: reporter, timing }],
  });
  await handle.executeUpdate(processCreatedUpdate);
  return { recordId, handle };
}

const view = async (handle: WorkflowHandle, who: ActorContext = reporter) =>
  (await handle.query(processQuery, { userId: who.actorId, roles: who.actorRoles }))!;
const submit = (handle: WorkflowHandle, who: ActorContext, content?: JsonContent) =>
  handle.executeUpdate(submitStepUpdate, { args: [{ context: who, ...(content ? { content } : {}) }] });
const sign = (handle: WorkflowHandle, who: ActorContext, outcome?: string) =>
  handle.executeUpdate(signStepUpdate, { args: [{ signatureId: randomUUID(), signed, context: who, ...(outcome ? { outcome } : {}) }] });
const reject = (handle: WorkflowHandle, who: ActorContext, reason: string) =>
  handle.executeUpdate(rejectStepUpdate, { args: [{ signatureId: randomUUID(), signed, context: who, reason }] });

/** The refusal an Update failed with: its code and message. */
async function refused(update: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  const error = await update.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`Expected a refused Update, got ${String(error)}`);
  const cause = error.cause as { type?: string; message: string };
  return { code: cause.type, message: cause.message };
}

/** Reported, submitted to the MRB, the MRB's dispositions submitted: the process waits for their approval. */
async function toApproval(dispositions: NcmrDisposition[], extra: Partial<NcmrContent> = {}) {
  const started = await start(extra);
  await submit(started.handle, reporter);
  await submit(started.handle, mrb, { dispositions, ...(extra.capa ? { capa: extra.capa } : {}) });
  expect((await view(started.handle)).status).toBe('disposition_approval');
  return started;
}

const reworkOf = (lotId: string, instructions: string): NcmrDisposition => ({
  lotId,
  decision: 'rework',
  reworkInstructions: instructions,
  reworkOwnerId: reworker.actorId,
  reworkOwnerName: 'Pedro Rossi',
  reworkDueAt: dueAt,
});

const quorumRoles = (state: ProcessView) => state.quorum.map((q) => q.role);

test('the lots go on hold at creation; the report needs its lots; the MRB, not the reporter, decides', async () => {
  const { recordId, handle } = await start();
  expect((await view(handle)).number).toMatch(/^NCMR-/);
  expect(await refused(submit(handle, reporter, { lots: [] }))).toMatchObject({
    code: 'incomplete_content',
    message: expect.stringContaining('no lot is named'),
  });
  // That submission's handler ran after the creation's enter effects (one at a time, under the interpreter's mutex).
  expect(ran.get(recordId)).toEqual([{ name: 'ncmr.hold_lots', on: 'enter', from: null, to: 'reported' }]);
  await submit(handle, reporter);
  expect(await refused(submit(handle, reporter, { dispositions: [] }))).toMatchObject({ code: 'not_authorised' });
  await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'Test over', context: qa }] });
});

test('use as is: every lot needs a justification, and MRB, QA and engineering sign; the lots are settled as the process closes', async () => {
  const started = await start();
  await submit(started.handle, reporter);
  const unjustified = await refused(
    submit(started.handle, mrb, {
      dispositions: [
        { lotId: lotA, decision: 'use_as_is' },
        { lotId: lotB, decision: 'use_as_is', justification: 'Within the colour limit sample' },
      ],
    }),
  );
  expect(unjustified).toMatchObject({ code: 'incomplete_content', message: expect.stringContaining('use as is for lot R-101 needs a justification') });
  const missingLot = await refused(submit(started.handle, mrb, { dispositions: [{ lotId: lotA, decision: 'use_as_is', justification: 'Cosmetic' }] }));
  expect(missingLot.message).toContain('lot R-102 has no disposition');
  await submit(started.handle, mrb, {
    dispositions: [
      { lotId: lotA, decision: 'use_as_is', justification: 'Cosmetic only; function verified' },
      { lotId: lotB, decision: 'return_to_supplier', rmaNumber: 'RMA-4711' },
    ],
  });
  const { handle, recordId } = started;
  expect(quorumRoles(await view(handle))).toEqual(['mrb', 'qa', 'approver_engineering']);
  expect(await refused(sign(handle, reporter))).toMatchObject({ code: 'self_approval' });
  await sign(handle, mrb);
  await sign(handle, qa);
  expect((await view(handle)).status).toBe('disposition_approval');
  await sign(handle, engineering);
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  expect(transitions.get(recordId)).toEqual(['reported → mrb_review', 'mrb_review → disposition_approval', 'disposition_approval → closed']);
  expect(ran.get(recordId)).toEqual([
    { name: 'ncmr.hold_lots', on: 'enter', from: null, to: 'reported' },
    { name: 'ncmr.settle_lots', on: 'process_exit', from: 'disposition_approval', to: 'closed' },
  ]);
});

test('rework twice: a rework task per lot, re-inspection by QA, back to the MRB each time, then use as is and scrap close it', async () => {
  const { handle, recordId } = await toApproval([reworkOf(lotA, 'Dry at 80 °C for 4 h'), { lotId: lotB, decision: 'scrap', scrapQuantity: '5' }]);
  expect(quorumRoles(await view(handle))).toEqual(['mrb']);
  await sign(handle, mrb);

  const taskIds: string[] = [];
  for (const round of [1, 2]) {
    const state = await view(handle, reworker);
    expect(state.status).toBe('actions');
    const tasks = state.openTasks.filter((t) => t.action === 'complete');
    expect(tasks.map((t) => [t.title, t.assigneeUserId, t.dueAt])).toEqual([
      [`Rework lot R-101: ${round === 1 ? 'Dry at 80 °C for 4 h' : 'Dry at 90 °C for 6 h'}`, reworker.actorId, dueAt],
    ]);
    taskIds.push(tasks[0]!.taskId);
    expect(await refused(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: tasks[0]!.taskId, note: null, context: mrb }] }))).toMatchObject({
      code: 'not_authorised',
    });
    await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: tasks[0]!.taskId, note: `Reworked, round ${round}`, context: reworker }] });
    expect(quorumRoles(await view(handle))).toEqual(['qa']);
    await sign(handle, qa, 'reinspected');
    expect((await view(handle)).status).toBe('mrb_review');
    const again =
      round === 1
        ? [reworkOf(lotA, 'Dry at 90 °C for 6 h'), { lotId: lotB, decision: 'scrap' as const, scrapQuantity: '5' }]
        : [
            { lotId: lotA, decision: 'use_as_is' as const, justification: 'Colour within limits after drying' },
            { lotId: lotB, decision: 'scrap' as const, scrapQuantity: '5' },
          ];
    await submit(handle, mrb, { dispositions: again });
    if (round === 1) await sign(handle, mrb);
  }
  // A task of the second round is a new task: the first round's is closed and stays so.
  expect(new Set(taskIds).size).toBe(2);
  expect(quorumRoles(await view(handle))).toEqual(['mrb', 'qa', 'approver_engineering']);
  await sign(handle, engineering);
  await sign(handle, qa);
  await sign(handle, mrb);
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  const loop = ['disposition_approval → actions', 'actions → re_inspection', 're_inspection → mrb_review', 'mrb_review → disposition_approval'];
  expect(transitions.get(recordId)).toEqual(['reported → mrb_review', 'mrb_review → disposition_approval', ...loop, ...loop, 'disposition_approval → closed']);
  expect(ran.get(recordId)?.map((r) => `${r.on} ${r.name} → ${r.to}`)).toEqual(['enter ncmr.hold_lots → reported', 'process_exit ncmr.settle_lots → closed']);
  // ATTESTFLOW_RECORD_NCMR_HISTORY=<file>: keep this run's history for test/replay.test.ts (as test/histories/record-history.ts writes them).
  const out = process.env.ATTESTFLOW_RECORD_NCMR_HISTORY;
  if (out) {
    const history = temporal.api.history.v1.History.toObject((await handle.fetchHistory()) as temporal.api.history.v1.History, {
      longs: String,
      enums: String,
      bytes: String,
    });
    fs.writeFileSync(out, JSON.stringify({ workflowId: processWorkflowId(recordId), history }, null, 1));
  }
});

test('rework needs instructions, an owner and a due date; return to supplier an RMA number; scrap a quantity within the nonconforming one', async () => {
  const { handle } = await start();
  await submit(handle, reporter);
  const cases: [NcmrDisposition, string][] = [
    [{ ...reworkOf(lotA, ''), reworkInstructions: '' }, 'rework of lot R-101 needs rework instructions'],
    [{ ...reworkOf(lotA, 'Dry'), reworkOwnerId: null }, 'rework of lot R-101 needs an owner'],
    [{ ...reworkOf(lotA, 'Dry'), reworkDueAt: 'soon' }, 'rework of lot R-101 needs a due date'],
    [{ lotId: lotA, decision: 'return_to_supplier' }, "return to supplier of lot R-101 needs the supplier's RMA number"],
    [{ lotId: lotA, decision: 'scrap' }, 'scrapping lot R-101 needs the quantity scrapped'],
    [{ lotId: lotA, decision: 'scrap', scrapQuantity: '21' }, 'scrapping lot R-101: 21 is more than the 20 kg reported nonconforming'],
  ];
  for (const [disposition, message] of cases) {
    const refusal = await refused(submit(handle, mrb, { dispositions: [disposition, { lotId: lotB, decision: 'scrap', scrapQuantity: '5' }] }));
    expect(refusal).toMatchObject({ code: 'incomplete_content', message: expect.stringContaining(message) });
  }
  expect((await view(handle)).status).toBe('mrb_review');
  await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'Test over', context: mrb }] });
});

test('return to supplier and scrap close at the MRB signature alone', async () => {
  const { handle, recordId } = await toApproval([
    { lotId: lotA, decision: 'return_to_supplier', rmaNumber: 'RMA-0815' },
    { lotId: lotB, decision: 'scrap', scrapQuantity: '5' },
  ]);
  expect(quorumRoles(await view(handle))).toEqual(['mrb']);
  await sign(handle, mrb);
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  expect(ran.get(recordId)?.at(-1)).toEqual({ name: 'ncmr.settle_lots', on: 'process_exit', from: 'disposition_approval', to: 'closed' });
});

test('a rejected disposition goes back to the MRB, with a reason; then approved it closes', async () => {
  const { handle, recordId } = await toApproval([
    { lotId: lotA, decision: 'scrap', scrapQuantity: '20' },
    { lotId: lotB, decision: 'scrap', scrapQuantity: '5' },
  ]);
  expect(await refused(reject(handle, mrb, ' '))).toMatchObject({ code: 'incomplete_content' });
  expect(await refused(reject(handle, qa, 'Not my place'))).toMatchObject({ code: 'not_authorised' });
  await reject(handle, mrb, 'Lot R-102 can go back to the supplier');
  expect((await view(handle)).status).toBe('mrb_review');
  await submit(handle, mrb, {
    dispositions: [
      { lotId: lotA, decision: 'scrap', scrapQuantity: '20' },
      { lotId: lotB, decision: 'return_to_supplier', rmaNumber: 'RMA-9' },
    ],
  });
  await sign(handle, mrb);
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  expect(transitions.get(recordId)).toEqual([
    'reported → mrb_review',
    'mrb_review → disposition_approval',
    'disposition_approval → mrb_review',
    'mrb_review → disposition_approval',
    'disposition_approval → closed',
  ]);
});

test('cancellation (by the MRB, with a reason) settles the lots with the cancelled end', async () => {
  const { handle, recordId } = await toApproval([reworkOf(lotA, 'Dry'), { lotId: lotB, decision: 'scrap', scrapQuantity: '5' }]);
  await sign(handle, mrb);
  expect((await view(handle)).status).toBe('actions');
  expect(await refused(handle.executeUpdate(cancelUpdate, { args: [{ reason: 'Duplicate', context: reworker }] }))).toMatchObject({ code: 'not_authorised' });
  await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'Duplicate of another NCMR', context: mrb }] });
  expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  expect(ran.get(recordId)?.at(-1)).toEqual({ name: 'ncmr.settle_lots', on: 'process_exit', from: 'actions', to: 'cancelled' });
  expect(created.filter((c) => c.type === 'capa')).toEqual([]);
});

test('a lot that cannot be held (held by another NCMR meanwhile) cancels the NCMR by itself, settling what it holds', async () => {
  const { handle, recordId } = await start({}, { refuseHold: true });
  expect(await handle.result()).toMatchObject({ status: 'cancelled' });
  expect(transitions.get(recordId)).toEqual(['reported → cancelled']);
  expect(ran.get(recordId)?.map((r) => `${r.on} ${r.name} → ${r.to}`)).toEqual([
    'enter ncmr.hold_lots → reported',
    'process_exit ncmr.settle_lots → cancelled',
  ]);
});

test('a CAPA the MRB asks for is opened as a child, once, on the way to closed; the NCMR does not wait for it', async () => {
  const capa = { title: 'Resin supplier drying process', description: 'Two lots discoloured in a month' };
  const { handle, recordId } = await toApproval([reworkOf(lotA, 'Dry'), { lotId: lotB, decision: 'return_to_supplier', rmaNumber: 'RMA-1' }], { capa });
  await sign(handle, mrb);
  const task = (await view(handle, reworker)).openTasks.find((t) => t.action === 'complete')!;
  await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.taskId, note: null, context: reworker }] });
  await sign(handle, qa, 'reinspected');
  await submit(handle, mrb, {
    dispositions: [
      { lotId: lotA, decision: 'use_as_is', justification: 'Within limits after drying' },
      { lotId: lotB, decision: 'return_to_supplier', rmaNumber: 'RMA-1' },
    ],
  });
  // The rework round passed no step that starts children: no CAPA yet.
  expect(created.filter((c) => c.type === 'capa')).toEqual([]);
  await sign(handle, mrb);
  await sign(handle, qa);
  await sign(handle, engineering);
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  expect(transitions.get(recordId)?.slice(-2)).toEqual(['disposition_approval → opening_capa', 'opening_capa → closed']);
  const children = (await view(handle)).children;
  expect(children.map((c) => [c.type, c.relation])).toEqual([['capa', 'resulting_capa']]);
  // The CAPA goes on by itself (it would wait months for its effectiveness check).
  const child = client.workflow.getHandle(processWorkflowId(children[0]!.recordId));
  expect(await child.executeUpdate(processCreatedUpdate)).toMatchObject({ type: 'capa', status: 'initiated' });
  const capas = created.filter((c) => c.type === 'capa');
  expect(capas).toHaveLength(1);
  expect(capas[0]).toMatchObject({
    parent: { recordId, relation: 'resulting_capa' },
    content: { title: capa.title, description: capa.description, source: { kind: 'ncmr' }, investigation: null, actions: [] },
  });
  expect((capas[0]!.content.source as { reference: string }).reference).toContain('R-101, R-102');
  await child.terminate('test over');
});

test('the NCMR leaves opening_capa only once the CAPA record exists, so its sealed record names the CAPA', async () => {
  let entered!: () => void;
  let open!: () => void;
  const creating = new Promise<void>((resolve) => (entered = resolve));
  capaGate = { entered: () => entered(), opened: new Promise<void>((resolve) => (open = resolve)) };
  const capa = { title: 'Resin supplier drying process', description: 'Two lots discoloured in a month' };
  const { handle, recordId } = await toApproval(
    [
      { lotId: lotA, decision: 'scrap', scrapQuantity: '20' },
      { lotId: lotB, decision: 'scrap', scrapQuantity: '5' },
    ],
    {
      capa,
    },
  );
  await sign(handle, mrb);
  await creating;
  // The NCMR has seen its child start and decided what to do next: it schedules nothing while the
  // CAPA's record does not exist (before the fix it went on to closed at once, sealing no link).
  const eventsAfterChildStarted = async () => {
    const events = (await handle.fetchHistory()).events ?? [];
    const started = events.findIndex((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED);
    return started < 0 ? null : events.slice(started + 1);
  };
  let after = await eventsAfterChildStarted();
  while (!after?.some((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    after = await eventsAfterChildStarted();
  }
  expect(after.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toEqual([]);
  expect((await view(handle)).status).toBe('opening_capa');
  expect(transitions.get(recordId)?.at(-1)).toBe('disposition_approval → opening_capa');

  open();
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  expect(created.filter((c) => c.type === 'capa')).toEqual([expect.objectContaining({ parent: { recordId, relation: 'resulting_capa' } })]);
  expect(transitions.get(recordId)?.at(-1)).toBe('opening_capa → closed');
  await client.workflow.getHandle(processWorkflowId(created.find((c) => c.type === 'capa')!.recordId)).terminate('test over');
});
