export * from './canonical-json';
export * from './password';
export * from './audit-chain';
