import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PROCESS_TYPES } from '../records/record-list.dto';

export const INBOX_PAGE_DEFAULT = 100;
export const INBOX_PAGE_MAX = 500;
export const INBOX_SORTS = ['opened', 'due'] as const;
export const INBOX_DIRECTIONS = ['asc', 'desc'] as const;

/** The filters, the order and the page of GET /api/inbox. */
export class InboxQuery {
  @ApiPropertyOptional({ enum: PROCESS_TYPES, description: "Only tasks of this process type (the record's type)" })
  @IsOptional()
  @IsIn(PROCESS_TYPES)
  type?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: "true: only tasks whose due time has passed (by the server's clock); tasks without a due time never are",
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: INBOX_SORTS,
    default: 'opened',
    description: 'opened: by the time the task was opened; due: by its due time, then the time it was opened (a task without a due time counts as due last)',
  })
  @IsOptional()
  @IsIn(INBOX_SORTS)
  sort?: (typeof INBOX_SORTS)[number];

  @ApiPropertyOptional({
    enum: INBOX_DIRECTIONS,
    default: 'asc',
    description: 'asc: oldest (or earliest due) first; desc: the reverse. Ties are broken by the task id, so pages never overlap or skip',
  })
  @IsOptional()
  @IsIn(INBOX_DIRECTIONS)
  direction?: (typeof INBOX_DIRECTIONS)[number];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INBOX_PAGE_MAX,
    description: `How many tasks on this page (default ${INBOX_PAGE_DEFAULT}, at most ${INBOX_PAGE_MAX})`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INBOX_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 2_147_483_647,
    description: 'How many tasks to skip in this order (the next page starts at offset + limit)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  offset?: number;
}
