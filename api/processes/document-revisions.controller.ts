import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { RequireRoles } from '../auth/auth.decorators';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { ProcessRecordView } from './process-record.view';
import { AmendDocumentRevisionDto, CreateDocumentRevisionDto, DocumentRevisionFieldsDto } from './document-revision.dto';
import { ReasonDto } from './process-actions.dto';
import { ProcessContentService } from './process-content.service';
import { ProcessControllerBase } from './process.controller-base';
import { ProcessService } from './process.service';

/** Document revision: draft (file uploaded) → review → approval → training assigned → effective on its date → previous superseded. */
@ApiTags('documents')
@Controller('api/document-revisions')
export class DocumentRevisionsController extends ProcessControllerBase {
  protected readonly type = 'document_revision' as const;

  constructor(
    processes: ProcessService,
    private readonly content: ProcessContentService,
  ) {
    super(processes);
  }

  @Post()
  @ApiCreatedResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @RequireRoles('document_controller')
  async create(@CurrentUser() user: UserWithRoles, @Body() body: CreateDocumentRevisionDto, @Client() client: ClientInfo) {
    await this.content.documentToRevise(body.documentNumber);
    return this.processes.start(this.type, user, { documentNumber: body.documentNumber, changeSummary: body.changeSummary }, client);
  }

  /** Submits the draft for review, with its file, effective date, reviewer and training roles. */
  @Post(':id/submit')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  async submit(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: DocumentRevisionFieldsDto, @Client() client: ClientInfo) {
    const fields = await this.content.documentRevisionFields(body ?? {});
    return this.processes.submit(this.type, user, id, Object.keys(fields).length ? fields : undefined, client);
  }

  @Post(':id/amend')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  async amend(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AmendDocumentRevisionDto, @Client() client: ClientInfo) {
    const changes = await this.content.documentRevisionFields(body.changes);
    return this.processes.amend(this.type, user, id, { changes, reason: body.reason, baseVersion: body.baseVersion }, client);
  }

  /** Withdraws the effective revision (document controller, with a reason). */
  @Post(':id/obsolete')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  obsolete(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: ReasonDto, @Client() client: ClientInfo) {
    return this.processes.obsolete(this.type, user, id, body.reason, client);
  }
}
