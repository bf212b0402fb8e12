// The API's request schemas of a CAPA: creation, the fields its author steps submit, amendment.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Trimmed } from '../../api/common/trimmed';
import { AmendBaseDto, RecordTextFieldsDto } from '../../api/processes/process-actions.dto';
import { CreateChangeControlDto } from '../change-control/change-control.schemas';
import { PlannedTaskDto } from '../shared/planned-task.schemas';
import { CAPA_SOURCES } from './capa.process';

export class CapaSourceDto {
  @ApiProperty({ enum: CAPA_SOURCES })
  @IsIn(CAPA_SOURCES)
  kind!: (typeof CAPA_SOURCES)[number];

  @ApiProperty({ example: 'NCMR-2026-0042', description: 'The source record number or a free reference (complaint id, audit report)' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reference!: string;
}

export class CreateCapaDto {
  @ApiProperty({ example: 'Seal leaks on housing 4711' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ description: 'The problem as observed' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description!: string;

  @ApiProperty({ type: CapaSourceDto })
  @ValidateNested()
  @Type(() => CapaSourceDto)
  source!: CapaSourceDto;
}

export class InvestigationDto {
  @ApiProperty()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  rootCause!: string;

  @ApiProperty({ example: '5 Whys' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  method!: string;
}

export class CapaActionDto extends PlannedTaskDto {
  @ApiPropertyOptional({ type: CreateChangeControlDto, description: 'When set, the action starts this change control when the plan is carried out' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateChangeControlDto)
  changeControl?: CreateChangeControlDto;
}

/** Fields of the investigation step (and of amendments). */
export class CapaFieldsDto extends RecordTextFieldsDto {
  @ApiPropertyOptional({ type: InvestigationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => InvestigationDto)
  investigation?: InvestigationDto;

  @ApiPropertyOptional({ type: [CapaActionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CapaActionDto)
  actions?: CapaActionDto[];
}

export class AmendCapaDto extends AmendBaseDto {
  @ApiProperty({ type: CapaFieldsDto })
  @ValidateNested()
  @Type(() => CapaFieldsDto)
  changes!: CapaFieldsDto;
}
