/**
 * The kernel's own record of where it sent each client: `ipvsadm -Lcn` parsed, and every observed
 * connection checked against it, FTP data connections included (an active one is listed under the
 * client's port and VIP:20, where the client's answers went). A connection whose entry has already
 * expired (a DR entry lives 120 s in FIN_WAIT) counts as missing, not as a disagreement.
 */
import type { ConnectionTableCheck } from '../lab.js';
import type { Observation } from '../../model/observation.js';

export interface ConnectionEntry {
  protocol: string;
  state: string;
  /** `address:port` as printed. */
  source: string;
  virtual: string;
  destination: string;
}


const LINE = /^(TCP|UDP|IP|SCTP)\s+\d+:\d+\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;

export function parseConnectionTable(text: string): ConnectionEntry[] {
  const entries: ConnectionEntry[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) entries.push({ protocol: m[1]!, state: m[2]!, source: m[3]!, virtual: m[4]!, destination: m[5]! });
  }
  return entries;
}

function hostOf(endpoint: string): string {
  return endpoint.slice(0, endpoint.lastIndexOf(':'));
}

/** One TCP connection the client saw: its two ends and the real server it named. */
interface Leg {
  client: { address: string; port: number | null };
  server: { address: string | null; port: number | null };
  realServer: string | null;
}

function legsOf(o: Observation): Leg[] {
  return [{ client: o.client, server: o.target, realServer: o.realServer }, ...(o.data ?? [])];
}

/** `nameOf` maps a real server's address to its name; observations name servers, the table addresses. */
export function crossCheck(
  observations: readonly Observation[],
  table: readonly ConnectionEntry[],
  nameOf: (address: string) => string,
): ConnectionTableCheck {
  // Templates carry client port 0; only real connections identify one observed connection.
  const bySource = new Map(table.filter((e) => !e.source.endsWith(':0')).map((e) => [`${e.source}>${e.virtual}`, e]));
  const result: ConnectionTableCheck = { agreed: 0, disagreed: 0, missing: 0, withoutPort: 0, examples: [] };
  for (const o of observations.flatMap(legsOf)) {
    if (o.realServer === null) continue;
    if (o.client.port === null) {
      result.withoutPort += 1;
      continue;
    }
    const entry = bySource.get(`${o.client.address}:${o.client.port}>${o.server.address}:${o.server.port}`);
    if (!entry) {
      result.missing += 1;
      continue;
    }
    const server = nameOf(hostOf(entry.destination));
    if (server === o.realServer) {
      result.agreed += 1;
      continue;
    }
    result.disagreed += 1;
    if (result.examples.length < 10) result.examples.push({ client: entry.source, observed: o.realServer, table: server });
  }
  return result;
}
