import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { loadConfig } from '../../config/config';
import { AppError } from '../common/app-error';
import { RateLimitGuard } from './rate-limit.guard';
import { accountOf, clientOf, rateLimitOptions } from './rate-limit.throttlers';
import { carriesSecondFactorCode, RateLimited } from './rate-limited.decorator';

class Routes {
  @RateLimited('login', { action: 'totp', when: carriesSecondFactorCode })
  login() {}

  @RateLimited('signing')
  sign() {}

  unlimited() {}
}

const config = loadConfig({ QUEUE_PREFIX: 'spec' });

function context(handler: keyof Routes, body: unknown = { username: 'QA ' }, user?: { id: string; username: string }) {
  const headers: Record<string, string> = {};
  const request = { body, user, ip: '10.1.2.3', socket: { remoteAddress: '10.1.2.3' }, get: () => undefined };
  const response = { header: (name: string, value: string) => (headers[name] = value), setHeader: (name: string, value: string) => (headers[name] = value) };
  return { ctx: new ExecutionContextHost([request, response], Routes, Routes.prototype[handler]), headers };
}

/** A storage that records what was counted and answers as told. */
function storage(answer: (key: string, limit: number) => Promise<{ totalHits: number; isBlocked: boolean; timeToBlockExpire: number }>) {
  const counted: string[] = [];
  const store: ThrottlerStorage = {
    async increment(key, _ttl, limit, _block, name) {
      counted.push(name);
      return { timeToExpire: 60, ...(await answer(key, limit)) };
    },
  };
  return { store, counted };
}

async function guard(store: ThrottlerStorage): Promise<RateLimitGuard> {
  const created = new RateLimitGuard(rateLimitOptions(config), store, new Reflector());
  await created.onModuleInit();
  return created;
}

describe('RateLimitGuard', () => {
  test('a route counts only its own actions, per account and per client; TOTP only when a code is carried', async () => {
    const { store, counted } = storage(async () => ({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 }));
    const rateLimit = await guard(store);
    expect(await rateLimit.canActivate(context('login').ctx)).toBe(true);
    expect(counted.sort()).toEqual(['login:account', 'login:client']);
    counted.length = 0;
    expect(await rateLimit.canActivate(context('login', { username: 'qa', totpCode: '123456' }).ctx)).toBe(true);
    expect(counted.sort()).toEqual(['login:account', 'login:client', 'totp:account', 'totp:client']);
    counted.length = 0;
    expect(await rateLimit.canActivate(context('unlimited').ctx)).toBe(true);
    expect(counted).toEqual([]);
  });

  test('over the limit: 429 rate_limited with Retry-After, in the { code, message } shape', async () => {
    const { store } = storage(async (_key, limit) => ({ totalHits: limit + 1, isBlocked: true, timeToBlockExpire: 42 }));
    const rateLimit = await guard(store);
    const { ctx, headers } = context('sign', {}, { id: 'u1', username: 'qa' });
    const refusal = await rateLimit.canActivate(ctx).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'rate_limited', status: 429, details: { retryAfterSeconds: 42 } });
    expect((refusal as AppError).message).toMatch(/Too many signature requests .* try again in 42 s/);
    expect(headers['Retry-After']).toBe('42');
  });

  test('when the counter store fails, the request passes (lockout still applies)', async () => {
    const { store } = storage(() => Promise.reject(new Error("Stream isn't writeable")));
    const rateLimit = await guard(store);
    expect(await rateLimit.canActivate(context('login').ctx)).toBe(true);
  });

  test('accounts by username (trimmed, lower-cased, the signed-in one first); clients by address, IPv6 per /64 network', () => {
    expect(accountOf({ body: { username: ' QA ' } } as never)).toBe('username:qa');
    expect(accountOf({ body: { username: 'other' }, user: { username: 'Qa' } } as never)).toBe('username:qa');
    expect(accountOf({ body: 'not an object' } as never)).toBe('username:');
    const ip = (address: string) => clientOf({ ip: address, socket: {}, get: () => undefined } as never);
    expect(ip('10.1.2.3')).toBe('ip:10.1.2.3');
    expect(ip('2001:db8:1:1::1')).toBe(ip('2001:db8:1:1:ffff::2'));
    expect(ip('2001:db8:1:1::1')).not.toBe(ip('2001:db8:1:2::1'));
  });
});
