// The pure rules of who may do what in which step, on a small declaration of every step kind.
import { RefusalCodes } from '../contracts/common';
import type { ProcessSignature, ProcessState, ProcessTask, Viewer } from '../contracts/process-contracts';
import type { ProcessDefinition, SignOffStep } from './definition';
import { allowedActions, chosenOutcome, quorumOf, refusalFor, resolveOutcome, signOffPlace, type ChosenOutcome } from './rules';

const AUTHOR = 'author-1';
const definition: ProcessDefinition = {
  type: 'change_control',
  prefix: 'T',
  initial: 'draft',
  cancelRoles: ['qa'],
  amendRoles: ['editor'],
  doneForParent: ['closed'],
  steps: {
    draft: { kind: 'author', title: 'Draft', performer: 'author', next: 'review', amendable: true },
    prepared: { kind: 'author', title: 'Prepare', performer: ['clerk'], next: 'review' },
    review: {
      kind: 'signoff',
      title: 'Review',
      quorum: (content) => ['qa', ...((content.areas as string[] | undefined) ?? []).map((a) => `approver_${a}`)],
      outcomes: {
        approve: { meaning: 'reviewed', next: 'work' },
        reject: { meaning: 'rejected', quorum: 'any', next: 'draft', auditAction: 'record.rejected', reasonRequired: true },
      },
      authorMayNotSign: true,
      amendable: true,
    },
    verify: {
      kind: 'signoff',
      title: 'Verify',
      quorum: () => ['qa'],
      outcomes: { verify: { meaning: 'verified', next: 'closed', requiresChildrenClosed: true } },
      authorMayNotSign: false,
    },
    // A disposition: each outcome its own quorum (one depending on the content) and destination.
    disposition: {
      kind: 'signoff',
      title: 'Decide',
      quorum: () => ['qa', 'engineering'],
      outcomes: {
        accept: {
          meaning: 'accepted',
          quorum: (content) => (content.critical ? ['qa', 'engineering'] : ['qa']),
          next: (content) => (content.followUp ? 'work' : 'closed'),
          reasonRequired: true,
        },
        redo: { meaning: 'redo', quorum: () => ['engineering'], next: 'draft', auditAction: 'record.redo' },
        scrap: { meaning: 'scrapped', quorum: () => ['qa'], next: 'cancelled' },
      },
      authorMayNotSign: true,
    },
    work: { kind: 'tasks', title: 'Work', next: 'verify', tasks: () => [] },
    kept: { kind: 'hold', title: 'Kept', obsolete: { to: 'cancelled', roles: ['keeper'] } },
    closed: { kind: 'final', title: 'Closed', sealRecord: true },
    cancelled: { kind: 'final', title: 'Cancelled', sealRecord: false },
  },
};

const stateIn = (status: string, fields: Partial<ProcessState> = {}): ProcessState => ({
  type: 'change_control',
  recordId: 'record-1',
  number: 'T-2026-0001',
  status,
  version: 1,
  contentHash: 'hash',
  content: {},
  authorId: AUTHOR,
  round: 2,
  signatures: [],
  openTasks: [],
  children: [],
  final: definition.steps[status]?.kind === 'final',
  ...fields,
});
const signature = (fields: Partial<ProcessSignature>): ProcessSignature => ({
  signatureId: 's',
  signerId: 'someone',
  role: 'qa',
  step: 'review',
  meaning: 'reviewed',
  round: 2,
  version: 1,
  valid: true,
  ...fields,
});
const task = (fields: Partial<ProcessTask>): ProcessTask => ({
  taskId: 'task-1',
  step: 'work',
  action: 'complete',
  title: 'Do it',
  assigneeUserId: 'owner-1',
  assigneeRole: null,
  dueAt: null,
  place: 'k',
  escalatesTaskId: null,
  ...fields,
});
const person = (userId: string, ...roles: string[]): Viewer => ({ userId, roles });

