export * from './identity';
export * from './records';
export * from './signatures';
export * from './tasks';
export * from './audit';
export * from './policy';
export * from './pki';
export * from './artifacts';
