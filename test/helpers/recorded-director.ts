/**
 * A recorded director: a script that prints, for each command the harness runs through
 * `--director`, what a director printed for it, so the command director and its parsers can be
 * tested without a kernel. The texts are the embedded lab's own (ipvsadm's formats, from a reading
 * of its table); `record` may be called again to move the recording on.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatListing, formatSave, formatStats, formatConnections, formatTimeouts, formatSysctls } from '../../src/director/ipvsadm-views.js';
import type { DirectorSnapshot } from '../../src/director/model.js';

const FILES: ReadonlyArray<[command: string, file: string, view: (r: DirectorSnapshot) => string]> = [
  ['ipvsadm -S -n', 'save.txt', formatSave],
  ['ipvsadm -Ln', 'listing.txt', (r) => formatListing(r)],
  ['ipvsadm -Ln --stats --exact', 'stats.txt', formatStats],
  ['ipvsadm -Lcn', 'connections.txt', formatConnections],
  ['ipvsadm -L --timeout', 'timeout.txt', formatTimeouts],
  ['sysctl net.ipv4.vs', 'sysctl.txt', formatSysctls],
];

export interface RecordedDirector {
  /** The prefix to give `--director`: the script's path. */
  script: string;
  record(reading: DirectorSnapshot): void;
}

/** A script that prints, for each command, the file given for it (relative to `base`, default the script's folder). */
function writeScript(script: string, files: ReadonlyArray<readonly [command: string, file: string]>, base = '$(dirname "$0")'): void {
  const cases = files.map(([command, file]) => `  '${command}') exec cat "$d/${file}" ;;`).join('\n');
  writeFileSync(
    script,
    `#!/bin/sh\n# Prints what the director printed for each reading command.\nd=${base}\ncase "$*" in\n${cases}\n  *) echo "recorded director: nothing recorded for: $*" >&2; exit 2 ;;\nesac\n`,
  );
  chmodSync(script, 0o755);
}

/** The kernel 6.1 lab's own outputs (test/fixtures/director/kernel-6.1), served as a live director. */
export function recordedKernelDirector(dir: string): string {
  return recordedFixtureDirector(dir, 'test/fixtures/director/kernel-6.1', {
    save: 'ipvsadm-S-n.txt',
    listing: 'ipvsadm-Ln.txt',
    stats: 'ipvsadm-Ln-stats-exact.txt',
    connections: 'ipvsadm-Lcn.txt',
    timeout: 'ipvsadm-Ln-timeout.txt',
    sysctl: 'sysctl-net.ipv4.vs.txt',
  });
}

/** Saved outputs, one per reading command (paths relative to `base`), served as a live director. */
export function recordedFixtureDirector(dir: string, base: string, files: Record<'save' | 'listing' | 'stats' | 'connections' | 'timeout' | 'sysctl', string>): string {
  const script = path.join(dir, 'recorded-fixture-director');
  writeScript(
    script,
    [
      ['ipvsadm -S -n', files.save],
      ['ipvsadm -Ln', files.listing],
      ['ipvsadm -Ln --stats --exact', files.stats],
      ['ipvsadm -Lcn', files.connections],
      ['ipvsadm -L --timeout', files.timeout],
      ['sysctl net.ipv4.vs', files.sysctl],
    ],
    path.resolve(base),
  );
  return script;
}

export function recordedDirector(dir: string): RecordedDirector {
  const script = path.join(dir, 'recorded-director');
  writeScript(script, FILES.map(([command, file]) => [command, file] as const));
  return {
    script,
    record(reading) {
      for (const [, file, view] of FILES) writeFileSync(path.join(dir, file), view(reading));
    },
  };
}
