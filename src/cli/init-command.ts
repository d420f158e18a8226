/** `lvs-harness init [FILE]`: a commented starter suite that runs as it is against the embedded lab. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBadArgumentError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { ensureWritableFile } from './output-paths.js';
import { packageRoot } from './package-info.js';

export async function initCommand(args: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write('Usage: lvs-harness init [FILE]   write a commented starter suite to FILE (default: suite.yaml); an existing file is kept\n');
    return ExitCode.Passed;
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown !== undefined || args.length > 1) throw createBadArgumentError('init', 'at most one FILE: lvs-harness init [FILE]');
  const file = args[0] ?? 'suite.yaml';
  const root = packageRoot();
  // The editor finds the schema relative to the suite, wherever the package is installed.
  const schema = path.relative(path.dirname(path.resolve(file)), path.join(root, 'schema', 'suite.schema.json'));
  const text = `# yaml-language-server: $schema=${schema}\n${readFileSync(path.join(root, 'templates', 'starter-suite.yaml'), 'utf8')}`;
  ensureWritableFile('init', file);
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw createBadArgumentError(`init ${file}`, 'a file that does not exist yet (it is kept as it is)');
    throw e;
  }
  io.stdout.write(`wrote ${file}: run it with \`lvs-harness run ${file}\`\n`);
  return ExitCode.Passed;
}
