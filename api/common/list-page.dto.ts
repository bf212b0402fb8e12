import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Trimmed } from './trimmed';

export const LIST_PAGE_MAX = 500;

/**
 * Text search and offset paging of a register ordered by its unique key (documents by number,
 * users by username). Without `limit` the answer is the whole register from `offset` on, as it was
 * before paging existed; the next page starts at offset + limit.
 */
export class ListPageQuery {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'Text to look for (case-insensitive, taken literally)' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: LIST_PAGE_MAX, description: `How many entries (at most ${LIST_PAGE_MAX}; without it, all)` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIST_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 2_147_483_647,
    description: 'How many entries to skip (the next page starts at offset + limit)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  offset?: number;
}

/** The repositories' page of a validated query. */
export const listPageOf = (query: ListPageQuery) => ({ text: query.q, limit: query.limit, offset: query.offset });

/** How the registers page, as the OpenAPI document states it. */
export const LIST_PAGE_PAGING =
  'Ordered by the unique key; offset paging: `limit` entries from `offset` (the next page starts at offset + limit). ' +
  'Without `limit`, every entry from `offset` on. An entry added meanwhile before the offset shifts later pages by one.';
