// Unit specs sit beside their code (*.spec.ts); integration tests live in test/ (*.test.ts) and
// run against the real PostgreSQL, Redis and a Temporal dev server started by the global setup.
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: [
    '<rootDir>/{api,activities,cli,config,db,processes,signatures,templates,workflows}/**/*.spec.ts',
    '<rootDir>/web/src/**/*.spec.ts',
    '<rootDir>/test/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/data/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A test waits for what the system does by itself up to PATIENCE_MS (test/support/patience.ts).
  testTimeout: 15 * 60_000,
  maxWorkers: 2,
  verbose: true,
};
