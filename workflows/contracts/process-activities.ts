// The activities the process workflows call (persistence of every transition, one transaction
// each, idempotent by the id the workflow chose). Workflows import this with `import type` only.
import type { SignedManifest } from './common';
import type { ActorContext, JsonContent, ProcessTask, ProcessType } from './process-contracts';

/** Who may take the action, checked against the database where it is written. */
export interface Eligibility {
  userIds?: string[];
  roles?: string[];
}

export interface VersionResult {
  version: number;
  contentHash: string;
}

export interface CreatedProcessRecord extends VersionResult {
  number: string;
  authorId: string;
  /** The content as stored (activities may complete it, e.g. a document revision's number). */
  content: JsonContent;
}

export interface TransitionSpec {
  transitionId: string;
  from: string;
  to: string;
  /** Audit action of the transition, e.g. record.submitted. */
  auditAction: string;
  reason: string | null;
  /** Tasks the transition opens (ids chosen by the workflow). */
  openTasks: ProcessTask[];
}

export interface ProcessActivities {
  createProcessRecord(input: {
    type: ProcessType;
    prefix: string;
    recordId: string;
    workflowId: string;
    content: JsonContent;
    context: ActorContext;
    parent: { recordId: string; relation: string } | null;
    initialStatus: string;
    openTasks: ProcessTask[];
  }): Promise<CreatedProcessRecord>;

  /** A step change by a person or by the process itself (context null), optionally with new content. */
  transitionProcess(input: {
    recordId: string;
    context: ActorContext | null;
    eligible: Eligibility | null;
    newContent: { content: JsonContent; reason: string } | null;
    closeTaskIds: string[];
    closeOutcome: 'completed' | 'cancelled';
    transition: TransitionSpec;
  }): Promise<VersionResult>;

  /** One e-signature of a sign-off step, and the step change when it completes the quorum or rejects. */
  signProcessStep(input: {
    recordId: string;
    signatureId: string;
    step: string;
    role: string;
    meaning: string;
    reason: string | null;
    authorMayNotSign: boolean;
    signed: SignedManifest;
    context: ActorContext;
    closeTaskIds: string[];
    transition: (TransitionSpec & { closeTaskIds: string[] }) | null;
  }): Promise<VersionResult>;

  /** New content with a reason: a new version; signatures of the current step on the old one no longer count. */
  amendProcessRecord(input: {
    recordId: string;
    amendmentId: string;
    baseVersion: number;
    content: JsonContent;
    reason: string;
    context: ActorContext;
    invalidatedSignatureIds: string[];
    reopenTasks: ProcessTask[];
  }): Promise<VersionResult>;

  completeProcessTask(input: {
    recordId: string;
    taskId: string;
    note: string | null;
    context: ActorContext;
    closeTaskIds: string[];
    transition: TransitionSpec | null;
  }): Promise<void>;

  /** A reminder before the due date, or an escalation after it (opening a follow-up task). */
  noteOverdueTask(input: { recordId: string; task: ProcessTask; level: 'reminder' | 'escalation'; followUp: ProcessTask | null }): Promise<void>;

  /** Opens a task outside a step change (a periodic review). */
  openProcessTask(input: { recordId: string; task: ProcessTask; auditAction: string }): Promise<void>;
}
