// The workflow clock. Inside the workflow sandbox the SDK replaces Date with the time of the
// current workflow task, recorded in history, so this is deterministic on replay. The one place
// workflow code reads the time.
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties -- Date is the SDK's deterministic clock here.
  return Date.now();
}
