import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AttestflowConfig } from '../../config/config';
import type { UserWithRoles } from '../../db/repositories';
import type { SessionRow } from '../../db/schema';
import { Client, CurrentSession, CurrentUser, type AuthenticatedRequest, type ClientInfo } from '../common/request-context';
import { InjectConfig } from '../infrastructure';
import { ApiErrors } from '../common/api-errors';
import { RecoveryCodesView, TotpEnrolmentView, UserView } from './auth.view';
import { AllowPending, Public } from './auth.decorators';
import { ChangePasswordDto, ConfirmTotpDto, EnrolTotpDto, LoginDto } from './auth.dto';
import { AuthService, toUserView } from './auth.service';
import { SESSION_COOKIE } from './session-cookie';
import { TotpService } from './totp.service';
import { carriesSecondFactorCode, RateLimited } from '../throttling/rate-limited.decorator';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly totp: TotpService,
    @InjectConfig() private readonly config: AttestflowConfig,
  ) {}

  @Public()
  @RateLimited('login', { action: 'totp', when: carriesSecondFactorCode })
  @Post('login')
  @ApiOkResponse({ type: UserView, description: 'Signed in: the session cookie is set' })
  @ApiErrors(400, 401, 403, 413, 415, 423, 429)
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Client() client: ClientInfo, @Res({ passthrough: true }) response: Response): Promise<UserView> {
    const { token, user, pending } = await this.auth.login(body.username, body.password, { totpCode: body.totpCode, recoveryCode: body.recoveryCode }, client);
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.cookieSecure,
      path: '/',
      maxAge: this.config.sessionAbsoluteHours * 3600_000,
    });
    return toUserView(user, pending, this.config.sessionIdleMinutes, null);
  }

  @AllowPending()
  @Post('logout')
  @ApiNoContentResponse({ description: 'The session ended; the cookie is cleared' })
  @ApiErrors(401, 403, 413, 415)
  @HttpCode(204)
  async logout(
    @Req() request: AuthenticatedRequest,
    @CurrentUser() user: UserWithRoles,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(request.sessionId!, user, client);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @AllowPending()
  @Get('me')
  @ApiOkResponse({ type: UserView })
  @ApiErrors(401)
  async me(@CurrentUser() user: UserWithRoles, @CurrentSession() session: SessionRow): Promise<UserView> {
    return toUserView(user, await this.auth.pendingFor(user), this.config.sessionIdleMinutes, session.firstSignatureAt);
  }

  /**
   * Change one's own password (required at first sign-in and on expiry); re-seals the signing key.
   * After an administrator's reset it completes the reset, with the person's TOTP or recovery code,
   * or a second administrator's approval, and issues the new signing key.
   */
  @AllowPending()
  @RateLimited('password_reset', { action: 'totp', when: carriesSecondFactorCode })
  @Post('password')
  @ApiNoContentResponse({ description: 'Changed; other sessions of the person ended' })
  @ApiErrors(400, 401, 403, 409, 413, 415, 423, 429)
  @HttpCode(204)
  async changePassword(
    @CurrentUser() user: UserWithRoles,
    @CurrentSession() session: SessionRow,
    @Body() body: ChangePasswordDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.auth.changePassword(
      user,
      body.currentPassword,
      body.newPassword,
      client,
      { totpCode: body.totpCode, recoveryCode: body.recoveryCode },
      session.id,
    );
  }

  /**
   * Start TOTP enrolment with the current password (a wrong one is an audited failed attempt counting
   * toward lockout): returns the secret and an otpauth:// URI for the authenticator app.
   */
  @AllowPending()
  @RateLimited('totp')
  @Post('totp')
  @ApiOkResponse({ type: TotpEnrolmentView })
  @ApiErrors(400, 401, 403, 409, 413, 415, 423, 429)
  @HttpCode(200)
  enrolTotp(@CurrentUser() user: UserWithRoles, @Body() body: EnrolTotpDto, @Client() client: ClientInfo) {
    return this.totp.enrol(user, body.password, client);
  }

  /** Confirm enrolment with a first code (a wrong one is audited and counts toward lockout); returns the one-time recovery codes (shown once). */
  @AllowPending()
  @RateLimited('totp')
  @Post('totp/confirm')
  @ApiOkResponse({ type: RecoveryCodesView })
  @ApiErrors(400, 401, 403, 409, 413, 415, 423, 429)
  @HttpCode(200)
  confirmTotp(@CurrentUser() user: UserWithRoles, @Body() body: ConfirmTotpDto, @Client() client: ClientInfo) {
    return this.totp.confirm(user, body.code, client);
  }
}
