// The contract between the API and the process workflows (change control, document revision,
// CAPA): Updates, the Query, and the value types they carry. Free of workflow internals and of
// Node APIs, so the API imports it as is.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RequestContext, SignedManifest } from './common';

export const PROCESS_WORKFLOWS = {
  change_control: 'changeControlProcess',
  document_revision: 'documentRevision',
  capa: 'capa',
  ncmr: 'ncmr',
} as const;
export type ProcessType = keyof typeof PROCESS_WORKFLOWS;
export const processWorkflowId = (recordId: string) => `process/${recordId}`;
export const isProcessWorkflowId = (workflowId: string) => workflowId.startsWith('process/');

/** Who acts, with the roles the API saw; activities check both again against the database. */
export interface ActorContext extends RequestContext {
  actorRoles: string[];
}

/**
 * Durations of a process's durable timers (Temporal duration strings such as "10 days" or "2s"),
 * from configuration so that tests can run in seconds what runs in days in a plant.
 */
export interface ProcessTiming {
  /** Due date of a task that does not name one (sign-offs, author steps). */
  taskDue: string;
  /** A reminder goes to the assignee this long before the due date. */
  reminderLead: string;
  /** After the due date the manager role is asked to follow up; after this much more, QA. */
  escalationInterval: string;
  /** CAPA: how long after implementation the effectiveness check opens. */
  effectivenessWait: string;
  /** Document revisions: how long after becoming effective a periodic review is due. */
  periodicReview: string;
}

export type JsonContent = { [key: string]: unknown };

export interface ProcessInput {
  recordId: string;
  content: JsonContent;
  context: ActorContext;
  timing: ProcessTiming;
  /** Set when another process started this one (a change control's document revision). */
  parent?: { recordId: string; relation: string };
}

export interface ProcessSignature {
  signatureId: string;
  signerId: string;
  /** The quorum place (a role) this signature fills. */
  role: string;
  step: string;
  meaning: string;
  round: number;
  version: number;
  /** False once an amendment made the signed version stale within its step. */
  valid: boolean;
}

export interface ProcessTask {
  taskId: string;
  step: string;
  action: 'submit' | 'sign' | 'complete' | 'follow_up' | 'review';
  title: string;
  assigneeUserId: string | null;
  assigneeRole: string | null;
  dueAt: string | null;
  /** For sign-off tasks: the quorum place. For implementation tasks: the task's key in the content. */
  place: string | null;
  /** For escalation tasks: the overdue task they chase. */
  escalatesTaskId: string | null;
}

export interface ChildProcess {
  recordId: string;
  type: ProcessType;
  relation: string;
  /** The key its spec gave it (`ChildSpec.key`): a child with this key is not started again. */
  key?: string;
  /** `done`: the child reached the state its declaration names as done for its parent (an effective revision), and goes on. */
  status: 'open' | 'done' | 'closed' | 'cancelled';
}

export interface ProcessState {
  type: ProcessType;
  recordId: string;
  number: string;
  status: string;
  version: number;
  contentHash: string;
  content: JsonContent;
  authorId: string;
  /** Increases each time a step is entered; a signature counts only in the round it was given. */
  round: number;
  signatures: ProcessSignature[];
  openTasks: ProcessTask[];
  children: ProcessChildren;
  final: boolean;
}
export type ProcessChildren = ChildProcess[];

export type ProcessActionName = 'submit' | 'sign' | 'reject' | 'amend' | 'cancel' | 'complete_task' | 'obsolete';

export interface AllowedAction {
  action: ProcessActionName;
  step: string;
  /** The meaning a signature in this step carries (sign and reject). */
  meaning?: string;
  /** complete_task: which task. */
  taskId?: string;
  /** The quorum place the caller's signature would fill. */
  role?: string;
  /** sign and reject: the sign-off outcome this signature chooses. */
  outcome?: string;
}

export interface ProcessView extends ProcessState {
  /** What the caller may do now, derived from the same rules the Updates enforce. */
  allowedActions: AllowedAction[];
  /** The quorum of the current sign-off step: each role and whether it is filled. */
  quorum: { role: string; signedBy: string | null }[];
}

export interface Viewer {
  userId: string;
  roles: string[];
}

