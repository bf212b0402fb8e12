import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { UserWithRoles } from '../../db/repositories';
import type { SessionRow } from '../../db/schema';

export interface ClientInfo {
  clientIp: string | null;
  userAgent: string | null;
}

export function clientInfo(request: Request): ClientInfo {
  return { clientIp: request.ip ?? request.socket.remoteAddress ?? null, userAgent: request.get('user-agent') ?? null };
}

export type AuthenticatedRequest = Request & { user?: UserWithRoles; sessionId?: string; session_?: SessionRow };

/** The signed-in user (set by the session guard). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user);

/** IP address and user agent of the request, recorded with audit events and signatures (11.10(h)). */
export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext) => clientInfo(ctx.switchToHttp().getRequest<Request>()));

/** The live session row (set by the session guard). */
export const CurrentSession = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().session_);
