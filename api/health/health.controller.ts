import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/client';
import { Public } from '../auth/auth.decorators';
import { InjectDatabase, InjectRedis, InjectTemporal } from '../infrastructure';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const started = performance.now();
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref())]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectRedis() private readonly redis: Redis,
    @InjectTemporal() private readonly temporal: Client,
  ) {}

  /** 200 only when PostgreSQL, Redis and Temporal all answer; 503 naming the one that does not. */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const [postgresql, redis, temporal] = await Promise.all([
      check(() => this.database.db.execute(sql`SELECT 1`)),
      check(() => this.redis.ping()),
      check(() => this.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ok = postgresql.ok && redis.ok && temporal.ok;
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: { postgresql, redis, temporal } };
  }
}
