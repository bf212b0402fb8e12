import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { UserWithRoles } from '../../db/repositories';
import { PasswordPolicyService } from '../auth/password-policy.service';
import { RequireRoles } from '../auth/auth.decorators';
import { Client, CurrentUser, type ClientInfo } from '../common/request-context';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../common/api-errors';
import { LIST_PAGE_PAGING, ListPageQuery, listPageOf } from '../common/list-page.dto';
import { RateLimited } from '../throttling/rate-limited.decorator';
import { AdminReasonDto, CreateUserDto, SetPasswordPolicyDto, SetRolesDto, SignatureMeaningDto, TrainingRecordDto, TrainingRequirementDto } from './admin.dto';
import { AdminSettingsService } from './admin-settings.service';
import { AdminUsersService } from './admin-users.service';
import {
  AdminUserView,
  AlertView,
  AuditVerificationView,
  CreatedIdView,
  CreatedUserView,
  PasswordPolicyView,
  PasswordResetView,
  ResetApprovalView,
  SessionsEndedView,
  SignatureMeaningView,
  TrainingRecordView,
  TrainingRequirementView,
} from './admin.view';

/** Administration: accounts, roles, policy, training, meanings, alerts, audit verification. */
@ApiTags('administration')
@Controller('api/admin')
@RequireRoles('administrator')
@ApiErrors(401, 403)
export class AdminController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly settings: AdminSettingsService,
    private readonly policies: PasswordPolicyService,
  ) {}

  /** Users by username; `q` looks in the username and the printed name. */
  @Get('users')
  @ApiOperation({ summary: 'Users by username, searched and paged', description: LIST_PAGE_PAGING })
  @ApiOkResponse({ type: [AdminUserView] })
  @ApiErrors(400)
  listUsers(@Query() query: ListPageQuery) {
    return this.users.list(listPageOf(query));
  }

  @Post('users')
  @ApiCreatedResponse({ type: CreatedUserView })
  @ApiErrors(400, 409, 413, 415, 422)
  createUser(@CurrentUser() admin: UserWithRoles, @Body() body: CreateUserDto, @Client() client: ClientInfo) {
    return this.users.create(admin, body, client);
  }

  @Post('users/:id/disable')
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409, 413, 415)
  @HttpCode(204)
  disable(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.users.setStatus(admin, id, 'disabled', body.reason, client);
  }

  @Post('users/:id/enable')
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409, 413, 415)
  @HttpCode(204)
  enable(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.users.setStatus(admin, id, 'active', body.reason, client);
  }

  @Post('users/:id/unlock')
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 413, 415)
  @HttpCode(204)
  unlock(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.users.unlock(admin, id, body.reason, client);
  }

  @Put('users/:id/roles')
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409, 413, 415, 422)
  @HttpCode(204)
  setRoles(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: SetRolesDto, @Client() client: ClientInfo) {
    return this.users.setRoles(admin, id, body.roles, body.reason, client);
  }

  @Post('users/:id/reset-password')
  @ApiOkResponse({ type: PasswordResetView })
  @ApiErrors(400, 404, 413, 415, 429)
  @RateLimited('password_reset')
  @HttpCode(200)
  resetPassword(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.users.resetPassword(admin, id, body.reason, client);
  }

  /** A second, different administrator approves a pending reset (for a person without TOTP or recovery codes). */
  @Post('users/:id/reset-password/approve')
  @ApiOkResponse({ type: ResetApprovalView })
  @ApiErrors(400, 404, 409, 413, 415, 429)
  @RateLimited('password_reset')
  @HttpCode(200)
  approveReset(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.users.approveReset(admin, id, body.reason, client);
  }

  @Post('users/:id/revoke-sessions')
  @ApiOkResponse({ type: SessionsEndedView })
  @ApiErrors(400, 404, 413, 415)
  @HttpCode(200)
  revokeSessions(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.users.revokeSessions(admin, id, body.reason, client);
  }

  @Get('password-policy')
  @ApiOkResponse({ type: PasswordPolicyView })
  policy() {
    return this.policies.current();
  }

  @Put('password-policy')
  @ApiOkResponse({ type: PasswordPolicyView })
  @ApiErrors(400, 413, 415)
  setPolicy(@CurrentUser() admin: UserWithRoles, @Body() body: SetPasswordPolicyDto, @Client() client: ClientInfo) {
    return this.policies.set(admin, { ...body.policy, maxAgeDays: body.policy.maxAgeDays ?? null }, body.reason, client);
  }

  @Get('training-requirements')
  @ApiOkResponse({ type: [TrainingRequirementView] })
  requirements() {
    return this.settings.requirements();
  }

  /** A person's training records, the latest training first. */
  @Get('users/:id/training-records')
  @ApiOkResponse({ type: [TrainingRecordView] })
  @ApiErrors(400, 404)
  trainingRecords(@Param('id', uuidPipe) id: string) {
    return this.settings.trainingRecordsOf(id);
  }

  @Post('training-requirements')
  @ApiCreatedResponse({ type: TrainingRequirementView })
  @ApiErrors(400, 409, 413, 415)
  addRequirement(@CurrentUser() admin: UserWithRoles, @Body() body: TrainingRequirementDto, @Client() client: ClientInfo) {
    return this.settings.addRequirement(admin, body, client);
  }

  @Post('training-records')
  @ApiCreatedResponse({ type: CreatedIdView })
  @ApiErrors(400, 404, 413, 415)
  addTrainingRecord(@CurrentUser() admin: UserWithRoles, @Body() body: TrainingRecordDto, @Client() client: ClientInfo) {
    return this.settings.addTrainingRecord(admin, body, client);
  }

  /** Every meaning, active or not: the administrator sees what signers are offered and what was retired. */
  @Get('signature-meanings')
  @ApiOkResponse({ type: [SignatureMeaningView] })
  meanings() {
    return this.settings.meanings();
  }

  @Put('signature-meanings')
  @ApiNoContentResponse()
  @ApiErrors(400, 413, 415)
  @HttpCode(204)
  setMeaning(@CurrentUser() admin: UserWithRoles, @Body() body: SignatureMeaningDto, @Client() client: ClientInfo) {
    return this.settings.setMeaning(admin, body, client);
  }

  @Get('alerts')
  @ApiQuery({ name: 'open', required: false, type: String, description: '`true`: only the alerts nobody has acknowledged yet' })
  @ApiOkResponse({ type: [AlertView] })
  @ApiErrors(400)
  alerts(@Query('open') open?: string) {
    return this.settings.alerts(open === 'true');
  }

  @Post('alerts/:id/acknowledge')
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 413, 415)
  @HttpCode(204)
  acknowledgeAlert(@CurrentUser() admin: UserWithRoles, @Param('id', uuidPipe) id: string, @Body() body: AdminReasonDto, @Client() client: ClientInfo) {
    return this.settings.acknowledgeAlert(admin, id, body.reason, client);
  }

  /** Walks the audit hash chain and names the first broken or missing link (11.10(a), (e)). */
  @Get('audit/verify')
  @ApiOkResponse({ type: AuditVerificationView })
  verifyAudit() {
    return this.settings.verifyAudit();
  }
}
