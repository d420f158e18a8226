/**
 * `ipvsadm -Lcn` (list_conn / print_conn, ipvsadm 1.31): two title lines, then one entry a line,
 * `"%-3s %-6s %-11s %-18s %-18s %s"`: protocol, expiry MM:SS (minutes may pass 99), state, client,
 * virtual, destination; with --persistent-conn also the persistence engine's name and data, when the
 * entry has them. ipvsadm reads /proc/net/ip_vs_conn for it, so entries come in the kernel's hash order.
 */
import type { ConnectionEntry, DirectorSnapshot } from '../model.js';
import { connectionEntry } from './connection-entry.js';
import { eachLine, endpoint, fields, integer } from './lines.js';

export const CONNECTIONS_SOURCE = 'an `ipvsadm -Lcn` listing';
const TITLES = ['IPVS connection entries', 'pro expire state source virtual destination'];
const PERSISTENT_TITLE = 'pro expire state source virtual destination pe name pe_data';

export function parseIpvsadmConnections(text: string, file: string): Partial<DirectorSnapshot> {
  const connections: ConnectionEntry[] = [];
  let titles = 0;
  eachLine(text, file, CONNECTIONS_SOURCE, (line, fail) => {
    const f = fields(line);
    if (titles < 2) {
      const joined = f.join(' ');
      if (joined !== TITLES[titles] && !(titles === 1 && joined === PERSISTENT_TITLE)) fail(`the title line "${TITLES[titles]}"`);
      titles++;
      return;
    }
    if (f.length !== 6 && f.length !== 8) fail(`6 fields (pro expire state source virtual destination) or 8 with pe name and pe_data, not ${f.length}`);
    const m = /^(\d{2,9}):(\d{2})$/.exec(f[1]!) ?? fail(`an expiry as MM:SS, not ${f[1]}`);
    const seconds = integer(m[2], 0, 59, fail, 'seconds');
    const [client, virtual, destination] = [f[3], f[4], f[5]].map((t) => endpoint(t, fail)) as [ReturnType<typeof endpoint>, ReturnType<typeof endpoint>, ReturnType<typeof endpoint>];
    if (client.family !== virtual.family) fail('a client and a virtual address of one family');
    connections.push(connectionEntry(f[0]!, f[2]!, Number(m[1]) * 60 + seconds, client, virtual, destination, fail));
  });
  return { connections };
}
