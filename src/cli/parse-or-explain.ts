import { createBadArgumentError } from '../core/errors.js';
import { USAGE } from './usage.js';

/** Turns node:util parseArgs' exception into the CLI's bad-argument error with the usage line. */
export function parseOrExplain<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw createBadArgumentError('arguments', `${(e as Error).message.split('\n')[0]}. ${USAGE.split('\n')[1]}`);
  }
}
