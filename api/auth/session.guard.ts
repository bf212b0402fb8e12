import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/app-error';
import type { AuthenticatedRequest } from '../common/request-context';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { AuthService } from './auth.service';
import { SESSION_COOKIE, sessionIdOf } from './session-cookie';

/** Global guard: every route needs a live session unless marked @Public(); @RequireRoles narrows it. */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!token) throw new AppError('not_authenticated', 'Sign in first.');
    const sessionId = sessionIdOf(token);
    request.user = await this.auth.authenticateSession(sessionId);
    request.sessionId = sessionId;
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((role) => request.user!.roles.includes(role))) {
      throw new AppError('not_authorised', `This action needs one of the roles: ${required.join(', ')}.`);
    }
    return true;
  }
}
