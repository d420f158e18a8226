/**
 * `sysctl net.ipv4.vs` (or `sysctl -a | grep net.ipv4.vs`): `net.ipv4.vs.NAME = VALUE` a line; a
 * vector value (sync_threshold) keeps its tab as printed. Names are kept short (`conn_reuse_mode`).
 */
import type { DirectorSnapshot } from '../model.js';
import { eachLine } from './lines.js';

export const SYSCTL_SOURCE = 'the output of `sysctl net.ipv4.vs`';

export function parseSysctl(text: string, file: string): Partial<DirectorSnapshot> {
  const sysctls: Record<string, string> = {};
  eachLine(text, file, SYSCTL_SOURCE, (line, fail) => {
    const m = /^net\.ipv4\.vs\.([a-z0-9_]{1,64}) = ([^\n]{0,200})$/.exec(line) ?? fail('net.ipv4.vs.NAME = VALUE');
    if (!/^[\d\t -]*$/.test(m[2]!) || m[2]!.trim() === '') fail(`a number or numbers as the value of ${m[1]}, not ${m[2]}`);
    if (Object.hasOwn(sysctls, m[1]!)) fail(`${m[1]} once`);
    sysctls[m[1]!] = m[2]!;
  });
  return { sysctls };
}
