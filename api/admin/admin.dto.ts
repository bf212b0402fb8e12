import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trimmed } from '../common/trimmed';
import { Type } from 'class-transformer';
import {
  IsDefined,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ROLES } from '../../db/seed-demo';

const ROLE_NAMES = ROLES.map((r) => r.name);

/** Every administrative change states why (Annex 11 §12). */
export class AdminReasonDto {
  @ApiProperty({ description: 'Why this change is made; kept in the audit trail' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(4000)
  reason!: string;
}

export class CreateUserDto extends AdminReasonDto {
  @ApiProperty({ example: 'jdoe' })
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'username must be 2–64 characters: lower-case letters, digits, dot, dash or underscore' })
  username!: string;

  @ApiProperty({ example: 'Jane Doe', description: 'Shown in every signature manifestation (11.50)' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  printedName!: string;

  @ApiProperty({ enum: ROLE_NAMES, isArray: true })
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(ROLE_NAMES, { each: true })
  roles!: string[];
}

export class SetRolesDto extends AdminReasonDto {
  @ApiProperty({ enum: ROLE_NAMES, isArray: true })
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(ROLE_NAMES, { each: true })
  roles!: string[];
}

export class PasswordPolicyDto {
  @ApiProperty() @IsInt() @Min(8) @Max(128) minLength!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: passwords do not expire' }) @IsOptional() @IsInt() @Min(1) @Max(3650) maxAgeDays!:
    number | null;
  @ApiProperty() @IsInt() @Min(0) @Max(24) historyCount!: number;
  @ApiProperty() @IsInt() @Min(3) @Max(20) lockoutThreshold!: number;
  @ApiProperty({ isArray: true, enum: ROLE_NAMES }) @IsArray() @IsIn(ROLE_NAMES, { each: true }) requireTotpForRoles!: string[];
}

export class SetPasswordPolicyDto extends AdminReasonDto {
  @ApiProperty({ type: PasswordPolicyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PasswordPolicyDto)
  policy!: PasswordPolicyDto;
}

export class TrainingRequirementDto extends AdminReasonDto {
  @ApiProperty({ example: 'change_control' }) @IsString() @MaxLength(100) process!: string;
  @ApiProperty({ example: 'qa_approval' }) @IsString() @MaxLength(100) step!: string;
  @ApiProperty({ example: 'SOP-QA-007' }) @IsString() @MaxLength(100) documentNumber!: string;
  @ApiProperty({ example: 'Change control procedure' }) @IsString() @MaxLength(500) title!: string;
}

export class TrainingRecordDto extends AdminReasonDto {
  @ApiProperty() @Matches(/^[0-9a-f-]{36}$/) userId!: string;
  @ApiProperty({ example: 'SOP-QA-007' }) @IsString() @MaxLength(100) documentNumber!: string;
  @ApiProperty() @IsInt() @Min(1) revision!: number;
  @ApiProperty() @IsDateString() trainedAt!: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString() expiresAt?: string;
}

export class SignatureMeaningDto extends AdminReasonDto {
  @ApiProperty({ example: 'witnessed' }) @Matches(/^[a-z][a-z_]{1,39}$/) name!: string;
  @ApiProperty() @IsString() @MaxLength(500) description!: string;
  @ApiProperty() @IsBoolean() active!: boolean;
}
