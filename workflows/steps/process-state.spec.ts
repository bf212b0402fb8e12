// The live state of a run and its pure queries: which raised event a step takes, which tasks close
// together, what entering a step changes, and what the Queries answer before the record exists.
import type { ProcessState, ProcessTask } from '../contracts/process-contracts';
import type { ProcessDefinition } from './definition';
import { ProcessRunState } from './process-state';

const definition: ProcessDefinition = {
  type: 'change_control',
  prefix: 'T',
  initial: 'draft',
  cancelRoles: ['qa'],
  doneForParent: ['closed'],
  steps: {
    draft: { kind: 'author', title: 'Draft', performer: 'author', next: 'held' },
    held: {
      kind: 'hold',
      title: 'Held',
      events: {
        released: { to: 'closed', auditAction: 'record.released', reason: 'Released' },
        voided: { to: 'cancelled', auditAction: 'record.voided', reason: 'Voided' },
      },
    },
    closed: { kind: 'final', title: 'Closed', sealRecord: true },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};

const task = (taskId: string, fields: Partial<ProcessTask> = {}): ProcessTask => ({
  taskId,
  step: 'draft',
  action: 'submit',
  title: taskId,
  assigneeUserId: null,
  assigneeRole: 'qa',
  dueAt: null,
  place: null,
  escalatesTaskId: null,
  ...fields,
});

const record = (fields: Partial<ProcessState> = {}): ProcessState => ({
  type: 'change_control',
  recordId: 'record-1',
  number: 'T-2026-0001',
  status: 'draft',
  version: 1,
  contentHash: 'hash',
  content: {},
  authorId: 'author-1',
  round: 1,
  signatures: [],
  openTasks: [],
  children: [],
  final: false,
  ...fields,
});

const begun = (fields: Partial<ProcessState> = {}) => {
  const state = new ProcessRunState(definition);
  state.begin(record(fields));
  return state;
};

test('before the record exists the Query answers null and no action is refused yet', () => {
  const state = new ProcessRunState(definition);
  expect(state.exists).toBe(false);
  expect(state.view({ userId: 'author-1', roles: [] })).toBeNull();
  expect(state.refusalOf('submit', { userId: 'author-1', roles: [] })).toBeNull();
  state.begin(record());
  expect(state.exists).toBe(true);
  expect(state.refusalOf('submit', { userId: 'someone-else', roles: [] })).not.toBeNull();
  expect(state.view({ userId: 'author-1', roles: [] })?.allowedActions.map((a) => a.action)).toContain('submit');
});

test('a step takes the first raised event it names, in the order raised; consuming one leaves the others', () => {
  const state = begun({ status: 'held' });
  const held = definition.steps.held!;
  expect(state.eventIn(held)).toBeNull();
  state.raise(['unnamed', 'voided', 'released']);
  expect(state.eventIn(held)?.name).toBe('voided');
  expect(state.eventIn(definition.steps.draft!)).toBeNull();
  state.consume('voided');
  expect(state.eventIn(held)).toEqual({ name: 'released', event: { to: 'closed', auditAction: 'record.released', reason: 'Released' } });
  state.consume('released');
  expect(state.eventIn(held)).toBeNull();
});

test('tasks close with the follow-ups chasing them, and only those', () => {
  const state = begun({
    openTasks: [task('a'), task('b'), task('a-follow-up', { action: 'follow_up', escalatesTaskId: 'a' }), task('other', { step: 'held' })],
  });
  expect(state.withFollowUps(['a'])).toEqual(['a', 'a-follow-up']);
  expect(state.tasksOfStep('draft')).toEqual(['a', 'b', 'a-follow-up']);
  state.closeTasks(state.withFollowUps(['a']));
  expect(state.record.openTasks.map((t) => t.taskId)).toEqual(['b', 'other']);
  expect(state.isOpen('a')).toBe(false);
  expect(state.isOpen('b')).toBe(true);
});

test('entering a step starts a new round; a final step makes the record final', () => {
  const state = begun();
  expect(state.hasLeft('draft', 1)).toBe(false);
  state.enter('held');
  expect(state.record).toMatchObject({ status: 'held', round: 2, final: false });
  expect(state.hasLeft('draft', 1)).toBe(true);
  expect(state.hasLeft('held', 2)).toBe(false);
  state.enter('closed');
  expect(state.record).toMatchObject({ status: 'closed', round: 3, final: true });
});

test('a child counts as done only while open; its end is noted whatever it was', () => {
  const child = (recordId: string) => ({ recordId, type: 'change_control' as const, relation: 'sub', status: 'open' as const });
  const state = begun({ children: [child('c1'), child('c2')] });
  state.childDone('c1');
  state.childEnded('c2', 'cancelled');
  state.childDone('c2');
  state.childDone('unknown');
  expect(state.record.children.map((c) => c.status)).toEqual(['done', 'cancelled']);
  state.childEnded('c1', 'closed');
  expect(state.record.children[0]!.status).toBe('closed');
});

test('a snapshot is a copy: changing the state afterwards leaves it as it was', () => {
  const state = begun({ openTasks: [task('a')] });
  const copy = state.snapshot();
  state.closeTasks(['a']);
  state.noteVersion({ version: 2, contentHash: 'hash-2' });
  expect(copy.openTasks).toHaveLength(1);
  expect(copy.version).toBe(1);
  expect(state.record).toMatchObject({ version: 2, contentHash: 'hash-2', openTasks: [] });
});
