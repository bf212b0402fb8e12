import { Body, Controller, Get, HttpCode, Param, Post, Query, type Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DatabaseHandle } from '../../db/client';
import type { UserWithRoles } from '../../db/repositories';
import type { SessionRow } from '../../db/schema';
import type { AmendBody, ProcessModule } from '../../processes/process-module';
import { RequireRoles } from '../auth/auth.decorators';
import { ApiErrors } from '../common/api-errors';
import { Client, CurrentSession, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { validationPipeFor } from '../common/validation';
import { InjectDatabase } from '../infrastructure';
import { RateLimited } from '../throttling/rate-limited.decorator';
import { ProcessRecordListQuery, RECORD_LIST_PAGING } from '../records/record-list.dto';
import { RecordListService } from '../records/record-list.service';
import { RecordListView } from '../records/record-list.view';
import { CompleteTaskDto, ReasonDto, RejectStepDto, SignStepDto } from './process-actions.dto';
import { ProcessRecordView, SignedRecordView } from './process-record.view';
import { ProcessService } from './process.service';

/** `change-controls` → `ChangeControlsController` (the OpenAPI operation ids are `<class>_<method>`). */
const controllerName = (route: string) => `${route.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase())}Controller`;

/** Whether the declaration has a long-lived state that an "obsolete" action ends (a document revision's). */
const offersObsolete = (module: ProcessModule) => Object.values(module.definition.steps).some((step) => step.kind === 'hold' && step.obsolete);

/**
 * The controller of one process module (processes/modules.ts), at /api/<route> with the module's
 * OpenAPI tag: creation, submission and amendment validated against the module's own request
 * schemas and turned into content by its resolver, and the actions every process shares. Who may act
 * in which step is decided by the workflow: refusals come back with a code and the step.
 */
export function processController(module: ProcessModule): Type<unknown> {
  const type = module.definition.type;

  @ApiTags(module.tag)
  @ApiErrors(401, 403)
  @Controller(`api/${module.route}`)
  class ProcessController {
    constructor(
      protected readonly processes: ProcessService,
      @InjectDatabase() private readonly database: DatabaseHandle,
      private readonly lists: RecordListService,
    ) {}

    /** This process's records as GET /api/records lists them (newest first, paged by cursor; only those the reader may read). */
    @Get()
    @ApiOperation({
      summary: `${module.definition.label ?? module.tag} records, filtered and paged (GET /api/records?type=${type})`,
      description: RECORD_LIST_PAGING,
    })
    @ApiOkResponse({ type: RecordListView })
    @ApiErrors(400)
    list(@CurrentUser() user: UserWithRoles, @Query() query: ProcessRecordListQuery) {
      return this.lists.list(user, { ...query, type });
    }

    @Post()
    @ApiBody({ type: module.createDto })
    @ApiCreatedResponse({ type: ProcessRecordView })
    @ApiErrors(400, 404, 409, 413, 415, 422)
    @RequireRoles(...module.createRoles)
    async create(@CurrentUser() user: UserWithRoles, @Body(validationPipeFor(module.createDto)) body: object, @Client() client: ClientInfo) {
      const content = await module.resolveCreate(this.database.db, body, user);
      return this.processes.start(type, user, content, client);
    }

    /** The record, its history and signatures, and what the caller may do now (allowedActions). */
    @Get(':id')
    @ApiOkResponse({ type: ProcessRecordView })
    @ApiErrors(400, 404)
    get(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
      return this.processes.get(type, id, user);
    }

    /** Submits the current author step, with the fields that step fills in. */
    @Post(':id/submit')
    @ApiBody({ type: module.fieldsDto })
    @ApiOkResponse({ type: ProcessRecordView })
    @ApiErrors(400, 404, 409, 413, 415, 422)
    @HttpCode(200)
    async submit(
      @CurrentUser() user: UserWithRoles,
      @Param('id', uuidPipe) id: string,
      @Body(validationPipeFor(module.fieldsDto)) body: object | undefined,
      @Client() client: ClientInfo,
    ) {
      const fields = await module.resolveFields(this.database.db, body ?? {});
      return this.processes.submit(type, user, id, Object.keys(fields).length ? fields : undefined, client);
    }

    /** Amends the content with a reason: a new version; signatures already given in this step must be given again. */
    @Post(':id/amend')
    @ApiBody({ type: module.amendDto })
    @ApiOkResponse({ type: ProcessRecordView })
    @ApiErrors(400, 404, 409, 413, 415, 422)
    @HttpCode(200)
    async amend(
      @CurrentUser() user: UserWithRoles,
      @Param('id', uuidPipe) id: string,
      @Body(validationPipeFor(module.amendDto)) body: AmendBody<object>,
      @Client() client: ClientInfo,
    ) {
      const changes = await module.resolveFields(this.database.db, body.changes);
      return this.processes.amend(type, user, id, { changes, reason: body.reason, baseVersion: body.baseVersion }, client);
    }

    /** E-signature of the current sign-off step (password re-entered; meaning as the step states). */
    @Post(':id/sign')
    @ApiOkResponse({ type: SignedRecordView, description: 'Signed (or this signature id was already signed by the caller: the same answer)' })
    @ApiErrors(400, 404, 409, 413, 415, 422, 423, 429)
    @RateLimited('signing')
    @HttpCode(200)
    sign(
      @CurrentUser() user: UserWithRoles,
      @CurrentSession() session: SessionRow,
      @Param('id', uuidPipe) id: string,
      @Body() body: SignStepDto,
      @Client() client: ClientInfo,
    ) {
      return this.processes.sign(type, user, session, id, body, client, null);
    }

    /** Refusal of the current sign-off step with a reason, itself an e-signature; back to the step the process names. */
    @Post(':id/reject')
    @ApiOkResponse({ type: SignedRecordView })
    @ApiErrors(400, 404, 409, 413, 415, 422, 423, 429)
    @RateLimited('signing')
    @HttpCode(200)
    reject(
      @CurrentUser() user: UserWithRoles,
      @CurrentSession() session: SessionRow,
      @Param('id', uuidPipe) id: string,
      @Body() body: RejectStepDto,
      @Client() client: ClientInfo,
    ) {
      return this.processes.sign(type, user, session, id, body, client, { reason: body.reason });
    }

    /** Cancellation with a reason (author or the process's cancelling roles); refused while child processes are open. */
    @Post(':id/cancel')
    @ApiOkResponse({ type: ProcessRecordView })
    @ApiErrors(400, 404, 409, 413, 415, 422)
    @HttpCode(200)
    cancel(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: ReasonDto, @Client() client: ClientInfo) {
      return this.processes.cancel(type, user, id, body.reason, client);
    }

    /** Completes an implementation (or periodic review) task assigned to the caller. */
    @Post(':id/tasks/:taskId/complete')
    @ApiOkResponse({ type: ProcessRecordView })
    @ApiErrors(400, 404, 409, 413, 415, 422)
    @HttpCode(200)
    completeTask(
      @CurrentUser() user: UserWithRoles,
      @Param('id', uuidPipe) id: string,
      @Param('taskId', uuidPipe) taskId: string,
      @Body() body: CompleteTaskDto,
      @Client() client: ClientInfo,
    ) {
      return this.processes.completeTask(type, user, id, taskId, body.note ?? null, client);
    }
  }

  /** A process with a long-lived state (an effective revision) offers to end it: obsolete, with a reason. */
  class ProcessWithObsoleteController extends ProcessController {
    @Post(':id/obsolete')
    @ApiOkResponse({ type: ProcessRecordView })
    @ApiErrors(400, 404, 409, 413, 415, 422)
    @HttpCode(200)
    obsolete(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: ReasonDto, @Client() client: ClientInfo) {
      return this.processes.obsolete(type, user, id, body.reason, client);
    }
  }

  const controller = offersObsolete(module) ? ProcessWithObsoleteController : ProcessController;
  Object.defineProperty(controller, 'name', { value: controllerName(module.route) });
  return controller;
}
