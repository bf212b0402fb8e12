import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateChangeControlDto {
  @ApiProperty({ example: 'Replace supplier of O-ring 4711' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description!: string;

  @ApiProperty({ description: 'Why the change is needed' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;

  @ApiProperty({ enum: ['low', 'medium', 'high'] })
  @IsIn(['low', 'medium', 'high'])
  riskLevel!: 'low' | 'medium' | 'high';
}

class SignatureRequestBase {
  @ApiProperty({ description: 'A UUID chosen by the client; repeating it never signs twice' })
  @IsUUID()
  signatureId!: string;

  @ApiProperty({ description: 'The signer re-enters the password (21 CFR 11.200)' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  password!: string;

  @ApiPropertyOptional({ description: 'SHA-256 of the version the signer reviewed; a stale one is refused' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  contentHash?: string;
}

export class SignChangeControlDto extends SignatureRequestBase {
  @ApiProperty({ enum: ['approved'] })
  @IsIn(['approved'])
  meaning!: 'approved';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class RejectChangeControlDto extends SignatureRequestBase {
  @ApiProperty({ description: 'Why QA rejects; shown to the initiator and kept in the audit trail' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason!: string;
}