describe('quorum', () => {
  test('depends on the content, and counts only valid signatures of this round with the step meaning', () => {
    const state = stateIn('review', {
      content: { areas: ['production'] },
      signatures: [
        signature({ role: 'qa', signerId: 'q1' }),
        signature({ role: 'approver_production', signerId: 'p-old', round: 1 }),
        signature({ role: 'approver_production', signerId: 'p-stale', valid: false }),
      ],
    });
    expect(quorumOf(definition, state)).toEqual([
      { role: 'qa', signedBy: 'q1' },
      { role: 'approver_production', signedBy: null },
    ]);
  });

  test('is empty outside a sign-off', () => {
    expect(quorumOf(definition, stateIn('draft'))).toEqual([]);
  });
});

describe('signing a sign-off', () => {
  test('a signer fills the first open place among the roles they hold', () => {
    const state = stateIn('review', { content: { areas: ['production'] }, signatures: [signature({ role: 'qa', signerId: 'q1' })] });
    expect(signOffPlace(definition, state, person('p1', 'qa', 'approver_production'), 'sign')).toEqual({ role: 'approver_production' });
  });

  test('the author never signs a step with separation of duties, whatever roles they hold', () => {
    expect(signOffPlace(definition, stateIn('review'), person(AUTHOR, 'qa'), 'sign')).toMatchObject({ code: RefusalCodes.selfApproval });
  });

  test('the author may sign a step without separation of duties', () => {
    expect(signOffPlace(definition, stateIn('verify'), person(AUTHOR, 'qa'), 'sign')).toEqual({ role: 'qa' });
  });

  test('one person fills one place: a second signature in the round is refused', () => {
    const state = stateIn('review', { content: { areas: ['production'] }, signatures: [signature({ role: 'qa', signerId: 'q1' })] });
    expect(signOffPlace(definition, state, person('q1', 'qa', 'approver_production'), 'sign')).toMatchObject({ code: RefusalCodes.alreadySigned });
  });

  test('a role already filled by someone else is refused as signed; no role at all as not authorised', () => {
    const state = stateIn('review', { signatures: [signature({ role: 'qa', signerId: 'q1' })] });
    expect(signOffPlace(definition, state, person('q2', 'qa'), 'sign')).toMatchObject({ code: RefusalCodes.alreadySigned });
    expect(signOffPlace(definition, state, person('x', 'clerk'), 'sign')).toMatchObject({ code: RefusalCodes.notAuthorised });
  });

  test('a signature from an earlier round does not block signing again', () => {
    const state = stateIn('review', { signatures: [signature({ role: 'qa', signerId: 'q1', round: 1 })] });
    expect(signOffPlace(definition, state, person('q1', 'qa'), 'sign')).toEqual({ role: 'qa' });
  });

  test('rejecting needs a step that offers it; signing needs a sign-off, naming the step', () => {
    expect(signOffPlace(definition, stateIn('verify'), person('q1', 'qa'), 'reject')).toMatchObject({ code: RefusalCodes.stepNotAllowed, step: 'verify' });
    expect(refusalFor(definition, stateIn('draft'), 'sign', person('q1', 'qa'))).toMatchObject({ code: RefusalCodes.stepNotAllowed, step: 'draft' });
  });

  test('a step that needs its children closed refuses signing while one is open, not once it is done', () => {
    const open = stateIn('verify', { children: [{ recordId: 'c', type: 'change_control', relation: 'r', status: 'open' }] });
    expect(refusalFor(definition, open, 'sign', person('q1', 'qa'))).toMatchObject({ code: RefusalCodes.childrenOpen });
    const done = stateIn('verify', { children: [{ recordId: 'c', type: 'change_control', relation: 'r', status: 'done' }] });
    expect(refusalFor(definition, done, 'sign', person('q1', 'qa'))).toBeNull();
  });
});

