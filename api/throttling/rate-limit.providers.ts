import type { Provider } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { AttestflowConfig } from '../../config/config';
import { CONFIG, REDIS } from '../infrastructure';
import { rateLimitOptions } from './rate-limit.throttlers';

/**
 * What @nestjs/throttler's module would provide, built over the app's configuration and its one
 * Redis client: the counters live in Redis, so every API process behind a load balancer shares them.
 */
export const rateLimitProviders: Provider[] = [
  { provide: getOptionsToken(), useFactory: (config: AttestflowConfig) => rateLimitOptions(config), inject: [CONFIG] },
  { provide: getStorageToken(), useFactory: (redis: Redis) => new ThrottlerStorageRedisService(redis), inject: [REDIS] },
];
