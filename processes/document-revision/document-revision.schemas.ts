// The API's request schemas of a document revision: creation, the draft's fields, amendment.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Trimmed } from '../../api/common/trimmed';
import { DOCUMENT_NUMBER } from '../../api/documents/documents.dto';
import { AmendBaseDto } from '../../api/processes/process-actions.dto';

export class CreateDocumentRevisionDto {
  @ApiProperty({ example: 'SOP-QA-007' })
  @Matches(DOCUMENT_NUMBER)
  documentNumber!: string;

  @ApiProperty({ description: 'What changes in this revision, and why' })
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  changeSummary!: string;
}

/** Fields of the draft step (and of amendments). */
export class DocumentRevisionFieldsDto {
  @ApiPropertyOptional({ description: 'SHA-256 of a file uploaded with POST /api/documents/files' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  fileSha256?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 date-time from which the revision is effective (after approval)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveDate?: string;

  @ApiPropertyOptional({ type: [String], description: 'Roles that review the revision (one reviewer each); QA when empty' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  reviewerRoles?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Roles whose members are assigned training on the revision' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  trainingRoles?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  changeSummary?: string;
}

export class AmendDocumentRevisionDto extends AmendBaseDto {
  @ApiProperty({ type: DocumentRevisionFieldsDto })
  @ValidateNested()
  @Type(() => DocumentRevisionFieldsDto)
  changes!: DocumentRevisionFieldsDto;
}
