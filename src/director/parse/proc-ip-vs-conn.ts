/**
 * /proc/net/ip_vs_conn (ip_vs_conn_seq_show, kernel ip_vs_conn.c): a title line, then
 * `"%-3s %08X %04X %08X %04X %08X %04X %-11s %7u%s"` for IPv4 (addresses and ports in upper-case hex,
 * host order) or full-form `%pI6` addresses for IPv6 (the destination may be of the other family),
 * state, seconds to expiry, and ` PENAME PEDATA` when a persistence engine gave data.
 */
import type { ConnectionEntry, DirectorSnapshot } from '../model.js';
import { connectionEntry } from './connection-entry.js';
import { eachLine, fields, hex, integer, procAddress } from './lines.js';

export const PROC_CONN_SOURCE = '/proc/net/ip_vs_conn';
const TITLE = 'Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires PEName PEData';

export function parseProcIpVsConn(text: string, file: string): Partial<DirectorSnapshot> {
  const connections: ConnectionEntry[] = [];
  let titled = false;
  eachLine(text, file, PROC_CONN_SOURCE, (line, fail) => {
    const f = fields(line);
    if (!titled) {
      if (f.join(' ') !== TITLE) fail(`the title line "${TITLE}"`);
      titled = true;
      return;
    }
    if (f.length !== 9 && f.length !== 11) fail(`9 fields (Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires) or 11 with PEName PEData, not ${f.length}`);
    const at = (a: number) => ({ address: procAddress(f[a], fail), port: hex(f[a + 1], 0xffff, fail, 'a port') });
    const client = at(1);
    const virtual = at(3);
    if (client.address.includes(':') !== virtual.address.includes(':')) fail('a client and a virtual address of one family');
    connections.push(connectionEntry(f[0]!, f[7]!, integer(f[8], 0, 0xffffffff, fail, 'seconds to expiry'), client, virtual, at(5), fail));
  });
  return { connections };
}
