import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';

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

  @ApiPropertyOptional({ description: 'Required on the first signature of a session (21 CFR 11.200(a)(1)(i))' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  username?: string;

  @ApiProperty({ description: 'The record version the signer reviewed' })
  @IsInt()
  @Min(1)
  recordVersion!: number;

  @ApiProperty({ description: "SHA-256 of that version's canonical content, as shown; a stale one is refused" })
  @Matches(/^[0-9a-f]{64}$/)
  contentHash!: string;
}

export class SignChangeControlDto extends SignatureRequestBase {
  @ApiProperty({ description: 'The meaning of the signature; QA approval accepts "approved"', example: 'approved' })
  @IsString()
  @MaxLength(100)
  meaning!: string;

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