describe('the other actions', () => {
  test('nothing is allowed once the process is final', () => {
    for (const action of ['submit', 'sign', 'amend', 'cancel'] as const)
      expect(refusalFor(definition, stateIn('closed'), action, person(AUTHOR, 'qa'))).toMatchObject({ code: RefusalCodes.stepNotAllowed });
  });

  test('submitting: the author, or a holder of the performer roles', () => {
    expect(refusalFor(definition, stateIn('draft'), 'submit', person(AUTHOR))).toBeNull();
    expect(refusalFor(definition, stateIn('draft'), 'submit', person('other', 'qa'))).toMatchObject({ code: RefusalCodes.notAuthorised });
    expect(refusalFor(definition, stateIn('prepared'), 'submit', person('c1', 'clerk'))).toBeNull();
    expect(refusalFor(definition, stateIn('prepared'), 'submit', person(AUTHOR))).toMatchObject({ code: RefusalCodes.notAuthorised });
  });

  test('amending: only in an amendable step, by the author or an amend role', () => {
    expect(refusalFor(definition, stateIn('review'), 'amend', person(AUTHOR))).toBeNull();
    expect(refusalFor(definition, stateIn('review'), 'amend', person('e1', 'editor'))).toBeNull();
    expect(refusalFor(definition, stateIn('review'), 'amend', person('q1', 'qa'))).toMatchObject({ code: RefusalCodes.notAuthorised });
    expect(refusalFor(definition, stateIn('verify'), 'amend', person(AUTHOR))).toMatchObject({ code: RefusalCodes.stepNotAllowed });
  });

  test('cancelling: the author or a cancel role, never in a hold, never with an open child', () => {
    expect(refusalFor(definition, stateIn('draft'), 'cancel', person('q1', 'qa'))).toBeNull();
    expect(refusalFor(definition, stateIn('draft'), 'cancel', person('x', 'clerk'))).toMatchObject({ code: RefusalCodes.notAuthorised });
    expect(refusalFor(definition, stateIn('kept'), 'cancel', person(AUTHOR))).toMatchObject({ code: RefusalCodes.stepNotAllowed });
    const withChild = stateIn('work', { children: [{ recordId: 'c', type: 'change_control', relation: 'r', status: 'open' }] });
    expect(refusalFor(definition, withChild, 'cancel', person(AUTHOR))).toMatchObject({ code: RefusalCodes.childrenOpen });
  });

  test('completing a task: only an open task, only by its owner or a holder of its role', () => {
    const state = stateIn('work', { openTasks: [task({}), task({ taskId: 'task-2', assigneeUserId: null, assigneeRole: 'clerk' })] });
    expect(refusalFor(definition, state, 'complete_task', person('owner-1'), 'task-1')).toBeNull();
    expect(refusalFor(definition, state, 'complete_task', person('c1', 'clerk'), 'task-2')).toBeNull();
    expect(refusalFor(definition, state, 'complete_task', person('c1', 'clerk'), 'task-1')).toMatchObject({ code: RefusalCodes.notAuthorised });
    expect(refusalFor(definition, state, 'complete_task', person('owner-1'), 'task-9')).toMatchObject({ code: RefusalCodes.taskNotOpen });
  });

  test('making obsolete: only in a hold that allows it, by its roles', () => {
    expect(refusalFor(definition, stateIn('kept'), 'obsolete', person('k1', 'keeper'))).toBeNull();
    expect(refusalFor(definition, stateIn('kept'), 'obsolete', person(AUTHOR))).toMatchObject({ code: RefusalCodes.notAuthorised });
    expect(refusalFor(definition, stateIn('draft'), 'obsolete', person('k1', 'keeper'))).toMatchObject({ code: RefusalCodes.stepNotAllowed });
  });
});

describe('allowed actions', () => {
  test('nobody may do anything without a viewer or once final', () => {
    expect(allowedActions(definition, stateIn('draft'), null)).toEqual([]);
    expect(allowedActions(definition, stateIn('closed'), person(AUTHOR, 'qa'))).toEqual([]);
  });

  test('offer exactly what the rules accept: a QA reviewer may sign, reject and cancel', () => {
    expect(allowedActions(definition, stateIn('review'), person('q1', 'qa'))).toEqual([
      { action: 'cancel', step: 'review' },
      { action: 'sign', step: 'review', meaning: 'reviewed', role: 'qa', outcome: 'approve' },
      { action: 'reject', step: 'review', meaning: 'rejected', role: 'qa', outcome: 'reject' },
    ]);
  });

  test('the author of a sign-off may amend and cancel, not sign', () => {
    expect(allowedActions(definition, stateIn('review'), person(AUTHOR, 'qa'))).toEqual([
      { action: 'amend', step: 'review' },
      { action: 'cancel', step: 'review' },
    ]);
  });
});

