// Providers for the outside world: configuration, PostgreSQL, Redis, the Temporal client.
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import Redis from 'ioredis';
import type { AttestflowConfig } from '../config/config';
import { connectDatabase, type DatabaseHandle } from '../db/client';

export const CONFIG = Symbol('CONFIG');
export const DATABASE = Symbol('DATABASE');
export const REDIS = Symbol('REDIS');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

export const InjectConfig = () => Inject(CONFIG);
export const InjectDatabase = () => Inject(DATABASE);
export const InjectRedis = () => Inject(REDIS);
export const InjectTemporal = () => Inject(TEMPORAL_CLIENT);

/** Everything the application needs to know at start: validated config plus where Temporal is. */
export interface AppSettings {
  config: AttestflowConfig;
  temporalAddress: string;
  /** Also run the Temporal worker inside this process. */
  runWorker: boolean;
  workflowBundlePath?: string;
}
export const SETTINGS = Symbol('SETTINGS');

@Injectable()
export class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @InjectDatabase() private readonly database: DatabaseHandle,
    @InjectRedis() private readonly redis: Redis,
    @InjectTemporal() private readonly temporal: Client,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.temporal.connection.close(), this.database.close(), this.redis.quit()]);
  }
}

export function infrastructureProviders(settings: AppSettings): Provider[] {
  return [
    { provide: SETTINGS, useValue: settings },
    { provide: CONFIG, useValue: settings.config },
    { provide: DATABASE, useFactory: () => connectDatabase(settings.config.databaseUrl) },
    {
      provide: REDIS,
      useFactory: () => {
        const redis = new Redis(settings.config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
        redis.on('error', () => undefined); // reported by /api/health, not by crashing
        return redis;
      },
    },
    {
      provide: TEMPORAL_CLIENT,
      useFactory: async () => {
        const connection = await Connection.connect({ address: settings.temporalAddress });
        return new Client({ connection, namespace: settings.config.temporalNamespace });
      },
    },
    ConnectionsCloser,
  ];
}
