// A regulated process as a declaration: named steps of a few kinds. The interpreter
// (run-process.ts) gives every process the same sign-off, task, timer, amendment and cancellation
// behaviour, so adding the next process is mostly writing one of these.
//
// A declaration is typed by its process's content (`ProcessDefinition<ChangeControlContent>`): its
// steps' functions read that content without casting. The interpreter holds every process as
// `ProcessDefinition` (content `JsonContent`) and hands each function the record's content, which the
// API built from the process's own request schemas; so these functions are declared bivariant in
// their content (`OfContent`), the one place where the typed and the generic view meet.
import type { JsonContent, ProcessTiming, ProcessType } from '../contracts/process-contracts';

/** A function of a process's content (and more), bivariant in its parameters (see above). */
export type OfContent<C, A extends unknown[], R> = { bivariant(content: C, ...rest: A): R }['bivariant'];

/** Where a step leads: a step's name, or one chosen from the content. */
export type Next<C extends JsonContent = JsonContent> = string | OfContent<C, [], string>;

export const nextOf = <C extends JsonContent>(next: Next<C>, content: C): string => (typeof next === 'string' ? next : next(content));

interface StepBase {
  /** Shown in the inbox and in refusals. */
  title: string;
  /** The state's name as a person reads it (record PDFs); unset: the key, humanised ("impact_assessment" → "Impact assessment"). */
  label?: string;
  /** The author may amend the content (with a reason) while the process is in this step. */
  amendable?: boolean;
  /** Named effects (activities/effects/) run, in order, when the process enters this step. */
  onEnter?: readonly string[];
  /** Named effects run when the process leaves this step, by any transition. */
  onExit?: readonly string[];
  /** Events (raised by an effect of this process, or sent by another process) that move it on from here. */
  events?: Readonly<Record<string, StepEvent>>;
}

/** Where an event moves the process, and how its audit trail says so. */
export interface StepEvent {
  to: string;
  auditAction: string;
  reason: string;
}

/** The author (or a role) fills in this step's part of the content and submits it. */
export interface AuthorStep<C extends JsonContent = JsonContent> extends StepBase {
  kind: 'author';
  next: Next<C>;
  /** Who submits: the record's author, or any holder of one of these roles. */
  performer: 'author' | readonly string[];
  /** What is still missing before the step can be submitted (a sentence), or null. */
  missing?: OfContent<C, [], string | null>;
}

/**
 * One decision a sign-off offers. Each signer chooses an outcome and e-signs with its meaning; the
 * outcome carries once its quorum has signed with it, and the process goes to its `next`.
 */
export interface SignOffOutcome<C extends JsonContent = JsonContent> {
  /** What a signature choosing this outcome means ("approved", "rejected"). */
  meaning: string;
  /**
   * Who must sign with this outcome for it to carry, one distinct person per role (may depend on
   * the content); unset: the step's quorum. `'any'`: one signature from any place of the step's
   * quorum carries it (a rejection).
   */
  quorum?: OfContent<C, [], string[]> | 'any';
  /** Where the process goes when the outcome carries (may depend on the content). */
  next: Next<C>;
  /** Audit action of that transition; unset: record.closed into a final step, record.approved otherwise. */
  auditAction?: string;
  /** A signature with this outcome carries a reason (a justification); refused without one. */
  reasonRequired?: boolean;
  /** Refused while any child process is still open (a closure). */
  requiresChildrenClosed?: boolean;
}

/** The outcome the API's reject action chooses; `sign` without an outcome chooses the step's first. */
export const REJECT_OUTCOME = 'reject';

/** Electronic signatures by a quorum: one distinct person per role in `quorum`, each choosing an outcome. */
export interface SignOffStep<C extends JsonContent = JsonContent> extends StepBase {
  kind: 'signoff';
  /** The places of the step: one sign task per role; every outcome's quorum is drawn from these. */
  quorum: OfContent<C, [], string[]>;
  /** The outcomes offered, by name; the first is the default of `sign`. */
  outcomes: Readonly<Record<string, SignOffOutcome<C>>>;
  /** Separation of duties: the record's author never signs this step. */
  authorMayNotSign: boolean;
}

