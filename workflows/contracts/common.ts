// Value types shared by the workflows, their activities and the API: who acts, a signed manifest,
// the refusal codes. The API imports this file; it must stay free of workflow internals and of Node APIs.
import type { SignatureManifest } from '../../signatures/pki/signature-manifest';

/** Where the request came from: recorded with the audit event (11.10(h)). */
export interface RequestContext {
  actorId: string;
  clientIp: string | null;
  userAgent: string | null;
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
