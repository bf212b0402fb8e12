export * from './audit.repository';
export * from './users.repository';
export * from './records.repository';
export * from './signatures.repository';
export * from './tasks.repository';
export * from './identity.repository';
export * from './policy.repository';
export * from './pki.repository';
