/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/data/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/test/support/quietRuntime.ts'],
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
  testTimeout: 120_000,
  // Temporal's native runtime keeps handles; environments are shut down in afterAll.
  forceExit: false,
};
