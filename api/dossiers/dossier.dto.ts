import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trimmed } from '../common/trimmed';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDateString, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested, IsDefined } from 'class-validator';

const RECORD_NUMBER = /^[A-Z]{2,5}-\d{4}-\d{4,}$/;

/** Exactly one way of choosing records. */
export class DossierSelectionDto {
  @ApiPropertyOptional({ example: ['CC-2026-0001', 'CC-2026-0002'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(RECORD_NUMBER, { each: true })
  numbers?: string[];

  @ApiPropertyOptional({ description: 'This record and everything linked to it', example: 'CC-2026-0001' })
  @IsOptional()
  @Matches(RECORD_NUMBER)
  recordAndLinked?: string;

  @ApiPropertyOptional({ description: 'Record type, with from/to (creation date range)', example: 'change_control' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  type?: string;

  @ApiPropertyOptional() @IsOptional() @IsDateString() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsDateString() to?: string;

  @ApiPropertyOptional({
    description:
      'Lot number: the records that changed the status of this lot or of any lot in its genealogy (what went into it, where it went), ' +
      'such as nonconformance reports. Lot numbers are unique per item: give `item` when two items have a lot with this number.',
    example: 'L-2026-0815',
  })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lot?: string;

  @ApiPropertyOptional({ description: "With `lot`: the part number of the lot's item", example: 'CMP-HOUSING' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  item?: string;
}

export class CreateDossierDto {
  @ApiProperty({ example: 'FDA inspection 2026-12: change controls' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ type: DossierSelectionDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => DossierSelectionDto)
  selection!: DossierSelectionDto;
}
