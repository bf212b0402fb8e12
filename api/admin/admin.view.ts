import { ApiProperty } from '@nestjs/swagger';
import { PersonView, RESET_FACTOR_NAMES } from '../auth/auth.view';
import type { ResetFactor } from '../auth/session-state';

const dateTime = { type: String, format: 'date-time' } as const;

export class AdminUserView extends PersonView {
  @ApiProperty(dateTime) createdAt!: string;
}

/** A new account, with the one-time password shown once to the administrator to hand over. */
export class CreatedUserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() printedName!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ description: 'Shown once; the person changes it at first sign-in' }) oneTimePassword!: string;
}

export class ResetCompletionView {
  @ApiProperty({ enum: RESET_FACTOR_NAMES, isArray: true, description: 'What the person can complete the reset with' }) factors!: ResetFactor[];
  @ApiProperty() secondAdministratorNeeded!: boolean;
}

export class PasswordResetView {
  @ApiProperty({ description: 'Shown once; it only lets the person complete the reset' }) oneTimePassword!: string;
  @ApiProperty({ format: 'uuid' }) resetId!: string;
  @ApiProperty({ type: ResetCompletionView }) completion!: ResetCompletionView;
}

export class ResetApprovalView {
  @ApiProperty({ format: 'uuid' }) resetId!: string;
  @ApiProperty({ format: 'uuid' }) approvedBy!: string;
  @ApiProperty(dateTime) approvedAt!: string;
}

export class SessionsEndedView {
  @ApiProperty() sessionsEnded!: number;
}

/** The password and lockout policy in force (version 0: the default, never set). */
export class PasswordPolicyView {
  @ApiProperty() minLength!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: passwords do not expire' }) maxAgeDays!: number | null;
  @ApiProperty() historyCount!: number;
  @ApiProperty() lockoutThreshold!: number;
  @ApiProperty({ type: [String] }) requireTotpForRoles!: string[];
  @ApiProperty() version!: number;
}

export class TrainingRequirementView {
  @ApiProperty() process!: string;
  @ApiProperty() step!: string;
  @ApiProperty() documentNumber!: string;
  @ApiProperty() title!: string;
}

/** A meaning a signer can give a signature (11.50), and whether it may still be given. */
export class SignatureMeaningView {
  @ApiProperty({ example: 'approval' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'false: kept for the signatures that carry it, not offered any more' }) active!: boolean;
}

/** One training of a person on a controlled document (append-only: a retraining is a new record). */
export class TrainingRecordView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() documentNumber!: string;
  @ApiProperty() revision!: number;
  @ApiProperty(dateTime) trainedAt!: string;
  @ApiProperty({ ...dateTime, nullable: true }) expiresAt!: string | null;
  @ApiProperty(dateTime) recordedAt!: string;
  @ApiProperty() reason!: string;
}

export class CreatedIdView {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class AlertView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'account_locked' }) kind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) userId!: string | null;
  @ApiProperty() message!: string;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty({ ...dateTime, nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) acknowledgedBy!: string | null;
}

export class AuditChainBreakView {
  @ApiProperty({ enum: ['missing', 'prev_hash_mismatch', 'hash_mismatch'] }) kind!: 'missing' | 'prev_hash_mismatch' | 'hash_mismatch';
  @ApiProperty({ required: false }) seq?: number;
  @ApiProperty({ required: false }) expectedSeq?: number;
  @ApiProperty({ required: false }) foundSeq?: number;
}

export class CheckpointMatchView {
  @ApiProperty({ example: 'DATA_DIR/audit-checkpoints' }) source!: string;
  @ApiProperty({ type: Number, nullable: true }) seq!: number | null;
  @ApiProperty({ ...dateTime, nullable: true }) checkpointedAt!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) matched!: boolean | null;
}

/** The audit trail's hash chain walked, against the latest signed checkpoints (11.10(a), (e)). */
export class AuditVerificationView {
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() lastSeq!: number;
  @ApiProperty() intact!: boolean;
  @ApiProperty({ type: AuditChainBreakView, nullable: true }) firstBreak!: AuditChainBreakView | null;
  @ApiProperty({ type: [String] }) problems!: string[];
  @ApiProperty({ type: [String] }) warnings!: string[];
  @ApiProperty({ type: [CheckpointMatchView] }) checkpoints!: CheckpointMatchView[];
  @ApiProperty() description!: string;
}
