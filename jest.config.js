/** What every project shares: TypeScript through ts-jest, quiet Temporal logs, processes stopped. */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/data/'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    '/node_modules/@electric-sql/pglite/dist/.+\\.cjs$': '<rootDir>/test/support/requireForImport.js',
    '/node_modules/cookie/dist/.+\\.js$': '<rootDir>/test/support/esmToCommonJs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(@electric-sql/pglite|cookie)/)'],
  setupFiles: ['<rootDir>/test/support/quietRuntime.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/stopProcesses.ts'],
};

/**
 * The date-sensitive pure tests again, each with jest's fake clock fixed at an instant where dates
 * go wrong: a Friday night, a bank-holiday Monday, both clock changes, a year's last minute and a
 * leap day. They pass on any day only if they pass on these.
 */
const INSTANTS = {
  'a Friday night': '2026-12-04T23:30:00Z',
  'a bank-holiday Monday': '2027-05-03T08:00:00Z',
  'the last Sunday of March, before the clocks go forward': '2027-03-28T00:30:00Z',
  'the last Sunday of October, in the repeated hour': '2027-10-31T00:30:00Z',
  '31 December at 23:59': '2026-12-31T23:59:00Z',
  '29 February 2028': '2028-02-29T12:00:00Z',
};
const DATE_SENSITIVE = [
  '<rootDir>/calendar/**/*.test.ts',
  '<rootDir>/machines/**/*.test.ts',
  '<rootDir>/reports/**/*.test.ts',
  '<rootDir>/workflows/caseRecord.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  // A run-wide setting: a project's own is not applied.
  testTimeout: 120_000,
  // Temporal's native runtime keeps handles; environments are shut down in afterAll.
  forceExit: false,
  projects: [
    { ...common, displayName: 'now', testMatch: ['**/*.test.ts'] },
    ...Object.entries(INSTANTS).map(([name, at]) => ({
      ...common,
      displayName: `on ${name}`,
      testMatch: DATE_SENSITIVE,
      fakeTimers: { enableGlobally: true, now: Date.parse(at), advanceTimers: true },
    })),
  ],
};
