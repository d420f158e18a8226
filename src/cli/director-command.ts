/**
 * `lvs-harness director show FILE... [--json] [--hz N]`: reads saved director outputs (any ipvsadm 1.31 listing
 * or dump, /proc/net/ip_vs*, sysctl net.ipv4.vs; the format is told from each text), combines them
 * into one director model, and prints it as JSON or in the `ipvsadm -Ln` layout. With
 * `--director CMD` it reads a live director through that command prefix instead.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createBadArgumentError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { CommandDirector } from '../director/command-director.js';
import { splitCommandPrefix } from '../director/command-prefix.js';
import { combineReadings, parseDirectorText } from '../director/parse/index.js';
import { PROC_HZ, readInJiffies, timeoutsAtHz } from '../director/parse/proc-ip-vs.js';
import { snapshotListing } from '../director/snapshot-listing.js';
import { parseOrExplain } from './parse-or-explain.js';

export async function directorCommand(args: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'show') throw createBadArgumentError('director', 'director show FILE... [--json] [--hz N]');
  const { values, positionals } = parseOrExplain(() =>
    parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false }, director: { type: 'string' }, hz: { type: 'string' } } }),
  );
  if (values.director !== undefined) {
    if (positionals.length > 0) throw createBadArgumentError('director show --director', 'no files beside it (one director at a time)');
    if (values.hz !== undefined) throw createBadArgumentError('--hz', 'saved /proc/net/ip_vs files (a live director is read through ipvsadm, in seconds)');
    const live = await new CommandDirector(splitCommandPrefix(values.director)).read();
    io.stdout.write(values.json ? `${JSON.stringify(live, null, 2)}\n` : snapshotListing(live));
    return ExitCode.Passed;
  }
  if (positionals.length === 0) throw createBadArgumentError('director show', 'at least one file (ipvsadm -S -n, -Ln, -Lcn, --timeout output, /proc/net/ip_vs*, sysctl net.ipv4.vs)');
  const parts = [];
  for (const file of positionals) {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]).catch((e: Error) => {
      throw createBadArgumentError(`director show ${file}`, `a readable file (${e.message})`);
    });
    parts.push({ ...parseDirectorText(text, file), readAtMs: info.mtimeMs });
  }
  const combined = combineReadings(parts, { kind: 'file', description: positionals.join(', ') });
  const hz = values.hz === undefined ? PROC_HZ : tickRate(values.hz);
  const snapshot = { ...combined, config: timeoutsAtHz(combined.config, hz) };
  io.stdout.write(values.json ? `${JSON.stringify(snapshot, null, 2)}\n` : snapshotListing(snapshot));
  // /proc/net/ip_vs counts persistence in jiffies: say which tick rate turned them into seconds.
  if (!values.json && readInJiffies(snapshot.config)) {
    io.stdout.write(`\n# persistence timeouts from /proc/net/ip_vs (jiffies) read at HZ ${hz}${values.hz === undefined ? " (Debian's and Ubuntu's kernels); give --hz N for a kernel built with another CONFIG_HZ" : ''}\n`);
  }
  return ExitCode.Passed;
}

/** A kernel's CONFIG_HZ: 100, 250, 300 or 1000 in the kernel's Kconfig. */
function tickRate(text: string): number {
  if (!/^(100|250|300|1000)$/.test(text)) throw createBadArgumentError('--hz', "the director kernel's CONFIG_HZ: 100, 250, 300 or 1000 (grep CONFIG_HZ= /boot/config-$(uname -r))");
  return Number(text);
}
