/** Unit, bot, card, HTTP and integration tests: `npm test`. End-to-end journeys: `npm run test:e2e`. */
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
};

export default process.env.JEST_E2E
  ? { ...base, testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], testTimeout: 180_000, maxWorkers: 1 }
  : { ...base, testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/bench/'], testTimeout: 30_000 };
