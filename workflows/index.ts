// The workflow bundle's entry: every workflow type the worker runs.
// `changeControl` is the first, single-approval change control: kept so that its recorded
// histories replay and any instance started before the full process existed can finish.
export { changeControl } from './change-control.workflow';
export { capa, changeControlProcess, documentRevision, ncmr } from './processes';
