/**
 * A live director reached through a command prefix (`--director 'ssh root@lvs1'`): each reading runs
 * ipvsadm and sysctl through it, without a shell, and reads their output with the text parsers into
 * one model. The texts stay in the reading, for results and for a person checking what was read.
 */
import { setTimeout } from 'node:timers/promises';
import { createLiveDirectorOutputError, ErrorCode, isHarnessError } from '../core/errors.js';
import { combineReadings, parseDirectorText, type DirectorFormat, type DirectorReading } from './parse/index.js';
import { runDirectorCommand } from './director-command.js';
import type { Director, DirectorSnapshot, ReadMoment } from './model.js';

/** Each command a reading runs, and the format its output is in. */
const READINGS: ReadonlyArray<{ argv: readonly string[]; format: DirectorFormat }> = [
  { argv: ['ipvsadm', '-S', '-n'], format: 'ipvsadm-save' },
  // --stats prints no active/inactive counts: the plain listing gives them.
  { argv: ['ipvsadm', '-Ln'], format: 'ipvsadm-list' },
  { argv: ['ipvsadm', '-Ln', '--stats', '--exact'], format: 'ipvsadm-list' },
  { argv: ['ipvsadm', '-Lcn'], format: 'ipvsadm-connections' },
  { argv: ['ipvsadm', '-L', '--timeout'], format: 'ipvsadm-timeout' },
  { argv: ['sysctl', 'net.ipv4.vs'], format: 'sysctl' },
];

/**
 * The kernel folds its per-cpu counters into what `--stats` prints every 2 s (its estimator): a read
 * right after the traffic would miss the last connections. Every read after the first waits one fold.
 */
const STATS_FOLD_MS = 2500;

export class CommandDirector implements Director {
  readonly kind = 'live' as const;
  private reads = 0;

  constructor(
    private readonly prefix: readonly string[],
    private readonly foldMs = STATS_FOLD_MS,
  ) {}

  describe(): string {
    const via = this.prefix.length === 0 ? 'this host' : this.prefix.join(' ');
    return `live director via ${via}: ${READINGS.map((r) => r.argv.join(' ')).join('; ')}`;
  }

  async read(moment?: ReadMoment): Promise<DirectorSnapshot> {
    if (this.reads++ > 0) await setTimeout(this.foldMs);
    const readAtMs = Date.now();
    const texts: Record<string, string> = {};
    const parts = [];
    for (const { argv, format } of READINGS) {
      const command = argv.join(' ');
      texts[command] = await runDirectorCommand([...this.prefix, ...argv]);
      parts.push(parsedLive(texts[command], `${this.prefix.length === 0 ? '' : `${this.prefix.join(' ')} `}${command}`, format, moment));
    }
    const description = this.prefix.length === 0 ? 'this host' : this.prefix.join(' ');
    return { ...combineReadings(parts, { kind: 'live', description }), readAtMs, texts };
  }
}

/** The parsers' error about a file, said of a live director's output read at `moment`. */
function parsedLive(text: string, command: string, format: DirectorFormat, moment: ReadMoment | undefined): DirectorReading {
  try {
    return parseDirectorText(text, command, format);
  } catch (e) {
    throw isHarnessError(e) && e.code === ErrorCode.BAD_DIRECTOR_CONFIG ? createLiveDirectorOutputError(e, moment) : e;
  }
}
