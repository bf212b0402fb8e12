import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import type { RateLimitedAction } from '../../config/config';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMITED, type RouteRateLimit } from './rate-limit.throttlers';

/**
 * The route counts toward these actions' limits, per account and per client address (RATE_LIMIT_*);
 * past either limit it answers 429 rate_limited with Retry-After, before the handler runs.
 */
export const RateLimited = (...actions: Array<RateLimitedAction | RouteRateLimit>) =>
  applyDecorators(
    SetMetadata(
      RATE_LIMITED,
      actions.map((a): RouteRateLimit => (typeof a === 'string' ? { action: a } : a)),
    ),
    UseGuards(RateLimitGuard),
  );

/** A sign-in or password change that carries a TOTP or recovery code is also a second-factor guess. */
export function carriesSecondFactorCode(request: Request): boolean {
  const body = request.body as { totpCode?: unknown; recoveryCode?: unknown } | undefined;
  return Boolean(body && (body.totpCode !== undefined || body.recoveryCode !== undefined));
}