export interface SubmitStepRequest {
  /** Fields this step fills in (merged into the content as a new version when given). */
  content?: JsonContent;
  context: ActorContext;
}
export interface SignStepRequest {
  /** The sign-off outcome chosen (reject: always `reject`); unset: the step's first. */
  outcome?: string;
  signatureId: string;
  signed: SignedManifest;
  context: ActorContext;
}
export interface RejectStepRequest extends SignStepRequest {
  reason: string;
}
export interface AmendRequest {
  /** The complete new content. */
  content: JsonContent;
  reason: string;
  /** The version the author amended; a stale one is refused. */
  baseVersion: number;
  context: ActorContext;
}
export interface ReasonRequest {
  reason: string;
  context: ActorContext;
}
export interface CompleteTaskRequest {
  taskId: string;
  note: string | null;
  context: ActorContext;
}

export interface ProcessResult {
  recordId: string;
  number: string;
  status: string;
}

export const processCreatedUpdate = defineUpdate<ProcessState>('processCreated');
export const submitStepUpdate = defineUpdate<ProcessState, [SubmitStepRequest]>('submitStep');
/**
 * What a sign-off Update answers: the state, and (patch `process-sign-off-answers-view`) the view
 * the process Query would give the signer right after it, so the API needs no Query after it.
 */
export type SignOffAnswer = ProcessState | ProcessView;
export const signStepUpdate = defineUpdate<SignOffAnswer, [SignStepRequest]>('signStep');
export const rejectStepUpdate = defineUpdate<SignOffAnswer, [RejectStepRequest]>('rejectStep');
export const amendUpdate = defineUpdate<ProcessState, [AmendRequest]>('amend');
export const cancelUpdate = defineUpdate<ProcessState, [ReasonRequest]>('cancel');
export const completeTaskUpdate = defineUpdate<ProcessState, [CompleteTaskRequest]>('completeTask');
export const obsoleteUpdate = defineUpdate<ProcessState, [ReasonRequest]>('obsolete');
/** From a child process that has done what its parent asked of it (`doneForParent` of its declaration). */
export const childDoneSignal = defineSignal<[{ recordId: string; status: string }]>('childDone');
/** From a child process once its record exists (so the link to its parent does too). */
export const childCreatedSignal = defineSignal<[{ recordId: string }]>('childCreated');
/**
 * patched() ids of changes to running process logic (docs/workflow-versioning.md): executions begun
 * before a change keep the commands they were recorded with.
 */
export const PROCESS_PATCHES = {
  /** Update handlers run one at a time under a mutex (the boolean lock let several through). */
  updateMutex: 'process-update-mutex',
  /** A child process signals its parent when it reaches a `doneForParent` state. */
  childDoneSignal: 'process-child-done-signal',
  /**
   * A child process signals its parent once its record (and the link) exists, and a tasks step that
   * starts children moves on only then: a parent that ends right away is sealed naming its children.
   */
  childCreatedSignal: 'process-child-created-signal',
  /** A tasks step does not start a child whose key (`ChildSpec.key`) the process has started already. */
  childOncePerKey: 'process-child-once-per-key',
  /** The process's one-transaction activities run as local activities (the effects and the closure PDF do not). */
  localTransactions: 'process-local-transactions',
  /**
   * …and scheduled again from 0.4 on: a local activity commits its transaction whether or not the
   * workflow task that ran it completes, so a task that failed under load left a signature in the
   * database that the process never counted, and the Update that made it was rejected.
   */
  scheduledTransactionsAgain: 'process-scheduled-transactions-again',
  /** A sign or reject Update answers with the signer's view (allowed actions, quorum), not the bare state. */
  signOffAnswersView: 'process-sign-off-answers-view',
} as const;
/**
 * An event for this process from another one (an effect's `notify`): a step that names the event in
 * its `events` moves on with it; until then the event stays raised.
 */
export const processEventSignal = defineSignal<[{ event: string; fromRecordId: string }]>('processEvent');
export const processQuery = defineQuery<ProcessView | null, [Viewer | null]>('process');
/** Would this action be refused for this person now? Lets the API answer before a signing ceremony. */
export const actionRefusalQuery = defineQuery<{ code: string; message: string; step?: string } | null, [ProcessActionName, Viewer, string | null]>(
  'actionRefusal',
);

export { RefusalCodes as ProcessRefusalCodes } from './common';
