/** `lvs-harness lab up [--kernel] [--keepalived-id NAME] <suite>`: a lab alone, for trying it by hand, until Ctrl-C. */
import { createBadArgumentError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { embeddedLabFactory } from '../lab/embedded-lab-factory.js';
import { resolveCheck } from '../runner/check-resolver.js';
import { loadSuite, type LoadedSuite } from '../suite/load-suite.js';
import { kernelLabUp } from './kernel-command.js';
import { parseKeepalivedId } from './keepalived-id.js';
import { USAGE } from './usage.js';

export async function labCommand(args: string[], io: { stdout: NodeJS.WritableStream }, signal: AbortSignal): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(USAGE);
    return ExitCode.Passed;
  }
  const kernel = args.includes('--kernel');
  const idAt = args.indexOf('--keepalived-id');
  const keepalivedId = idAt === -1 ? undefined : parseKeepalivedId(args[idAt + 1] ?? '');
  const [sub, file, ...extra] = args.filter((a, i) => a !== '--kernel' && (idAt === -1 || (i !== idAt && i !== idAt + 1)));
  if (sub !== 'up' || !file || extra.length > 0) throw createBadArgumentError('lab', 'lab up [--kernel] [--keepalived-id NAME] <suite.yaml>');
  const options = keepalivedId === undefined ? {} : { keepalivedId };
  if (kernel) return kernelLabUp(file, signal, io.stdout, options);
  const suite = await loadSuite(file, resolveCheck, options);
  const lab = (await embeddedLabFactory()(suite))!;
  io.stdout.write(`${lab.describe()}\n${benchHint(suite)}The lab runs until Ctrl-C.\n`);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await lab.close();
  return ExitCode.Passed;
}

/** bench cannot see persistence on the wire; here the suite says it, so the user learns to spread the sources. */
function benchHint(suite: LoadedSuite): string {
  const http = suite.spec.probes.find((p) => p.type === 'http');
  if (!http) return '';
  const url = `http://${suite.spec.vip}:${http.port}${http.path}`;
  const pool = suite.spec.clients.sources;
  const sources = typeof pool === 'string' ? pool : pool.join(',');
  return suite.spec.service.persistence
    ? `The service is persistent: from one source every request follows one template to one real server. Bench it from the suite's clients:\n  lvs-harness bench -n 1000 -c 10 --sources ${sources} ${url}\n`
    : `Bench it: lvs-harness bench -n 1000 -c 10 ${url}\n`;
}
