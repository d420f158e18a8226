import { createBadArgumentError } from '../core/errors.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { thresholdName, type Threshold } from './parse.js';
import { unknownScope } from './suite-thresholds.js';

/** A `--threshold` scoped to a server or probe that no suite of the run has is a typo: refused before traffic. */
export function checkArgumentScopes(thresholds: readonly Threshold[], suites: readonly LoadedSuite[]): void {
  for (const t of thresholds) {
    const problems = suites.map((s) => unknownScope(t.scope, s.spec));
    const first = problems[0];
    if (suites.length > 0 && first && problems.every((p) => p !== null)) {
      throw createBadArgumentError(`--threshold '${thresholdName(t).replace(': ', ':')}'`, first);
    }
  }
}
