/** `lvs-harness lab up [--kernel] <suite>`: a lab alone, for trying it by hand, until Ctrl-C. */
import { createBadArgumentError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { embeddedLabFactory } from '../lab/embedded-lab-factory.js';
import { resolveCheck } from '../runner/check-resolver.js';
import { loadSuite } from '../suite/load-suite.js';
import { kernelLabUp } from './kernel-command.js';
import { USAGE } from './usage.js';

export async function labCommand(args: string[], io: { stdout: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(USAGE);
    return ExitCode.Passed;
  }
  const kernel = args.includes('--kernel');
  const [sub, file, ...extra] = args.filter((a) => a !== '--kernel');
  if (sub !== 'up' || !file || extra.length > 0) throw createBadArgumentError('lab', 'lab up [--kernel] <suite.yaml>');
  if (kernel) return kernelLabUp(file, signal, io.stdout);
  const suite = await loadSuite(file, resolveCheck);
  const lab = (await embeddedLabFactory()(suite))!;
  io.stdout.write(`${lab.describe()}\nThe lab runs until Ctrl-C.\n`);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await lab.close();
  return ExitCode.Passed;
}
