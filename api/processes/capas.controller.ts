import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { ProcessRecordView } from './process-record.view';
import { AmendCapaDto, CapaFieldsDto, CreateCapaDto } from './capa.dto';
import { ProcessContentService } from './process-content.service';
import { ProcessControllerBase } from './process.controller-base';
import { ProcessService } from './process.service';

/** CAPA: initiated → investigation → action plan approval → actions → effectiveness check after a wait → closed, or reopened. */
@ApiTags('CAPA')
@Controller('api/capas')
export class CapasController extends ProcessControllerBase {
  protected readonly type = 'capa' as const;

  constructor(
    processes: ProcessService,
    private readonly content: ProcessContentService,
  ) {
    super(processes);
  }

  @Post()
  @ApiCreatedResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @RequireRoles('initiator', 'qa')
  create(@CurrentUser() user: UserWithRoles, @Body() body: CreateCapaDto, @Client() client: ClientInfo) {
    return this.processes.start(
      this.type,
      user,
      { title: body.title, description: body.description, source: { ...body.source }, investigation: null, actions: [] },
      client,
    );
  }

  /** Submits the current author step: the problem as described, or the investigation and action plan. */
  @Post(':id/submit')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  async submit(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: CapaFieldsDto, @Client() client: ClientInfo) {
    const fields = await this.content.capaFields(body ?? {});
    return this.processes.submit(this.type, user, id, Object.keys(fields).length ? fields : undefined, client);
  }

  @Post(':id/amend')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  async amend(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AmendCapaDto, @Client() client: ClientInfo) {
    const changes = await this.content.capaFields(body.changes);
    return this.processes.amend(this.type, user, id, { changes, reason: body.reason, baseVersion: body.baseVersion }, client);
  }
}
