// The API's request schemas of a nonconformance report (NCMR): creation (the lots and what is wrong
// with them), the fields its author steps submit (the MRB's dispositions, a CAPA to open), amendment.
// The lots are named once, at creation: they go on hold then, so no later request may change them.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { referenceTo } from '../../api/common/references';
import { Trimmed } from '../../api/common/trimmed';
import { Quantity } from '../../api/material/material.dto';
import { AmendBaseDto, RecordTextFieldsDto } from '../../api/processes/process-actions.dto';
import { DETECTION_POINTS, DISPOSITION_DECISIONS, type DetectionPoint, type DispositionDecision } from './ncmr.process';

/** At most this many lots on one report. */
export const NCMR_MAX_LOTS = 50;

export class NcmrLotDto {
  @ApiProperty({ ...referenceTo('lot'), description: 'The lot (GET /api/lots)' })
  @IsUUID()
  lotId!: string;

  @ApiProperty({ example: 40, description: "How much of the lot is nonconforming, in the item's unit" })
  @Quantity()
  nonconformingQuantity!: number;
}

class NcmrTextDto {
  @ApiProperty({ example: 'Burrs on the sealing face of housing 4711' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ description: 'The nonconformance as observed' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description!: string;
}

export class CreateNcmrDto extends NcmrTextDto {
  @ApiProperty({ enum: DETECTION_POINTS })
  @IsIn(DETECTION_POINTS)
  detectionPoint!: DetectionPoint;

  @ApiProperty({ example: 'DIM-01', description: 'An active code of the managed list (GET /api/defect-codes)' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  defectCode!: string;

  @ApiProperty({ type: [NcmrLotDto], description: 'The lots affected; each goes on hold at once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(NCMR_MAX_LOTS)
  @ValidateNested({ each: true })
  @Type(() => NcmrLotDto)
  lots!: NcmrLotDto[];
}

export class NcmrDispositionDto {
  @ApiProperty({ ...referenceTo('lot'), description: "One of the report's lots" })
  @IsUUID()
  lotId!: string;

  @ApiProperty({ enum: DISPOSITION_DECISIONS })
  @IsIn(DISPOSITION_DECISIONS)
  decision!: DispositionDecision;

  @ApiPropertyOptional({ description: 'Use as is: why the material is fit for use' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  justification?: string;

  @ApiPropertyOptional({ description: 'Rework: what is to be done' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reworkInstructions?: string;

  @ApiPropertyOptional({ example: 'production', description: 'Rework: username of the person who does it' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  reworkOwnerUsername?: string;

  @ApiPropertyOptional({ description: 'Rework: ISO 8601 date-time it is due' })
  @IsOptional()
  @IsISO8601({ strict: true })
  reworkDueAt?: string;

  @ApiPropertyOptional({ example: 'RMA-88213', description: "Return to supplier: the supplier's return authorisation" })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  rmaNumber?: string;

  @ApiPropertyOptional({ example: 40, description: 'Scrap: how much is scrapped' })
  @IsOptional()
  @Quantity()
  scrapQuantity?: number;
}

export class NcmrCapaRequestDto extends NcmrTextDto {}

/** Fields of the author steps (the MRB's review) and of amendments; the lots are not among them. */
export class NcmrFieldsDto extends RecordTextFieldsDto {
  @ApiPropertyOptional({ enum: DETECTION_POINTS })
  @IsOptional()
  @IsIn(DETECTION_POINTS)
  detectionPoint?: DetectionPoint;

  @ApiPropertyOptional({ description: 'An active code of the managed list' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  defectCode?: string;

  @ApiPropertyOptional({ type: [NcmrDispositionDto], description: 'MRB review: one disposition per lot' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NCMR_MAX_LOTS)
  @ValidateNested({ each: true })
  @Type(() => NcmrDispositionDto)
  dispositions?: NcmrDispositionDto[];

  @ApiPropertyOptional({ type: NcmrCapaRequestDto, description: 'MRB review: a CAPA to open (started, linked, when the NCMR closes)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NcmrCapaRequestDto)
  capa?: NcmrCapaRequestDto;
}

export class AmendNcmrDto extends AmendBaseDto {
  @ApiProperty({ type: NcmrFieldsDto })
  @ValidateNested()
  @Type(() => NcmrFieldsDto)
  changes!: NcmrFieldsDto;
}
