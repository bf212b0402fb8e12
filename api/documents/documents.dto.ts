import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trimmed } from '../common/trimmed';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DOCUMENT_TYPES, type DocumentType } from '../../db/schema';

/** Document numbers are chosen by people (SOP-QA-007): upper-case letters, digits and dashes. */
export const DOCUMENT_NUMBER = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

export class RegisterDocumentDto {
  @ApiProperty({ example: 'SOP-QA-007', pattern: DOCUMENT_NUMBER.source })
  @Matches(DOCUMENT_NUMBER, { message: 'number must be 2–40 characters: upper-case letters, digits and dashes, not starting with a dash' })
  number!: string;

  @ApiProperty({ example: 'Change control procedure' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ enum: DOCUMENT_TYPES })
  @IsIn(DOCUMENT_TYPES)
  docType!: DocumentType;

  @ApiProperty({ example: 'qa', description: 'The person responsible for the document' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  ownerUsername!: string;
}

/** A file name safe to store and to hand back in Content-Disposition: no paths, quotes or control characters. */
const FILE_NAME = /^(?!\.)[^\\/:*?"<>|\p{Cc}]{1,255}$/u;

export class UploadDocumentFileQuery {
  @ApiProperty({ example: 'SOP-QA-007 rev 2.pdf' })
  @Matches(FILE_NAME, { message: 'fileName must be 1–255 characters without path separators, quotes or control characters, not starting with a dot' })
  fileName!: string;
}

export class DocumentFileQuery {
  @ApiPropertyOptional({ description: 'A revision number; without it, the effective revision' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  revision?: number;
}