describe('outcomes of a sign-off', () => {
  const step = definition.steps.disposition as SignOffStep;
  const outcome = (name: string): ChosenOutcome => ({ name, outcome: step.outcomes[name]! });
  const deciding = (fields: Partial<ProcessState> = {}) => stateIn('disposition', fields);

  test('sign chooses the named outcome, or the first; reject chooses only `reject`', () => {
    expect(chosenOutcome(step, 'sign')?.name).toBe('accept');
    expect(chosenOutcome(step, 'sign', 'scrap')?.name).toBe('scrap');
    expect(chosenOutcome(step, 'sign', 'unknown')).toBeNull();
    expect(chosenOutcome(step, 'reject')).toBeNull();
    const review = definition.steps.review as SignOffStep;
    expect(chosenOutcome(review, 'reject')?.outcome.meaning).toBe('rejected');
    expect(chosenOutcome(review, 'sign', 'reject')).toBeNull();
  });

  test("an outcome's quorum may depend on the content", () => {
    expect(quorumOf(definition, deciding(), 'accept').map((q) => q.role)).toEqual(['qa']);
    expect(quorumOf(definition, deciding({ content: { critical: true } }), 'accept').map((q) => q.role)).toEqual(['qa', 'engineering']);
    expect(quorumOf(definition, deciding(), 'redo').map((q) => q.role)).toEqual(['engineering']);
  });

  test('an outcome carries when its own quorum has signed with its meaning; other outcomes do not count', () => {
    const critical = deciding({
      content: { critical: true },
      signatures: [signature({ step: 'disposition', role: 'qa', signerId: 'q1', meaning: 'accepted' })],
    });
    expect(resolveOutcome(definition, critical, outcome('accept'), 'engineering')).toEqual({ carries: true, to: 'closed', auditAction: 'record.closed' });
    const otherMeaning = deciding({
      content: { critical: true },
      signatures: [signature({ step: 'disposition', role: 'qa', signerId: 'q1', meaning: 'scrapped' })],
    });
    expect(resolveOutcome(definition, otherMeaning, outcome('accept'), 'engineering')).toEqual({ carries: false, remaining: ['qa'] });
  });

  test('the destination may depend on the content; the audit action on the declaration', () => {
    expect(resolveOutcome(definition, deciding({ content: { followUp: true } }), outcome('accept'), 'qa')).toEqual({
      carries: true,
      to: 'work',
      auditAction: 'record.approved',
    });
    expect(resolveOutcome(definition, deciding(), outcome('redo'), 'engineering')).toEqual({ carries: true, to: 'draft', auditAction: 'record.redo' });
  });

  test("a rejection ('any') carries with one signature from any place of the step", () => {
    const review = stateIn('review', { content: { areas: ['production'] } });
    const reject: ChosenOutcome = { name: 'reject', outcome: (definition.steps.review as SignOffStep).outcomes.reject! };
    expect(resolveOutcome(definition, review, reject, 'approver_production')).toEqual({ carries: true, to: 'draft', auditAction: 'record.rejected' });
    expect(signOffPlace(definition, review, person('p1', 'approver_production'), 'reject')).toEqual({ role: 'approver_production' });
  });

  test("a signer fills a place of the chosen outcome's quorum only, and the Query offers each outcome they may choose", () => {
    expect(signOffPlace(definition, deciding(), person('e1', 'engineering'), 'sign', 'scrap')).toMatchObject({ code: RefusalCodes.notAuthorised });
    expect(signOffPlace(definition, deciding(), person('e1', 'engineering'), 'sign', 'redo')).toEqual({ role: 'engineering' });
    expect(signOffPlace(definition, deciding(), person('e1', 'engineering'), 'sign', 'nothing')).toMatchObject({ code: RefusalCodes.stepNotAllowed });
    expect(allowedActions(definition, deciding(), person('q1', 'qa'))).toEqual([
      { action: 'cancel', step: 'disposition' },
      { action: 'sign', step: 'disposition', meaning: 'accepted', role: 'qa', outcome: 'accept' },
      { action: 'sign', step: 'disposition', meaning: 'scrapped', role: 'qa', outcome: 'scrap' },
    ]);
  });
});
