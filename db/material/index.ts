// The material side as functions over a database handle or an open transaction: the API's
// services call them, and so can a process effect (an NCMR putting its lots on hold).
export * from './actor';
export * from './material-refusal';
export * from './lot-status-rules';
export * from './items';
export * from './lots';
export * from './lot-status-ledger';
export * from './production';
export * from './trace';
export * from './trace-cards';
export * from './ncmr-holds';
export * from './defect-codes';
