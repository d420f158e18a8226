import { createBadArgumentError } from '../core/errors.js';
import { JunitReporter } from './junit-reporter.js';
import { NdjsonReporter } from './ndjson-reporter.js';
import type { Reporter } from './reporter.js';
import { SpecReporter } from './spec-reporter.js';
import { ProgressReporter } from './progress-reporter.js';
import { colourWanted } from './terminal-colour.js';

/**
 * Builds reporters from `--reporter` values: `spec`, `junit:FILE`, `ndjson:FILE`; with `stderr` on a
 * terminal, a progress line there first.
 */
export function createReporters(specs: readonly string[], stdout: NodeJS.WritableStream, verbose: boolean, stderr?: NodeJS.WritableStream): Reporter[] {
  const list = specs.length === 0 ? ['spec'] : specs;
  const progress = stderr && (stderr as { isTTY?: boolean }).isTTY ? [new ProgressReporter(stderr)] : [];
  return [...progress, ...list.map((spec): Reporter => {
    const [name, file] = spec.split(/:(.*)/s, 2) as [string, string | undefined];
    if (name === 'spec' && !file) return new SpecReporter(stdout, verbose, colourWanted(stdout));
    if (name === 'junit' && file) return new JunitReporter(file);
    if (name === 'ndjson' && file) return new NdjsonReporter(file);
    throw createBadArgumentError(`--reporter ${spec}`, 'spec, junit:FILE or ndjson:FILE');
  })];
}
