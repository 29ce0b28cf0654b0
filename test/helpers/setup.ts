import { afterAll, afterEach, beforeEach, jest } from '@jest/globals';
import nock from 'nock';

// A test fails if the code under test writes to console.error: errors must go through the logger.
let consoleErrors: unknown[][] = [];
let expected: RegExp | undefined;

/**
 * For a test that provokes a third-party library's own console.error (botbuilder logs refused tokens that way):
 * the messages matching `pattern` are expected; anything else still fails the test.
 */
export function expectConsoleErrors(pattern: RegExp) {
  expected = pattern;
}

beforeEach(() => {
  consoleErrors = [];
  expected = undefined;
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  nock.cleanAll();
  const unexpected = consoleErrors.filter((args) => !(expected && expected.test(args.map(String).join(' '))));
  consoleErrors = unexpected;
  if (consoleErrors.length) throw new Error(`console.error was called:\n${consoleErrors.map((a) => a.map(String).join(' ')).join('\n')}`);
});

// Nothing leaves the machine in tests: only localhost is reachable, everything else must be nocked.
nock.disableNetConnect();
nock.enableNetConnect(/127\.0\.0\.1|localhost/);

// nock 14 patches Node's http module, which jest shares between the test files one worker runs: without restoring
// it after each file, the next file's interceptors stack behind stale ones and stop matching (nock/nock#2802).
afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
