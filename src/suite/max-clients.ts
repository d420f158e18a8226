/**
 * `--max-clients N`: each suite runs with the first N addresses of its source pool only, everything
 * else as written. For a slow lab (the kernel lab's guest runs about 50x slower than the host) the
 * tutorial suites then run as they are, sized down; checks see the smaller pool in the suite view.
 */
import { createBadArgumentError } from '../core/errors.js';
import type { LoadedSuite } from './load-suite.js';

export type SuiteAdapter = (suite: LoadedSuite) => LoadedSuite;

export function parseMaxClients(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1)) throw createBadArgumentError('--max-clients', `a whole number of clients, 1 or more (not ${text})`);
  return n;
}

export function limitClients(limit: number | undefined): SuiteAdapter {
  return (suite) => (limit === undefined || suite.sources.length <= limit ? suite : { ...suite, sources: suite.sources.slice(0, limit) });
}
