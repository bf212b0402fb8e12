import { ApiProperty } from '@nestjs/swagger';

const jsonValue = { type: 'object', additionalProperties: true, nullable: true, description: 'The fields as they were or became (null when none)' } as const;

/** One audit trail event (11.10(e)) with its place in the hash chain. */
export class AuditEventView {
  @ApiProperty() seq!: number;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty() actorName!: string;
  @ApiProperty({ example: 'record.created' }) action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) recordId!: string | null;
  @ApiProperty(jsonValue) oldValue!: unknown;
  @ApiProperty(jsonValue) newValue!: unknown;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) clientIp!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) prevHash!: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash!: string;
}

export class PdfCheckView {
  @ApiProperty() check!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty() detail!: string;
}

/** The audit checkpoint a controlled PDF carries, sealed by the organisation. */
export class AuditCheckpointView {
  @ApiProperty() type!: string;
  @ApiProperty({ enum: [1] }) version!: 1;
  @ApiProperty() organisation!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) hash!: string;
  @ApiProperty({ type: String, format: 'date-time' }) checkpointedAt!: string;
}

/** `attestflow verify <file.pdf>`'s checks over an uploaded PDF. */
export class PdfVerificationView {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: [PdfCheckView] }) checks!: PdfCheckView[];
  @ApiProperty({ type: AuditCheckpointView, required: false, description: 'When the file carries a validly sealed audit checkpoint' })
  auditCheckpoint?: AuditCheckpointView;
  @ApiProperty({ description: 'The checks and the verdict as text' }) verdict!: string;
}
