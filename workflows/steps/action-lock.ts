// One action at a time: each Update handler, timer and watcher acts on the live state inside this
// lock, so the next one starts after the previous one's activity returned and re-checks its rules.
import { condition } from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import type { ProcessState } from '../contracts/process-contracts';
import type { ProcessRunState } from './process-state';

/** Runs `run` as the process's one action at a time, on its live state, once the record exists. */
export type Exclusive = <T>(run: (current: ProcessState) => Promise<T>) => Promise<T>;

/**
 * `serialised` (decided once, by patched()) picks the mutex. The mutex admits one waiter when it is
 * released; the boolean lock it replaces let every waiter through at once (concurrent approvers then
 * left a quorum full and the step never ended). Executions begun before the patch keep the boolean.
 */
export function actionLock(state: ProcessRunState, serialised: boolean): Exclusive {
  const mutex = new Mutex();
  let busy = false;
  return async <T>(run: (current: ProcessState) => Promise<T>): Promise<T> => {
    if (serialised) {
      await condition(() => state.exists);
      return mutex.runExclusive(() => run(state.record));
    }
    await condition(() => state.exists && !busy);
    busy = true;
    try {
      return await run(state.record);
    } finally {
      busy = false;
    }
  };
}
