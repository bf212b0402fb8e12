// A task someone plans in a process's content (a change control's implementation task, a CAPA's
// action): the owner named by username, resolved to a user by processes/shared/planned-tasks.resolver.ts.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Trimmed } from '../../api/common/trimmed';

export class PlannedTaskDto {
  @ApiProperty({ example: 'Update the bill of materials' })
  @Trimmed()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  title!: string;

  @ApiProperty({ example: 'engineering', description: 'Username of the person who does it' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  ownerUsername!: string;

  @ApiPropertyOptional({ description: 'ISO 8601 date-time; without it the configured default applies' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;
}
