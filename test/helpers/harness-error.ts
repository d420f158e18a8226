import { isHarnessError } from '../../src/core/errors.js';

/** The message of the HarnessError `fn` throws; anything else thrown (a crash) is rethrown, and no error fails. */
export function harnessErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isHarnessError(e)) return e.message;
    throw e;
  }
  throw new Error('no error');
}
