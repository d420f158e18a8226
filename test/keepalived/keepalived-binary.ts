/**
 * Debian's keepalived in config-test mode (`keepalived -t`), so fixtures are checked against what
 * keepalived itself accepts, rejects and warns about. It exits 0 for a clean config and non-zero
 * once it reported anything; its messages (with `-l`) go to stderr.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export interface KeepalivedVerdict {
  status: number;
  lines: string[];
}

export function keepalivedAvailable(): boolean {
  return spawnSync('keepalived', ['--version'], { encoding: 'utf8' }).error === undefined;
}

export function keepalivedTest(file: string): KeepalivedVerdict {
  const r = spawnSync('keepalived', ['-t', '-l', '-f', path.resolve(file)], { encoding: 'utf8', timeout: 20_000 });
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return { status: r.status ?? -1, lines };
}
