import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'qa' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  password!: string;

  @ApiPropertyOptional({ description: 'Six-digit code from the authenticator app, when enrolled' })
  @IsOptional()
  @Matches(/^\d{6}$/)
  totpCode?: string;

  @ApiPropertyOptional({ description: 'A one-time recovery code instead of the authenticator code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  recoveryCode?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  currentPassword!: string;

  @ApiProperty({ description: 'Checked against the password policy: length, common passwords, history' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  newPassword!: string;

  @ApiPropertyOptional({ description: 'After an administrator reset: the code from your authenticator app (enrolled before the reset)' })
  @IsOptional()
  @Matches(/^\d{6}$/)
  totpCode?: string;

  @ApiPropertyOptional({ description: 'After an administrator reset: one of your recovery codes instead' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  recoveryCode?: string;
}

export class EnrolTotpDto {
  @ApiPropertyOptional({ description: 'Your current password: required to start enrolment (refused with password_required without it)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  password?: string;
}

export class ConfirmTotpDto {
  @ApiProperty()
  @Matches(/^\d{6}$/)
  code!: string;
}
