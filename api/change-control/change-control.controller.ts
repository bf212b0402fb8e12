import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { Client, CurrentSession, CurrentUser, type ClientInfo } from '../common/request-context';
import type { SessionRow } from '../../db/schema';
import { uuidPipe } from '../common/uuid.pipe';
import { CreateChangeControlDto, RejectChangeControlDto, SignChangeControlDto } from './change-control.dto';
import { ChangeControlService } from './change-control.service';

@ApiTags('change control')
@Controller('api/change-controls')
export class ChangeControlController {
  constructor(private readonly changeControls: ChangeControlService) {}

  @Post()
  @RequireRoles('initiator')
  create(@CurrentUser() user: UserWithRoles, @Body() body: CreateChangeControlDto, @Client() client: ClientInfo) {
    return this.changeControls.create(user, body, client);
  }

  @Get(':id')
  get(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.changeControls.get(id, user);
  }

  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Client() client: ClientInfo) {
    return this.changeControls.submit(user, id, client);
  }

  /** QA approval e-signature: password re-entered, meaning "approved". */
  @Post(':id/sign')
  @HttpCode(200)
  @RequireRoles('qa')
  sign(
    @CurrentUser() user: UserWithRoles,
    @CurrentSession() session: SessionRow,
    @Param('id', uuidPipe) id: string,
    @Body() body: SignChangeControlDto,
    @Client() client: ClientInfo,
  ) {
    return this.changeControls.sign(user, session, id, body, client);
  }

  /** QA rejection with a reason, itself an e-signature with meaning "rejected"; back to draft. */
  @Post(':id/reject')
  @HttpCode(200)
  @RequireRoles('qa')
  reject(
    @CurrentUser() user: UserWithRoles,
    @CurrentSession() session: SessionRow,
    @Param('id', uuidPipe) id: string,
    @Body() body: RejectChangeControlDto,
    @Client() client: ClientInfo,
  ) {
    return this.changeControls.reject(user, session, id, body, client);
  }
}
