import { ConfigError, loadConfig } from './config';

describe('AUDIT_CHECKPOINT_INTERVAL', () => {
  test('defaults to 5 minutes and takes a duration', () => {
    expect(loadConfig({}).auditCheckpointIntervalMs).toBe(300_000);
    expect(loadConfig({ AUDIT_CHECKPOINT_INTERVAL: '30s' }).auditCheckpointIntervalMs).toBe(30_000);
    expect(loadConfig({ AUDIT_CHECKPOINT_INTERVAL: '15 minutes' }).auditCheckpointIntervalMs).toBe(900_000);
  });

  test('a bad or too short interval is refused with a message naming it', () => {
    expect(() => loadConfig({ AUDIT_CHECKPOINT_INTERVAL: 'often' })).toThrow(ConfigError);
    expect(() => loadConfig({ AUDIT_CHECKPOINT_INTERVAL: '500ms' })).toThrow('AUDIT_CHECKPOINT_INTERVAL must be at least 1s');
  });
});
