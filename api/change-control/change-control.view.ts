import type { RecordRow, RecordTransitionRow, RecordVersionRow, SignatureRow, TaskRow } from '../../db/schema';

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
}

export interface ChangeControlView {
  id: string;
  number: string;
  status: string;
  version: number;
  contentHash: string;
  content: unknown;
  createdBy: string;
  createdAt: string;
  history: { from: string | null; to: string; at: string; actorId: string; reason: string | null }[];
  signatures: SignatureView[];
  openTasks: { id: string; step: string; action: string; title: string; assigneeRole: string | null; assigneeUserId: string | null }[];
}

export function toSignatureView(s: SignatureRow): SignatureView {
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
  };
}

export function toChangeControlView(
  record: RecordRow,
  version: RecordVersionRow,
  transitions: RecordTransitionRow[],
  signatures: SignatureRow[],
  openTasks: TaskRow[],
): ChangeControlView {
  return {
    id: record.id,
    number: record.number,
    status: transitions.at(-1)?.toStatus ?? 'draft',
    version: version.version,
    contentHash: version.contentHash,
    content: version.content,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    history: transitions.map((t) => ({ from: t.fromStatus, to: t.toStatus, at: t.occurredAt.toISOString(), actorId: t.actorId, reason: t.reason })),
    signatures: signatures.map(toSignatureView),
    openTasks: openTasks.map((t) => ({
      id: t.id,
      step: t.step,
      action: t.action,
      title: t.title,
      assigneeRole: t.assigneeRole,
      assigneeUserId: t.assigneeUserId,
    })),
  };
}
