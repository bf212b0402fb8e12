// The activities the change-control workflow calls. Workflows import this with `import type` only.
import type { ChangeControlContent, ChangeControlStatus, RequestContext, SignedManifest } from '../workflows/contracts';

export interface CreatedRecord {
  recordId: string;
  number: string;
  version: number;
  contentHash: string;
  authorId: string;
}

export interface TransitionResult {
  status: ChangeControlStatus;
  version: number;
  contentHash: string;
}

export interface ChangeControlActivities {
  createChangeControlRecord(input: { recordId: string; workflowId: string; content: ChangeControlContent; context: RequestContext }): Promise<CreatedRecord>;
  submitChangeControl(input: { recordId: string; transitionId: string; round: number; context: RequestContext }): Promise<TransitionResult>;
  decideQaApproval(input: {
    recordId: string;
    transitionId: string;
    signatureId: string;
    outcome: 'approved' | 'rejected';
    reason: string | null;
    signed: SignedManifest;
    context: RequestContext;
  }): Promise<TransitionResult>;
}
