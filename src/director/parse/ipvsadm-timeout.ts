/** `ipvsadm -L --timeout` (print_timeout, ipvsadm 1.31): `Timeout (tcp tcpfin udp): 900 120 300`. */
import type { DirectorSnapshot } from '../model.js';
import { eachLine, integer } from './lines.js';

export const TIMEOUT_SOURCE = 'an `ipvsadm -L --timeout` line';

export function parseIpvsadmTimeout(text: string, file: string): Partial<DirectorSnapshot> {
  let timeouts: DirectorSnapshot['timeouts'] = null;
  eachLine(text, file, TIMEOUT_SOURCE, (line, fail) => {
    if (timeouts !== null) fail('one line only');
    const m = /^Timeout \(tcp tcpfin udp\): (\S+) (\S+) (\S+)$/.exec(line.trim()) ?? fail('Timeout (tcp tcpfin udp): TCP TCPFIN UDP');
    // The kernel keeps timeouts in jiffies as int: seconds up to INT_MAX / HZ; 2^31-1 bounds any HZ.
    const [tcp, tcpfin, udp] = m.slice(1).map((v) => integer(v, 0, 2_147_483_647, fail, 'seconds')) as [number, number, number];
    timeouts = { tcp, tcpfin, udp };
  });
  return { timeouts };
}
