import type { PipeTransform } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AppError } from '../common/app-error';

/** Version numbers are PostgreSQL integers from 1. */
export const MAX_VERSION = 2_147_483_647;

/** A version number in the path: a whole number from 1, anything else a 400 before any lookup. */
export const versionPipe: PipeTransform<string, number> = {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > MAX_VERSION)
      throw new AppError('validation_failed', `The version in the path must be a whole number from 1 to ${MAX_VERSION}.`);
    return Number(value);
  },
};

export class VersionChangesQuery {
  @ApiPropertyOptional({ description: 'The version to compare with; without it, the newest version', minimum: 1, maximum: MAX_VERSION })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  to?: number;
}
