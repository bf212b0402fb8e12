import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { DatabaseHandle } from '../../db/client';
import { listInbox, type InboxEntry, type UserWithRoles } from '../../db/repositories';
import { CurrentUser } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';

@ApiTags('inbox')
@Controller('api/inbox')
export class InboxController {
  constructor(@InjectDatabase() private readonly database: DatabaseHandle) {}

  /** Open tasks for the signed-in user: addressed to them or to a role they hold. */
  @Get()
  inbox(@CurrentUser() user: UserWithRoles): Promise<InboxEntry[]> {
    return listInbox(this.database.db, user.id, user.roles);
  }
}