export interface ImplementationTask {
  /** Stable key of the task inside the content. */
  key: string;
  title: string;
  ownerId: string;
  dueAt: string | null;
}

export interface ChildSpec {
  type: ProcessType;
  relation: string;
  content: JsonContent;
  /**
   * Stable key of the child inside the parent's content: a tasks step entered again (a process sent
   * back) does not start a child whose key this process has started already. Unset: started each time.
   */
  key?: string;
}

/** Tasks with owners and due dates (and child processes); the step ends when every task is done. */
export interface TaskStep<C extends JsonContent = JsonContent> extends StepBase {
  kind: 'tasks';
  next: Next<C>;
  tasks: OfContent<C, [], ImplementationTask[]>;
  children?: OfContent<C, [], ChildSpec[]>;
}

/** A durable timer: the process waits, then moves on by itself. */
export interface WaitStep<C extends JsonContent = JsonContent> extends StepBase {
  kind: 'wait';
  next: Next<C>;
  /** Epoch milliseconds at which the wait ends. */
  until: OfContent<C, [timing: ProcessTiming, enteredAt: number], number>;
}

/** The process passes through: its `onEnter` effects run, then it moves on (to an event's step, if one was raised). */
export interface PassStep<C extends JsonContent = JsonContent> extends StepBase {
  kind: 'pass';
  next: Next<C>;
  /** Audit action of the move to `next`. */
  auditAction: string;
}

/** A long-lived state: periodic review tasks until an event or an "obsolete" action ends it. */
export interface HoldStep extends StepBase {
  kind: 'hold';
  periodicReview?: { every: keyof ProcessTiming; role: string; title: string };
  /** Where an "obsolete" action (with reason) leads, and who may take it. */
  obsolete?: { to: string; roles: readonly string[] };
}

export interface FinalStep {
  kind: 'final';
  title: string;
  label?: string;
  /** Named effects run when the process ends here (after the process's own `onExit`). */
  onEnter?: readonly string[];
  /** A closed record gets its sealed PDF; a cancelled one keeps only its audit trail. */
  sealRecord: boolean;
}

export type StepDefinition<C extends JsonContent = JsonContent> =
  AuthorStep<C> | SignOffStep<C> | TaskStep<C> | WaitStep<C> | PassStep<C> | HoldStep | FinalStep;

/** A process's declaration, typed by its content `C` (the record's JSON content). */
export interface ProcessDefinition<C extends JsonContent = JsonContent> {
  type: ProcessType;
  /** The process's name as a person reads it ("Change control"); unset: the type, humanised. */
  label?: string;
  /**
   * Names of content fields where the humanised key is not enough, by dotted path without array
   * indices ("impact.riskLevel"): two fields that would read alike are told apart.
   */
  fieldLabels?: Readonly<Record<string, string>>;
  /** Record number prefix: CC-2026-0001. */
  prefix: string;
  initial: string;
  steps: Record<string, StepDefinition<C>>;
  /** Named effects run whenever the process ends, by any final step (cancellation included). */
  onExit?: readonly string[];
  /** Besides the author, these roles may cancel the process (with a reason). */
  cancelRoles: readonly string[];
  /** Besides the author, these roles may amend the content in an amendable step. */
  amendRoles?: readonly string[];
  /**
   * Started as a child of another process, this process counts as done for its parent once it
   * reaches one of these states (closed, say), though it may go on in a long-lived hold.
   */
  doneForParent: readonly string[];
}

export function stepOf(definition: ProcessDefinition, status: string): StepDefinition {
  const step = definition.steps[status];
  if (!step) throw new Error(`Process ${definition.type} has no step "${status}"`);
  return step;
}
