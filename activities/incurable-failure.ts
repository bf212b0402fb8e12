// A database error that no retry can cure (a value PostgreSQL cannot store, a broken reference, a
// check that fails) must end the activity, not retry it for ever: the workflow then fails only the
// Update that asked for it, and nothing is written. Errors a retry can cure (a lost connection, a
// serialisation failure, a unique violation a retry resolves by finding its own row) pass unchanged.
import { ApplicationFailure } from '@temporalio/activity';
import { sqlStateOf } from '../db/sql-state';

/** SQLSTATE classes: 22 data exception, 23 integrity constraint violation, 42 syntax or access rule. */
export function isIncurableDatabaseError(error: unknown): boolean {
  const code = sqlStateOf(error);
  if (code === null || code === '23505') return false;
  return code.startsWith('22') || code.startsWith('23') || code.startsWith('42');
}

type ActivityFunction = (...args: never[]) => Promise<unknown>;

/** The same activities, each turning an incurable database error into a non-retryable `invalid_data` failure. */
export function withIncurableFailuresNotRetried<T extends Record<string, ActivityFunction>>(activities: T): T {
  const wrapped: Record<string, ActivityFunction> = {};
  for (const [name, run] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await run(...args);
      } catch (error) {
        if (!isIncurableDatabaseError(error)) throw error;
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
        throw ApplicationFailure.create({
          type: 'invalid_data',
          message: `The data cannot be stored (PostgreSQL ${sqlStateOf(error)}: ${cause}); nothing was changed.`,
          nonRetryable: true,
        });
      }
    };
  }
  return wrapped as T;
}
