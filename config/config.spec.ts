import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  test('defaults follow DESIGN.md', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/attestflow',
      redisUrl: 'redis://127.0.0.1:6379',
      temporalAddress: undefined,
      temporalNamespace: 'default',
      port: 3000,
      sessionIdleMinutes: 15,
    });
  });

  test.each([
    ['DATABASE_URL', 'mysql://x/y', 'DATABASE_URL must start with postgres:// or postgresql://'],
    ['REDIS_URL', 'not a url', 'REDIS_URL is not a valid URL'],
    ['PORT', '70000', 'PORT must be between 0 and 65535'],
    ['TEMPORAL_ADDRESS', 'http://temporal', 'TEMPORAL_ADDRESS must be host:port'],
    ['COOKIE_SECURE', 'maybe', 'COOKIE_SECURE must be true or false'],
    ['SEED_DEMO', 'always', 'SEED_DEMO must be one of auto, never'],
  ])('a bad %s is refused with a message naming it', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });
});
