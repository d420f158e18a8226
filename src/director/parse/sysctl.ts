/**
 * `sysctl net.ipv4.vs` (or `sysctl -a | grep net.ipv4.vs`): `net.ipv4.vs.NAME = VALUE` a line. Names
 * are kept short (`conn_reuse_mode`), values as printed. In the kernel's vs_vars table (ip_vs_ctl.c,
 * 6.x) every value is an integer (est_nice may be negative) but two: sync_threshold, a vector that
 * proc_dointvec prints with a tab between its numbers (kept as printed), and est_cpulist, a CPU list
 * as `%*pbl` prints it (`0-1,4-7`; empty when estimation was stopped with an empty list).
 */
import type { DirectorSnapshot } from '../model.js';
import { eachLine } from './lines.js';

export const SYSCTL_SOURCE = 'the output of `sysctl net.ipv4.vs`';

const NUMBERS = /^-?\d{1,20}(?:[\t ]+-?\d{1,20})*$/;
const CPULIST = /^(?:\d{1,5}(?:-\d{1,5})?(?:,\d{1,5}(?:-\d{1,5})?)*)?$/;

export function parseSysctl(text: string, file: string): Partial<DirectorSnapshot> {
  const sysctls: Record<string, string> = {};
  eachLine(text, file, SYSCTL_SOURCE, (line, fail) => {
    // An empty value leaves `NAME = ` (or `NAME =`, once trailing blanks are trimmed).
    const m = /^net\.ipv4\.vs\.([a-z0-9_]{1,64}) =(?: ([^\n]{0,200}))?$/.exec(line) ?? fail('net.ipv4.vs.NAME = VALUE');
    const name = m[1]!;
    const value = m[2] ?? '';
    if (name === 'est_cpulist') {
      if (!CPULIST.test(value.trim())) fail(`a CPU list as the kernel prints it (0-1,4-7, or nothing) as the value of est_cpulist, not ${value}`);
    } else if (!NUMBERS.test(value.trim())) fail(`a number or numbers (a tab between) as the value of ${name}, not ${value}`);
    if (Object.hasOwn(sysctls, name)) fail(`${name} once`);
    sysctls[name] = name === 'est_cpulist' ? value.trim() : value;
  });
  return { sysctls };
}
