import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { sql } from 'drizzle-orm';
import { pdfGeneratorStatus, type PdfGeneratorStatus } from '../../activities/pdf-generator-heartbeat';
import type { AttestflowConfig } from '../../config/config';
import type { DatabaseHandle } from '../../db/client';
import { Public } from '../auth/auth.decorators';
import { HealthView } from './health.view';
import { InjectConfig, InjectDatabase, InjectRedis, InjectTemporal } from '../infrastructure';

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
    @InjectConfig() private readonly config: AttestflowConfig,
  ) {}

  /**
   * 503 "unavailable" when PostgreSQL, Redis or Temporal does not answer (the API cannot serve).
   * 200 "degraded" when only the PDF generator is stale (no heartbeat for three intervals):
   * signing and reading go on, dossiers wait in the database until a generator runs again, and an
   * orchestrator should not take the API out of service for it. 200 "ok" when all five are well.
   */
  @Public()
  @Get()
  @ApiOkResponse({ type: HealthView, description: 'Serving (status ok, or degraded when only the PDF generator is stale)' })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'PostgreSQL, Redis or Temporal does not answer' })
  async health(@Res({ passthrough: true }) response: Response) {
    let generator: PdfGeneratorStatus | undefined;
    const [postgresql, redis, temporal, pdfGeneratorProbe] = await Promise.all([
      check(() => this.database.db.execute(sql`SELECT 1`)),
      check(() => this.redis.ping()),
      check(() => this.temporal.connection.workflowService.getSystemInfo({})),
      check(async () => (generator = await pdfGeneratorStatus(this.redis, this.config.queuePrefix))),
    ]);
    const pdfGenerator = generator ? { ...generator, latencyMs: pdfGeneratorProbe.latencyMs } : pdfGeneratorProbe;
    const serving = postgresql.ok && redis.ok && temporal.ok;
    response.status(serving ? 200 : 503);
    return { status: serving ? (pdfGenerator.ok ? 'ok' : 'degraded') : 'unavailable', checks: { postgresql, redis, temporal, pdfGenerator } };
  }
}
