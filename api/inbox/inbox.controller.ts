import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { DatabaseHandle } from '../../db/client';
import { listInbox, type InboxEntry, type UserWithRoles } from '../../db/repositories';
import { CurrentUser } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { ApiErrors } from '../common/api-errors';
import { InboxEntryView } from './inbox.view';

export const INBOX_PAGE_DEFAULT = 100;
export const INBOX_PAGE_MAX = 500;

export class InboxQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INBOX_PAGE_MAX,
    description: `How many tasks, oldest first (default ${INBOX_PAGE_DEFAULT}, at most ${INBOX_PAGE_MAX})`,
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
    description: 'How many of the oldest tasks to skip (the next page starts at offset + limit)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  offset?: number;
}

@ApiTags('inbox')
@Controller('api/inbox')
export class InboxController {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  /** Open tasks for the signed-in user: addressed to them or to a role they hold, oldest first, one page at a time. */
  @Get()
  @ApiOkResponse({ type: [InboxEntryView] })
  @ApiErrors(400, 401, 403)
  inbox(@CurrentUser() user: UserWithRoles, @Query() query: InboxQuery): Promise<InboxEntry[]> {
    return listInbox(this.database.db, user.id, user.roles, { limit: query.limit ?? INBOX_PAGE_DEFAULT, offset: query.offset ?? 0 });
  }
}
