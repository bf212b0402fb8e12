import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AttestflowConfig } from '../../config/config';
import type { UserWithRoles } from '../../db/repositories';
import { Client, CurrentUser, type AuthenticatedRequest, type ClientInfo } from '../common/request-context';
import { InjectConfig } from '../infrastructure';
import { Public } from './auth.decorators';
import { LoginDto } from './auth.dto';
import { AuthService, toUserView, type UserView } from './auth.service';
import { SESSION_COOKIE } from './session-cookie';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @InjectConfig() private readonly config: AttestflowConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Client() client: ClientInfo, @Res({ passthrough: true }) response: Response): Promise<UserView> {
    const { token, user } = await this.auth.login(body.username, body.password, client);
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.cookieSecure,
      path: '/',
      maxAge: this.config.sessionAbsoluteHours * 3600_000,
    });
    return toUserView(user);
  }

  @Post('logout')
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

  @Get('me')
  me(@CurrentUser() user: UserWithRoles): UserView {
    return toUserView(user);
  }
}
