import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { PROCESS_DECLARATIONS } from '../../processes/declarations';
import { Trimmed } from '../common/trimmed';

export const RECORD_PAGE_DEFAULT = 50;
export const RECORD_PAGE_MAX = 200;

export const PROCESS_TYPES = Object.keys(PROCESS_DECLARATIONS);
/** Every state any process declares (a record's status is one of its process's). */
export const RECORD_STATUSES = [...new Set(Object.values(PROCESS_DECLARATIONS).flatMap((d) => Object.keys(d.steps)))].sort();

/** A calendar date (a whole UTC day) or a date-time with its zone. */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$';

/** Whether the text names a real day (2026-02-30 does not) or a real instant. */
export function isDayOrInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (DAY.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    // 2026-13-01 is no date at all; 2026-02-30 becomes 2026-03-02.
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
  }
  if (!INSTANT.test(value)) return false;
  const time = Date.parse(value);
  // Date.parse rolls 2026-02-30 over to March; the calendar part must survive in UTC or the zone given.
  return Number.isFinite(time) && isDayOrInstant(value.slice(0, 10));
}

const DayOrInstant = () =>
  ValidateBy({
    name: 'isDayOrInstant',
    validator: {
      validate: isDayOrInstant,
      defaultMessage: (args) => `${args?.property} must be a date (2026-01-31) or a date-time with its zone (2026-01-31T12:00:00Z)`,
    },
  });

/** A complete record number (CC-2026-0001); anything shorter is a prefix. */
export const COMPLETE_NUMBER = /^[A-Z]+-\d{4}-\d{4,}$/;

/** The filters and the page of a process's record list (GET /api/<process>); GET /api/records adds `type`. */
export class ProcessRecordListQuery {
  @ApiPropertyOptional({ enum: RECORD_STATUSES, description: "The record's status (its latest state)" })
  @IsOptional()
  @IsIn(RECORD_STATUSES)
  status?: string;

  @ApiPropertyOptional({
    pattern: '^[A-Za-z0-9-]{1,40}$',
    example: 'CC-2026',
    description:
      'A complete number (CC-2026-0001) finds that record; anything shorter is a prefix (CC-2026: the change controls of 2026). Case does not matter.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,40}$/, { message: 'number must be 1–40 letters, digits or dashes' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  number?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: "Text in the number or the title (the latest version's), case-insensitive" })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    pattern: INSTANT_PATTERN,
    example: '2026-01-01',
    description: 'Created at or after: a date (from the start of that UTC day) or a date-time with its zone',
  })
  @IsOptional()
  @DayOrInstant()
  createdFrom?: string;

  @ApiPropertyOptional({
    pattern: INSTANT_PATTERN,
    example: '2026-01-31',
    description: 'Created at or before: a date (to the end of that UTC day, included) or a date-time with its zone',
  })
  @IsOptional()
  @DayOrInstant()
  createdTo?: string;

  @ApiPropertyOptional({ pattern: '^[a-z0-9][a-z0-9._-]{1,63}$', description: "The author's username" })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'author must be a username: 2–64 lower-case letters, digits, dot, dash or underscore' })
  author?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: RECORD_PAGE_MAX,
    description: `How many records on this page (default ${RECORD_PAGE_DEFAULT}, at most ${RECORD_PAGE_MAX})`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECORD_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({
    pattern: '^[A-Za-z0-9_-]{1,200}$',
    description: "The previous page's nextCursor: this page starts after the last record of that one. Leave out for the first page.",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: "cursor must be a previous page's nextCursor" })
  cursor?: string;
}

export class RecordListQuery extends ProcessRecordListQuery {
  @ApiPropertyOptional({ enum: PROCESS_TYPES, description: 'The process type' })
  @IsOptional()
  @IsIn(PROCESS_TYPES)
  type?: string;
}

/** How the record lists page, as the OpenAPI document states it. */
export const RECORD_LIST_PAGING =
  'Newest first: createdAt descending, then id descending, a stable order. Paged by keyset cursor: ' +
  "the first page has no `cursor`; each answer's `nextCursor`, passed as `cursor` with the same filters, " +
  'gives the page after it, and is null on the last page. Records created meanwhile are newer than any ' +
  'cursor, so they shift no page (they appear on a new first page). `total` counts every record that ' +
  'matches the filters now. Only records the reader may read are listed (auditors and the read-all roles: all; ' +
  'anyone else: what they authored and records that gave them or their roles a task).';
