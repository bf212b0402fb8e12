import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trimmed } from '../common/trimmed';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { CAPA_SOURCES } from '../../workflows/processes/capa.process';
import { CreateChangeControlDto, PlannedTaskDto } from './change-control.dto';
import { AmendBaseDto, RecordTextFieldsDto } from './process-actions.dto';

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
