// The API's request schemas of a change control: creation, the fields its author steps submit, amendment.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Trimmed } from '../../api/common/trimmed';
import { AmendBaseDto, RecordTextFieldsDto } from '../../api/processes/process-actions.dto';
import { ROLES } from '../../db/seed-demo';
import { PlannedTaskDto } from '../shared/planned-task.schemas';

const APPROVER_PREFIX = 'approver_';

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
/** Areas whose owners approve a change: each maps to the role approver_<area>. */
export const AREAS = ROLES.flatMap((role) => (role.name.startsWith(APPROVER_PREFIX) ? [role.name.slice(APPROVER_PREFIX.length)] : []));

export class CreateChangeControlDto {
  @ApiProperty({ example: 'Replace supplier of O-ring 4711' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;

  @ApiProperty()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description!: string;

  @ApiProperty({ description: 'Why the change is needed' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;

  @ApiProperty({ enum: RISK_LEVELS })
  @IsIn(RISK_LEVELS)
  riskLevel!: (typeof RISK_LEVELS)[number];
}

export class ImpactAssessmentDto {
  @ApiProperty({ type: [String], description: 'Numbers of controlled documents to revise; each gets a document revision process' })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,39}$/, { each: true })
  affectedDocuments!: string[];

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  affectedItems!: string[];

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  affectedSuppliers!: string[];

  @ApiProperty({ enum: AREAS, isArray: true, description: 'Each affected area adds its owner (approver_<area>) to the approval quorum' })
  @IsArray()
  @IsIn(AREAS, { each: true })
  affectedAreas!: string[];

  @ApiProperty()
  @IsBoolean()
  validationRequired!: boolean;

  @ApiProperty()
  @IsString()
  @MaxLength(4000)
  validationNotes!: string;

  @ApiProperty({ enum: RISK_LEVELS })
  @IsIn(RISK_LEVELS)
  riskLevel!: (typeof RISK_LEVELS)[number];

  @ApiProperty()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  riskRationale!: string;
}

/** Fields of the impact-assessment step (and of amendments). */
export class ChangeControlFieldsDto extends RecordTextFieldsDto {
  @ApiPropertyOptional({ type: ImpactAssessmentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ImpactAssessmentDto)
  impact?: ImpactAssessmentDto;

  @ApiPropertyOptional({ type: [PlannedTaskDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlannedTaskDto)
  implementationTasks?: PlannedTaskDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason?: string;

  @ApiPropertyOptional({ enum: RISK_LEVELS })
  @IsOptional()
  @IsIn(RISK_LEVELS)
  riskLevel?: (typeof RISK_LEVELS)[number];
}

export class AmendChangeControlDto extends AmendBaseDto {
  @ApiProperty({ type: ChangeControlFieldsDto, description: 'The fields that change; the rest of the content stays' })
  @ValidateNested()
  @Type(() => ChangeControlFieldsDto)
  changes!: ChangeControlFieldsDto;
}
