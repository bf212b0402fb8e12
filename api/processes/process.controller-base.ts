import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import type { SessionRow } from '../../db/schema';
import type { ProcessType } from '../../workflows/process-contracts';
import { Client, CurrentSession, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { ProcessRecordView, SignedRecordView } from './process-record.view';
import { RateLimited } from '../throttling/rate-limited.decorator';
import { CompleteTaskDto, ReasonDto, RejectStepDto, SignStepDto } from './process-actions.dto';
import type { ProcessService } from './process.service';

/**
 * The actions every process shares. Each process's controller (its own path and OpenAPI tag) adds
 * creation, submission and amendment with its own fields. Who may act in which step is decided by
 * the workflow: refusals come back with a code and the step.
 */
@ApiErrors(401, 403)
export abstract class ProcessControllerBase {
  protected abstract readonly type: ProcessType;

  constructor(protected readonly processes: ProcessService) {}

  /** The record, its history and signatures, and what the caller may do now (allowedActions). */
  @Get(':id')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string) {
    return this.processes.get(this.type, id, user);
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
    return this.processes.sign(this.type, user, session, id, body, client, null);
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
    return this.processes.sign(this.type, user, session, id, body, client, { reason: body.reason });
  }

  /** Cancellation with a reason (author or the process's cancelling roles); refused while child processes are open. */
  @Post(':id/cancel')
  @ApiOkResponse({ type: ProcessRecordView })
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(200)
  cancel(@CurrentUser() user: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: ReasonDto, @Client() client: ClientInfo) {
    return this.processes.cancel(this.type, user, id, body.reason, client);
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
    return this.processes.completeTask(this.type, user, id, taskId, body.note ?? null, client);
  }
}
