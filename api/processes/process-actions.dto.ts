import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trimmed } from '../common/trimmed';
import { IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';

class SignatureRequestBase {
  @ApiProperty({ description: 'A UUID chosen by the client; repeating it never signs twice' })
  @IsUUID()
  signatureId!: string;

  @ApiProperty({ description: 'The signer re-enters the password (21 CFR 11.200)' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  password!: string;

  @ApiPropertyOptional({ description: 'Required on the first signature of a session (21 CFR 11.200(a)(1)(i))' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;

  @ApiProperty({ description: 'The record version the signer reviewed' })
  @IsInt()
  @Min(1)
  recordVersion!: number;

  @ApiProperty({ description: "SHA-256 of that version's canonical content, as shown; a stale one is refused" })
  @Matches(/^[0-9a-f]{64}$/)
  contentHash!: string;
}

export class SignStepDto extends SignatureRequestBase {
  @ApiProperty({ description: "The meaning of the signature; must be the current step's meaning (see allowedActions)", example: 'approved' })
  @IsString()
  @MaxLength(100)
  meaning!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class RejectStepDto extends SignatureRequestBase {
  @ApiProperty({ description: 'Why the step is refused; shown to the author and kept in the audit trail' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;
}

export class ReasonDto {
  @ApiProperty({ description: 'Why; kept in the audit trail' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;
}

export class CompleteTaskDto {
  @ApiPropertyOptional({ description: 'What was done; kept in the audit trail' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;
}

/** What every amendment carries besides the changed fields (each process adds its `changes`). */
export class AmendBaseDto {
  @ApiProperty({ description: 'Why the content changes (a new version; signatures of the current step on the old version no longer count)' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;

  @ApiProperty({ description: 'The version being amended; a stale one is refused' })
  @IsInt()
  @Min(1)
  baseVersion!: number;
}

/** Title and description: every process's author steps and amendments may change them. */
export class RecordTextFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description?: string;
}
