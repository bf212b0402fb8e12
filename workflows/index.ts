// The workflow bundle's entry: every workflow type the worker runs.
export { changeControl } from './change-control.workflow';
