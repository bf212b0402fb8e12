import { createHash } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DEFAULT_IPV6_SUBNET_PREFIX, normalizeIp, type ThrottlerModuleOptions, type ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { RATE_LIMITED_ACTIONS, type AttestflowConfig, type RateLimitedAction } from '../../config/config';
import { clientInfo, type AuthenticatedRequest } from '../common/request-context';

export const RATE_LIMITED = 'attestflow:rate-limited';

/** One throttled action of a route; `when` narrows it to some requests (e.g. those carrying a TOTP code). */
export interface RouteRateLimit {
  action: RateLimitedAction;
  when?: (request: Request) => boolean;
}

export type RateLimitDimension = 'account' | 'client';

/** What one named throttler counts: an action, per account or per client address. */
export interface ThrottlerIdentity {
  action: RateLimitedAction;
  dimension: RateLimitDimension;
}

export const throttlerName = ({ action, dimension }: ThrottlerIdentity) => `${action}:${dimension}`;

export function parseThrottlerName(name: string): ThrottlerIdentity | undefined {
  const [action, dimension] = name.split(':');
  if (!(RATE_LIMITED_ACTIONS as readonly string[]).includes(action ?? '') || (dimension !== 'account' && dimension !== 'client')) return undefined;
  return { action: action as RateLimitedAction, dimension };
}

/**
 * The account a request acts for, by username: the signed-in person's, or on sign-in the one typed
 * (trimmed, lower-cased, so that "QA " and "qa" share one count), so that a TOTP code tried at
 * sign-in and one tried at enrolment count together. Read before validation: any body gets a key.
 */
export function accountOf(request: AuthenticatedRequest): string {
  const username = request.user?.username ?? (request.body as { username?: unknown } | undefined)?.username;
  return `username:${typeof username === 'string' ? username.trim().toLowerCase() : ''}`;
}

/** The client address as recorded in the audit trail; IPv6 clients count per /64, the network one host can pick addresses in. */
export function clientOf(request: Request): string {
  const ip = clientInfo(request).clientIp;
  return ip ? `ip:${normalizeIp(ip, DEFAULT_IPV6_SUBNET_PREFIX)}` : 'ip:unknown';
}

const reflector = new Reflector();

/** The actions the route is limited under that apply to this request. */
export function routeActions(context: ExecutionContext): RateLimitedAction[] {
  const limits = reflector.getAllAndOverride<RouteRateLimit[] | undefined>(RATE_LIMITED, [context.getHandler(), context.getClass()]) ?? [];
  const request = context.switchToHttp().getRequest<Request>();
  return limits.filter((limit) => !limit.when || limit.when(request)).map((limit) => limit.action);
}

/**
 * One throttler per action and dimension (login:account, login:client, signing:account …), each
 * active only on the routes marked @RateLimited with its action. Keys carry the installation's
 * prefix (QUEUE_PREFIX) and a hash of the account or address, never the raw username.
 */
export function rateLimitOptions(config: AttestflowConfig): ThrottlerModuleOptions {
  const throttlers: ThrottlerOptions[] = RATE_LIMITED_ACTIONS.flatMap((action) =>
    (['account', 'client'] as const).map((dimension): ThrottlerOptions => {
      const { limit, windowMs } = dimension === 'account' ? config.rateLimits[action].perAccount : config.rateLimits[action].perClient;
      return {
        name: throttlerName({ action, dimension }),
        limit,
        ttl: windowMs,
        blockDuration: windowMs,
        skipIf: (context) => !routeActions(context).includes(action),
        getTracker: (request) => (dimension === 'account' ? accountOf(request as AuthenticatedRequest) : clientOf(request as Request)),
      };
    }),
  );
  return {
    throttlers,
    // Retry-After is set by the guard, under its standard name; per-throttler headers would name internals.
    setHeaders: false,
    generateKey: (_context, tracker, name) => `${config.queuePrefix}:rate-limit:${name}:${createHash('sha256').update(tracker).digest('base64url')}`,
  };
}
