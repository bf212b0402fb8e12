import type { RecordRow, RecordTransitionRow, RecordVersionRow, SignatureRow, TaskRow } from '../../db/schema';
import type { AllowedAction } from '../../workflows/process-contracts';

/** The signature manifestation (11.50): who, when (UTC), what it means, bound to which version. */
export interface SignatureView {
  id: string;
  printedName: string;
  signedAt: string;
  meaning: string;
  step: string;
  comment: string | null;
  recordVersion: number;
  contentHash: string;
  manifestation: string;
  /** Set when an amendment made this signature stale within its step (it no longer counts). */
  invalidated: { byVersion: number; reason: string; at: string } | null;
}

export interface ProcessRecordView {
  id: string;
  type: string;
  number: string;
  status: string;
  version: number;
  contentHash: string;
  content: unknown;
  createdBy: string;
  createdAt: string;
  history: { from: string | null; to: string; at: string; actorId: string | null; reason: string | null }[];
  signatures: SignatureView[];
  openTasks: { id: string; step: string; action: string; title: string; assigneeRole: string | null; assigneeUserId: string | null; dueAt: string | null }[];
  links: { relation: string; direction: 'to' | 'from'; recordId: string; number: string; type: string }[];
  /** From the live process (null when it cannot be reached): what the reader may do now, and the quorum. */
  allowedActions: AllowedAction[] | null;
  quorum: { role: string; signedBy: string | null }[] | null;
}

export interface Invalidation {
  signatureId: string;
  byVersion: number;
  reason: string;
  invalidatedAt: Date;
}

export function toSignatureView(s: SignatureRow, invalidation?: Invalidation): SignatureView {
  const signedAt = s.signedAt.toISOString();
  return {
    id: s.id,
    printedName: s.printedName,
    signedAt,
    meaning: s.meaning,
    step: s.step,
    comment: s.comment,
    recordVersion: s.recordVersion,
    contentHash: s.contentHash,
    manifestation: `${s.printedName} — ${s.meaning} — ${signedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`,
    invalidated: invalidation ? { byVersion: invalidation.byVersion, reason: invalidation.reason, at: invalidation.invalidatedAt.toISOString() } : null,
  };
}

export function toProcessRecordView(input: {
  record: RecordRow;
  version: RecordVersionRow;
  transitions: RecordTransitionRow[];
  signatures: SignatureRow[];
  invalidations: Invalidation[];
  openTasks: TaskRow[];
  links: ProcessRecordView['links'];
  live: { allowedActions: AllowedAction[]; quorum: { role: string; signedBy: string | null }[] } | null;
}): ProcessRecordView {
  const { record, version, transitions } = input;
  const invalidated = new Map(input.invalidations.map((i) => [i.signatureId, i]));
  return {
    id: record.id,
    type: record.type,
    number: record.number,
    status: transitions.at(-1)?.toStatus ?? 'draft',
    version: version.version,
    contentHash: version.contentHash,
    content: version.content,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    history: transitions.map((t) => ({ from: t.fromStatus, to: t.toStatus, at: t.occurredAt.toISOString(), actorId: t.actorId, reason: t.reason })),
    signatures: input.signatures.map((s) => toSignatureView(s, invalidated.get(s.id))),
    openTasks: input.openTasks.map((t) => ({
      id: t.id,
      step: t.step,
      action: t.action,
      title: t.title,
      assigneeRole: t.assigneeRole,
      assigneeUserId: t.assigneeUserId,
      dueAt: t.dueAt?.toISOString() ?? null,
    })),
    links: input.links,
    allowedActions: input.live?.allowedActions ?? null,
    quorum: input.live?.quorum ?? null,
  };
}
