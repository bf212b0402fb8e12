import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { ProcessRecordView } from './process-record.view';
import { AmendChangeControlDto, ChangeControlFieldsDto, CreateChangeControlDto } from './change-control.dto';
import { ProcessContentService } from './process-content.service';
import { ProcessControllerBase } from './process.controller-base';
import { ProcessService } from './process.service';

/** Change control: draft → impact assessment → approval (QA + affected area owners) → implementation → effectiveness verification → closed. */
@ApiTags('change control')
@Controller('api/change-controls')
export class ChangeControlsController extends ProcessControllerBase {
  protected readonly type = 'change_control' as const;

  constructor(
    processes: ProcessService,
    private readonly content: ProcessContentService,
  ) {
    super(processes);
  }

  @Post()
  @ApiCreatedResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @RequireRoles('initiator')
  create(@CurrentUser() user: UserWithRoles, @Body() body: CreateChangeControlDto, @Client() client: ClientInfo) {
    return this.processes.start(this.type, user, { ...body }, client);
  }

  /** Submits the current author step: the draft as is, or the impact assessment with its fields. */
  @Post(':id/submit')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  async submit(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: ChangeControlFieldsDto, @Client() client: ClientInfo) {
    const fields = await this.content.changeControlFields(body ?? {});
    return this.processes.submit(this.type, user, id, Object.keys(fields).length ? fields : undefined, client);
  }

  /** Amends the content with a reason: a new version; approvals already given in this step must be given again. */
  @Post(':id/amend')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  async amend(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AmendChangeControlDto, @Client() client: ClientInfo) {
    const changes = await this.content.changeControlFields(body.changes);
    return this.processes.amend(this.type, user, id, { changes, reason: body.reason, baseVersion: body.baseVersion }, client);
  }
}
