import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AdminReasonDto } from '../admin/admin.dto';
import { Trimmed } from '../common/trimmed';

/** The shape the database allows (migration 0014, `defect_codes_code_shape`). */
export const DEFECT_CODE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;
export const DEFECT_CODE_MESSAGE = 'must be 1–32 capital letters, digits, _ or -, starting with a letter or digit';

export class ListDefectCodesQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'true: retired codes too (to read old records)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeRetired?: 'true' | 'false';
}

/** Adds a code, gives it a new description, or brings a retired code back: each a new version. */
export class DefineDefectCodeDto extends AdminReasonDto {
  @ApiProperty({ example: 'SURF-BURR', pattern: DEFECT_CODE.source })
  @Matches(DEFECT_CODE, { message: `code ${DEFECT_CODE_MESSAGE}` })
  code!: string;

  @ApiProperty({ example: 'Surface: burrs or sharp edges' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  description!: string;
}
