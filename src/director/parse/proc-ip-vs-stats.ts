/**
 * /proc/net/ip_vs_stats (ip_vs_stats_show, kernel ip_vs_ctl.c): two title lines, the totals as
 * `"%8LX %8LX %8LX %16LX %16LX"` (hex), a blank line, a rates title, and the rates, also hex.
 */
import type { Counters, DirectorSnapshot } from '../model.js';
import { eachLine, fields, hexCounter, type Fail } from './lines.js';

export const PROC_STATS_SOURCE = '/proc/net/ip_vs_stats';
const TITLES = [
  'Total Incoming Outgoing Incoming Outgoing',
  'Conns Packets Packets Bytes Bytes',
  null,
  'Conns/s Pkts/s Pkts/s Bytes/s Bytes/s',
  null,
];

export function parseProcIpVsStats(text: string, file: string): Partial<DirectorSnapshot> {
  const values: Counters[] = [];
  let row = 0;
  eachLine(text, file, PROC_STATS_SOURCE, (line, fail) => {
    const f = fields(line);
    if (row >= TITLES.length) fail('the end of the file after the rates line');
    const title = TITLES[row++];
    if (title !== null && title !== undefined) {
      if (f.join(' ') !== title) fail(`the title line "${title}"`);
      return;
    }
    values.push(counters(f, fail));
  });
  if (values.length === 0) return { totals: null };
  return { totals: { counters: values[0]!, ...(values[1] ? { rates: values[1] } : {}) } };
}

function counters(f: string[], fail: Fail): Counters {
  if (f.length !== 5) fail(`5 hex numbers, not ${f.length} fields`);
  const [connections, inPackets, outPackets, inBytes, outBytes] = f.map((v) => hexCounter(v, fail)) as [number, number, number, number, number];
  return { connections, inPackets, outPackets, inBytes, outBytes };
}
