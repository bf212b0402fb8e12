import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { LOT_STATUSES, type LotStatus } from '../../db/schema';
import { TRACE_DIRECTIONS, TRACE_LIMITS, type TraceDirection } from '../../db/material';
import { Trimmed } from '../common/trimmed';
import { ISO_DATE, MATERIAL_CODE, MATERIAL_CODE_MESSAGE, Quantity } from './material.dto';

/** What a person may set by hand: consumed is set by production only. */
export const MANUAL_LOT_STATUSES = LOT_STATUSES.filter((s) => s !== 'consumed');

export class LotFieldsDto {
  @ApiProperty({ example: 'L-2026-0042', pattern: MATERIAL_CODE.source, description: 'Unique per item' })
  @Matches(MATERIAL_CODE, { message: `lotNumber ${MATERIAL_CODE_MESSAGE}` })
  lotNumber!: string;

  @ApiProperty({ example: 500, description: "In the item's unit of measure" })
  @Quantity()
  quantity!: number;

  @ApiPropertyOptional({ example: 'pcs', description: "The item's unit of measure (another unit is refused: unit_mismatch)" })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  unit?: string;

  @ApiPropertyOptional({ example: '2027-06-30', description: 'The lot may not be consumed after this date' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'expiryDate must be a date, YYYY-MM-DD' })
  expiryDate?: string;

  @ApiPropertyOptional({ type: [String], description: 'One per unit, for a serialised item' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(MATERIAL_CODE, { each: true, message: `each serial number ${MATERIAL_CODE_MESSAGE}` })
  serialNumbers?: string[];
}

export class ReceiveLotDto extends LotFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  itemId!: string;

  @ApiProperty({ example: 'Acme Seals GmbH' })
  @Trimmed()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  supplierName!: string;

  @ApiPropertyOptional({ example: 'AS-88123', description: "The supplier's own lot number" })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  supplierLotNumber?: string;
}

export class LotStatusEventDto {
  @ApiProperty({ enum: MANUAL_LOT_STATUSES })
  @IsIn(MANUAL_LOT_STATUSES)
  status!: Exclude<LotStatus, 'consumed'>;

  @ApiProperty({ example: 'Incoming inspection passed (IR-2026-118)' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The regulated record that causes the change (an NCMR, a batch release)' })
  @IsOptional()
  @IsUUID()
  recordId?: string;
}

export class ListLotsQuery {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: 'L-2026',
    description: "Text in the lot number or in the item's part number (case-insensitive, taken literally), as a lot picker searches",
  })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  itemId?: string;

  @ApiPropertyOptional({ enum: LOT_STATUSES })
  @IsOptional()
  @IsIn(LOT_STATUSES)
  status?: LotStatus;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  offset?: number;
}

export class TraceQuery {
  @ApiPropertyOptional({ enum: TRACE_DIRECTIONS, default: 'backward', description: 'backward: what went into the lot; forward: where it went' })
  @IsOptional()
  @IsIn(TRACE_DIRECTIONS)
  direction?: TraceDirection;

  @ApiPropertyOptional({ default: TRACE_LIMITS.defaultDepth, maximum: TRACE_LIMITS.maxDepth, description: 'Production steps to follow' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(TRACE_LIMITS.maxDepth)
  maxDepth?: number;
}
