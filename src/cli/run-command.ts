/** `lvs-harness run`: options, the lab to use, reporters; then the runner. */
import { parseArgs } from 'node:util';
import { createBadArgumentError } from '../core/errors.js';
import { readDirectorConfig } from '../lab/director-config-file.js';
import { embeddedLabFactory } from '../lab/embedded-lab-factory.js';
import { createReporters } from '../reporters/create-reporters.js';
import { ResultsWriter } from '../reporters/results-writer.js';
import { HtmlReportWriter } from '../reporters/html-report-writer.js';
import { run } from '../runner/run.js';
import { limitClients, parseMaxClients } from '../suite/max-clients.js';
import { kernelRun } from './kernel-command.js';
import { parseOrExplain } from './parse-or-explain.js';
import { printError } from './print-error.js';
import { parseThresholdArguments } from './threshold-arguments.js';

export async function runCommand(args: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseOrExplain(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        lab: { type: 'string', default: 'embedded' },
        reporter: { type: 'string', multiple: true, default: [] },
        results: { type: 'string', default: 'results' },
        verbose: { type: 'boolean', default: false },
        'director-config': { type: 'string' },
        'fwmark-rules': { type: 'string' },
        'max-clients': { type: 'string' },
        threshold: { type: 'string', multiple: true, default: [] },
      },
    }),
  );
  if (positionals.length === 0) throw createBadArgumentError('run', 'at least one suite file');
  const lab = values.lab;
  if (lab !== 'embedded' && lab !== 'none' && lab !== 'kernel') throw createBadArgumentError('--lab', 'embedded, kernel or none');
  const dump = values['director-config'];
  if (values['fwmark-rules'] !== undefined && dump === undefined) throw createBadArgumentError('--fwmark-rules', 'a --director-config beside it');
  if (dump !== undefined && lab === 'none') throw createBadArgumentError('--director-config', '--lab embedded or kernel (it sets up a lab)');
  const override = dump === undefined ? undefined : await readDirectorConfig(dump, values['fwmark-rules']);
  const thresholds = parseThresholdArguments(values.threshold);
  const prepareSuite = limitClients(parseMaxClients(values['max-clients']));
  const reporters = () => [new ResultsWriter(['run', ...args], lab), new HtmlReportWriter(), ...createReporters(values.reporter, io.stdout, values.verbose, io.stderr)];
  const result =
    lab === 'kernel'
      ? await kernelRun({ args, suiteFiles: positionals, resultsRoot: values.results, override, prepareSuite, reporters, signal, out: io.stdout, thresholds })
      : await run({
          suiteFiles: positionals,
          startLab: lab === 'embedded' ? embeddedLabFactory(override) : async () => null,
          prepareSuite,
          labName: lab,
          resultsRoot: values.results,
          reporters: reporters(),
          signal,
          thresholds,
        });
  // A number is the exit code of the harness inside the kernel lab's guest, which printed for itself.
  if (typeof result === 'number') return result;
  if (result.error) printError(result.error, io.stderr);
  return result.exitCode;
}
