import type { RecordRow, RecordTransitionRow, RecordVersionRow, SignatureRow, TaskRow } from '../../db/schema';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AllowedAction, ProcessActionName } from '../../workflows/contracts/process-contracts';
import { processLabels } from '../../processes/labels';

const dateTime = { type: String, format: 'date-time' } as const;

/** Every action a process offers (a Record, so that a new action cannot be left out). */
const PROCESS_ACTIONS: Record<ProcessActionName, true> = {
  submit: true,
  sign: true,
  reject: true,
  amend: true,
  cancel: true,
  complete_task: true,
  obsolete: true,
};
const PROCESS_ACTION_NAMES = Object.keys(PROCESS_ACTIONS);

export class SignatureInvalidationView {
  @ApiProperty() byVersion!: number;
  @ApiProperty() reason!: string;
  @ApiProperty(dateTime) at!: string;
}

/** The signature manifestation (11.50): who, when (UTC), what it means, bound to which version. */
export class SignatureView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() printedName!: string;
  @ApiProperty(dateTime) signedAt!: string;
  @ApiProperty({ example: 'approved' }) meaning!: string;
  @ApiProperty() step!: string;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty() recordVersion!: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) contentHash!: string;
  @ApiProperty({ description: 'Printed name — meaning — date and time (UTC), as on every human-readable form' }) manifestation!: string;
  @ApiProperty({
    type: SignatureInvalidationView,
    nullable: true,
    description: 'Set when an amendment made this signature stale within its step (it no longer counts)',
  })
  invalidated!: SignatureInvalidationView | null;
}

export class RecordTransitionView {
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty(dateTime) at!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class RecordTaskView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() step!: string;
  @ApiProperty() action!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) assigneeRole!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeUserId!: string | null;
  @ApiProperty({ ...dateTime, nullable: true }) dueAt!: string | null;
}

export class RecordLinkView {
  @ApiProperty() relation!: string;
  @ApiProperty({ enum: ['to', 'from'] }) direction!: 'to' | 'from';
  @ApiProperty({ format: 'uuid' }) recordId!: string;
  @ApiProperty() number!: string;
  @ApiProperty() type!: string;
}

export class AllowedActionView implements AllowedAction {
  @ApiProperty({ enum: PROCESS_ACTION_NAMES }) action!: ProcessActionName;
  @ApiProperty() step!: string;
  @ApiPropertyOptional({ description: 'The meaning a signature in this step carries (sign and reject)' }) meaning?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'complete_task: which task' }) taskId?: string;
  @ApiPropertyOptional({ description: "The quorum slot the caller's signature would fill" }) role?: string;
  @ApiPropertyOptional({ description: 'sign and reject: the sign-off outcome this signature chooses (its meaning is `meaning`)' }) outcome?: string;
}

export class QuorumSlotView {
  @ApiProperty() role!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) signedBy!: string | null;
}

export class ProcessRecordView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'change_control' }) type!: string;
  @ApiProperty({ example: 'CC-2026-0001' }) number!: string;
  @ApiProperty() status!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) contentHash!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The version's content, as the process declares it" }) content!: unknown;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty({ type: [RecordTransitionView] }) history!: RecordTransitionView[];
  @ApiProperty({ type: [SignatureView] }) signatures!: SignatureView[];
  @ApiProperty({ type: [RecordTaskView] }) openTasks!: RecordTaskView[];
  @ApiProperty({ type: [RecordLinkView] }) links!: RecordLinkView[];
  /** From the live process (null when it cannot be reached): what the reader may do now, and the quorum. */
  @ApiProperty({ type: [AllowedActionView], nullable: true, description: 'What the reader may do now (null when the process cannot be reached)' })
  allowedActions!: AllowedActionView[] | null;
  @ApiProperty({ type: [QuorumSlotView], nullable: true }) quorum!: QuorumSlotView[] | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'The process\u2019s own names for content fields whose key alone reads ambiguously, by dotted path without array indices ("impact.riskLevel": "Risk level (impact assessment)")',
  })
  fieldLabels!: Record<string, string>;
}

/** The answer to a signature or a refusal: the signature and the record after it. */
export class SignedRecordView {
  @ApiProperty({ type: SignatureView }) signature!: SignatureView;
  @ApiProperty({ type: ProcessRecordView }) record!: ProcessRecordView;
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
    fieldLabels: processLabels(record.type).fields,
  };
}
