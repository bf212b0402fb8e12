// The workflow bundle's entry: every workflow type the worker runs. A type removed from here is
// listed in api/temporal/retired-workflow-types.ts, so that a worker refuses to start while runs of
// it are still open (docs/workflow-versioning.md).
export { capa, changeControlProcess, documentRevision } from './processes';
