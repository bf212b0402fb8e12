import { ApplicationFailure } from '@temporalio/activity';
import { isIncurableDatabaseError, withIncurableFailuresNotRetried } from './incurable-failure';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('incurable database errors', () => {
  test.each(['22P05', '22001', '23503', '23514', '42703'])('%s is not retried', (code) => {
    expect(isIncurableDatabaseError(pgError(code))).toBe(true);
  });

  test.each(['23505', '40001', '57P01', '08006'])('%s is left to the retry policy', (code) => {
    expect(isIncurableDatabaseError(pgError(code))).toBe(false);
  });

  test('a driver error wrapped by Drizzle is recognised through its cause', () => {
    expect(isIncurableDatabaseError(new Error('Failed query: insert …', { cause: pgError('22P05') }))).toBe(true);
  });

  test('errors without a SQLSTATE are left alone', () => {
    expect(isIncurableDatabaseError(new Error('boom'))).toBe(false);
    expect(isIncurableDatabaseError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
  });

  test('a wrapped activity turns an incurable error into a non-retryable invalid_data failure and passes others through', async () => {
    const transient = pgError('40001');
    const activities = withIncurableFailuresNotRetried({
      store: async () => {
        throw pgError('22P05');
      },
      busy: async () => {
        throw transient;
      },
      fine: async (value: number) => value * 2,
    });
    const failure = await activities.store().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'invalid_data', nonRetryable: true });
    await expect(activities.busy()).rejects.toBe(transient);
    await expect(activities.fine(21)).resolves.toBe(42);
  });
});
