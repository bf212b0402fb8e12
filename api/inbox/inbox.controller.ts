import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { ApiErrors } from '../common/api-errors';
import { CurrentUser } from '../common/request-context';
import { InboxQuery } from './inbox.dto';
import { InboxService } from './inbox.service';
import { InboxPageView } from './inbox.view';

export { INBOX_PAGE_DEFAULT, INBOX_PAGE_MAX } from './inbox.dto';

@ApiTags('inbox')
@Controller('api/inbox')
export class InboxController {
  constructor(private readonly service: InboxService) {}

  /**
   * Open tasks for the signed-in user: addressed to them or to a role they hold; filtered by process
   * type or to the overdue ones, oldest first unless asked otherwise, one page at a time with the total.
   */
  @Get()
  @ApiOkResponse({ type: InboxPageView })
  @ApiErrors(400, 401, 403)
  inbox(@CurrentUser() user: UserWithRoles, @Query() query: InboxQuery): Promise<InboxPageView> {
    return this.service.page(user, query, new Date());
  }
}
