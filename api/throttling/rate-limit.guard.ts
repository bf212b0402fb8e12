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
import type { DatabaseHandle } from '../../db/client';
import { appendAuditEvent } from '../../db/repositories';
import { AppError } from '../common/app-error';
import { clientInfo, type AuthenticatedRequest } from '../common/request-context';
import { InjectDatabase } from '../infrastructure';
import { accountOf, parseThrottlerName, type ThrottlerIdentity } from './rate-limit.throttlers';

const ACTION_WORDS = { login: 'sign-in', signing: 'signature', totp: 'authenticator code', password_reset: 'password reset or change' } as const;

/**
 * Throttles the routes marked @RateLimited (login, e-signatures, TOTP, password resets) per account
 * and per client address, with counters in Redis shared by every API process. A refused request
 * answers 429 rate_limited with Retry-After and reaches no handler: it verifies no password and
 * writes nothing, except that the first refusal of a window appends one `rate_limit.exceeded`
 * audit event (later ones in the same block append nothing, so a flood cannot flood the trail).
 * If Redis cannot be reached the request is let through and a warning logged: lockout after
 * failed attempts still applies.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');
  private readonly current = new WeakMap<ExecutionContext, ThrottlerIdentity>();
  private lastStorageWarning = 0;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectDatabase() private readonly database: DatabaseHandle,
  ) {
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
    const request = http.getRequest<AuthenticatedRequest>();
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    const identity = this.current.get(context);
    const what = identity ? ACTION_WORDS[identity.action] : 'such';
    const who = identity?.dimension === 'client' ? 'from your address' : 'for this account';
    // The request that first goes over the limit is the one (INCR is atomic) to leave a trace.
    if (identity && detail.totalHits === detail.limit + 1) await this.audit(request, identity, detail, retryAfter);
    throw new AppError('rate_limited', `Too many ${what} requests ${who}: try again in ${retryAfter} s. Nothing was done.`, {
      retryAfterSeconds: retryAfter,
    });
  }

  private async audit(request: AuthenticatedRequest, identity: ThrottlerIdentity, detail: ThrottlerLimitDetail, retryAfter: number): Promise<void> {
    const user = request.user;
    const typed = accountOf(request)
      .replace(/^username:/, '')
      .slice(0, 200);
    try {
      await this.database.db.transaction((tx) =>
        appendAuditEvent(tx, {
          occurredAt: new Date(),
          actorId: user?.id ?? null,
          actorName: user?.printedName ?? (typed || 'unknown'),
          action: 'rate_limit.exceeded',
          entityType: identity.dimension === 'account' ? 'user' : 'client',
          entityId: identity.dimension === 'account' ? (user?.id ?? typed) : (clientInfo(request).clientIp ?? 'unknown'),
          newValue: {
            action: identity.action,
            per: identity.dimension,
            limit: detail.limit,
            windowSeconds: Math.round(detail.ttl / 1000),
            retryAfterSeconds: retryAfter,
          },
          reason: `more than ${detail.limit} ${identity.action.replace('_', ' ')} requests ${identity.dimension === 'client' ? 'from one client address' : 'for one account'} within ${Math.round(detail.ttl / 1000)} s; further requests are refused until the window ends`,
          ...clientInfo(request),
        }),
      );
    } catch (error) {
      this.log.error(`Could not audit a rate limit: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
