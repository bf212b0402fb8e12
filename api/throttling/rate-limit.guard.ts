import { Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Response } from 'express';
import { AppError } from '../common/app-error';
import { clientInfo, type AuthenticatedRequest } from '../common/request-context';
import { accountOf, parseThrottlerName, type ThrottlerIdentity } from './rate-limit.throttlers';

const ACTION_WORDS = { login: 'sign-in', signing: 'signature', totp: 'authenticator code', password_reset: 'password reset or change' } as const;

/**
 * Throttles the routes marked @RateLimited (login, e-signatures, TOTP, password resets) per account
 * and per client address, with counters in Redis shared by every API process. A refused request
 * answers 429 rate_limited with Retry-After and reaches no handler: it verifies no password and,
 * like every refusal, changes nothing (the attempts before the limit are audited as ever: a wrong
 * password as login.failed …). The first refusal of a window is logged as a warning, once, so a
 * flood cannot flood the log either. If Redis cannot be reached the request is let through and a
 * warning logged (at most once a minute): lockout after failed attempts still applies.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');
  private readonly current = new WeakMap<ExecutionContext, ThrottlerIdentity>();
  private lastStorageWarning = 0;

  constructor(@InjectThrottlerOptions() options: ThrottlerModuleOptions, @InjectThrottlerStorage() storage: ThrottlerStorage, reflector: Reflector) {
    super(options, storage, reflector);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const identity = parseThrottlerName(request.throttler.name ?? '');
    if (identity) this.current.set(request.context, identity);
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (Date.now() - this.lastStorageWarning > 60_000) {
        this.lastStorageWarning = Date.now();
        this.log.warn(`Rate limits not applied: the counter store (Redis) failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return true;
    }
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const http = context.switchToHttp();
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    const identity = this.current.get(context);
    const what = identity ? ACTION_WORDS[identity.action] : 'such';
    const who = identity?.dimension === 'client' ? 'from your address' : 'for this account';
    // The request that first goes over the limit (INCR is atomic: exactly one) is logged.
    if (identity && detail.totalHits === detail.limit + 1) this.logExceeded(http.getRequest<AuthenticatedRequest>(), identity, detail);
    throw new AppError('rate_limited', `Too many ${what} requests ${who}: try again in ${retryAfter} s. Nothing was done.`, {
      retryAfterSeconds: retryAfter,
    });
  }

  private logExceeded(request: AuthenticatedRequest, { action, dimension }: ThrottlerIdentity, detail: ThrottlerLimitDetail): void {
    const account = JSON.stringify(
      accountOf(request)
        .replace(/^username:/, '')
        .slice(0, 200),
    );
    const ip = clientInfo(request).clientIp ?? 'an unknown address';
    const over = dimension === 'account' ? `account ${account} (last from ${ip})` : `client ${ip} (last for ${account})`;
    this.log.warn(
      `${action} rate limit reached for ${over}: more than ${detail.limit} requests in ${Math.round(detail.ttl / 1000)} s; refusing until the window ends`,
    );
  }
}
