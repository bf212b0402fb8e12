import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PendingActions, ResetFactor } from './session-state';

const RESET_FACTORS: Record<ResetFactor, true> = { totp: true, recovery_code: true, second_administrator: true };
/** Every factor a password reset can be completed with (declared as the enum of the reset views). */
export const RESET_FACTOR_NAMES = Object.keys(RESET_FACTORS) as ResetFactor[];

export class CredentialResetPendingView {
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ enum: RESET_FACTOR_NAMES, isArray: true, description: 'What completes the reset' }) factors!: ResetFactor[];
  @ApiProperty() approvedBySecondAdministrator!: boolean;
}

/** What the person must do before anything else (the session guard refuses the rest with 403). */
export class PendingActionsView implements PendingActions {
  @ApiProperty() passwordChange!: boolean;
  @ApiProperty() totpEnrolment!: boolean;
  @ApiPropertyOptional({ type: CredentialResetPendingView, description: "An administrator's reset the person has not completed yet" })
  credentialReset?: CredentialResetPendingView;
}

/** A person as the API shows them, to themselves and to administrators. */
export class PersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() printedName!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ example: 'active' }) status!: string;
  @ApiProperty() locked!: boolean;
}

/** The signed-in person. */
export class UserView extends PersonView {
  @ApiProperty({ type: PendingActionsView }) pending!: PendingActionsView;
  @ApiProperty({ type: 'integer', description: 'A session ends after this many seconds without a request (the browser app warns before)' })
  sessionIdleSeconds!: number;
  @ApiProperty({
    description:
      'True until the first signature of this session: the next signature asks for the username as well as the password (21 CFR 11.200(a)(1)(i)); later ones the password only',
  })
  signatureNeedsUsername!: boolean;
}

export class TotpEnrolmentView {
  @ApiProperty({ description: 'Base32 secret for the authenticator app (shown once)' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/Attestflow:qa?secret=…' }) otpauthUri!: string;
}

export class RecoveryCodesView {
  @ApiProperty({ type: [String], description: 'One-time recovery codes (shown once)' }) recoveryCodes!: string[];
}
