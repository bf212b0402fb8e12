// The trivial workflow behind the Temporal Update baseline: an Update handler that returns its
// argument, and nothing else; it waits (without timers or activities) until told to stop.
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const echoUpdate = defineUpdate<string, [string]>('echo');
export const stopSignal = defineSignal('stop');

export async function echo(): Promise<void> {
  let stopped = false;
  setHandler(echoUpdate, (value) => value);
  setHandler(stopSignal, () => {
    stopped = true;
  });
  await condition(() => stopped);
}
