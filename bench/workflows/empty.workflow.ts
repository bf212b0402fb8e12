// The trivial workflow behind the workflow-start baseline: no activities, no timers, no handlers;
// it completes in its first workflow task.
export async function benchEmpty(): Promise<void> {
  // nothing to do
}
