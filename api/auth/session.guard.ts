import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/app-error';
import type { AuthenticatedRequest } from '../common/request-context';
import { ALLOW_PENDING, PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { AuthService } from './auth.service';
import { SESSION_COOKIE, sessionIdOf } from './session-cookie';

/**
 * Global guard (11.10(d)): every route needs a live session unless marked @Public(); a person with
 * a password change or TOTP enrolment due may only do that; @RequireRoles narrows by role.
 */
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
    const { user, session, pending } = await this.auth.authenticateSession(sessionId);
    request.user = user;
    request.sessionId = sessionId;
    request.session_ = session;
    if (!this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING, targets)) {
      if (pending.credentialReset)
        throw new AppError(
          'reset_pending',
          'An administrator reset your password: complete the reset first (POST /api/auth/password with your authenticator or recovery code).',
        );
      if (pending.passwordChange) throw new AppError('password_change_required', 'Set a new password first (POST /api/auth/password).');
      if (pending.totpEnrolment)
        throw new AppError('totp_enrolment_required', 'Your role requires a second factor: enrol an authenticator app first (POST /api/auth/totp).');
    }
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((role) => user.roles.includes(role))) {
      throw new AppError('not_authorised', `This action needs one of the roles: ${required.join(', ')}.`);
    }
    return true;
  }
}
