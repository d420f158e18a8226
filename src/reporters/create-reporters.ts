import { createBadArgumentError } from '../core/errors.js';
import { JunitReporter } from './junit-reporter.js';
import { NdjsonReporter } from './ndjson-reporter.js';
import type { Reporter } from './reporter.js';
import { SpecReporter } from './spec-reporter.js';

/** Builds reporters from `--reporter` values: `spec`, `junit:FILE`, `ndjson:FILE`. */
export function createReporters(specs: readonly string[], stdout: NodeJS.WritableStream, verbose: boolean): Reporter[] {
  const list = specs.length === 0 ? ['spec'] : specs;
  return list.map((spec) => {
    const [name, file] = spec.split(/:(.*)/s, 2) as [string, string | undefined];
    if (name === 'spec' && !file) return new SpecReporter(stdout, verbose);
    if (name === 'junit' && file) return new JunitReporter(file);
    if (name === 'ndjson' && file) return new NdjsonReporter(file);
    throw createBadArgumentError(`--reporter ${spec}`, 'spec, junit:FILE or ndjson:FILE');
  });
}
