// The contract between the API and the workflows: task queue, message definitions, value types.
// The API imports this file; it must stay free of workflow internals and of Node APIs.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SignatureManifest } from '../signatures/pki/signature-manifest';

export const CHANGE_CONTROL_WORKFLOW = 'changeControl';
export const changeControlWorkflowId = (recordId: string) => `change-control/${recordId}`;

export type ChangeControlStatus = 'draft' | 'qa_approval' | 'closed';

/** Where the request came from: recorded with the audit event (11.10(h)). */
export interface RequestContext {
  actorId: string;
  clientIp: string | null;
  userAgent: string | null;
}

export interface ChangeControlContent {
  title: string;
  description: string;
  reason: string;
  riskLevel: 'low' | 'medium' | 'high';
}

export interface ChangeControlInput {
  recordId: string;
  content: ChangeControlContent;
  context: RequestContext;
}

export interface SignatureSummary {
  signatureId: string;
  signerId: string;
  step: ChangeControlStatus;
  meaning: string;
  round: number;
}

export interface ChangeControlState {
  recordId: string;
  number: string;
  status: ChangeControlStatus;
  version: number;
  contentHash: string;
  authorId: string;
  /** Increases on every submission; a signature counts only in the round it was given. */
  round: number;
  signatures: SignatureSummary[];
}

export interface SubmitRequest {
  context: RequestContext;
}

/**
 * A signature made by the signer's own key before the Update is sent: the password never enters
 * workflow history, only the manifest and its CMS signature do.
 */
export interface SignedManifest {
  manifest: SignatureManifest;
  /** base64 DER of the detached CMS SignedData over the manifest's canonical JSON. */
  cms: string;
  certificateSerial: string;
}

export interface SignRequest {
  /** Chosen by the signer's client; also the Update id, so a retry cannot sign twice. */
  signatureId: string;
  signed: SignedManifest;
  context: RequestContext;
}

export interface RejectRequest {
  signatureId: string;
  reason: string;
  signed: SignedManifest;
  context: RequestContext;
}

/** Answers once the record exists (used with update-with-start so creation returns its number). */
export const createdUpdate = defineUpdate<ChangeControlState>('created');
export const submitUpdate = defineUpdate<ChangeControlState, [SubmitRequest]>('submit');
export const signUpdate = defineUpdate<ChangeControlState, [SignRequest]>('sign');
export const rejectUpdate = defineUpdate<ChangeControlState, [RejectRequest]>('reject');
export const stateQuery = defineQuery<ChangeControlState | null>('state');

/**
 * Codes carried as the `type` of an ApplicationFailure when a workflow refuses an action. The API
 * maps each to an HTTP status in one place (api/common/app-error.ts).
 */
export const RefusalCodes = {
  stepNotAllowed: 'step_not_allowed',
  alreadySigned: 'already_signed',
  notAuthorised: 'not_authorised',
  selfApproval: 'self_approval',
  staleVersion: 'stale_version',
  userInactive: 'user_inactive',
  trainingRequired: 'training_required',
  incompleteContent: 'incomplete_content',
  childrenOpen: 'children_open',
  taskNotOpen: 'task_not_open',
  unknownDocument: 'unknown_document',
  signatureIdConflict: 'signature_id_conflict',
  /** The signer holds a role that never signs (auditor, administrator). */
  roleMayNotSign: 'role_may_not_sign',
  /** The task owner holds a role that never owns a task (auditor, administrator). */
  roleMayNotOwnTask: 'role_may_not_own_task',
} as const;
export type RefusalCode = (typeof RefusalCodes)[keyof typeof RefusalCodes];
