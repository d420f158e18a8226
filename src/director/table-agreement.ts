/**
 * The director's own record of where it sent each client: every observed connection looked up in
 * the reading's connection table, FTP data connections included (an active one is listed under the
 * client's port and VIP:20, where the client's answers went). A connection whose entry has already
 * expired (a DR entry lives 120 s in FIN_WAIT) counts as missing, not as a disagreement.
 */
import type { Observation } from '../model/observation.js';
import type { ConnectionEntry } from './model.js';

/** How the clients' view of each connection compares with the director's own connection table. */
export interface TableAgreement {
  /** Observed connections whose table entry names the same real server. */
  agreed: number;
  /** Observed connections the table sends elsewhere: the harness or the director is wrong. */
  disagreed: number;
  /** Observed connections with no entry left in the table. */
  missing: number;
  /** Identified connections whose client port the probe did not record: they cannot be looked up. */
  withoutPort: number;
  /** Up to ten disagreements: client, what the client saw, what the table says. */
  examples: Array<{ client: string; observed: string | null; table: string }>;
}

/** One TCP connection the client saw: its two ends and the real server it named. */
export interface Leg {
  client: { address: string; port: number | null };
  server: { address: string | null; port: number | null };
  realServer: string | null;
}

/** The control connection, then its FTP data connections. */
export function legsOf(o: Observation): Leg[] {
  return [{ client: o.client, server: o.target, realServer: o.realServer }, ...(o.data ?? [])];
}

/** `nameOf` maps a real server's address to its name; observations name servers, the table addresses. */
export function tableAgreement(legs: Iterable<Leg>, table: readonly ConnectionEntry[], nameOf: (address: string) => string): TableAgreement {
  // Templates carry client port 0; only real connections identify one observed connection.
  const key = (c: { address: string; port: number | null }, v: { address: string | null; port: number | null }): string => `${c.address}:${c.port}>${v.address}:${v.port}`;
  const byClient = new Map(table.filter((e) => !e.template).map((e) => [key(e.client, e.virtual), e]));
  const result: TableAgreement = { agreed: 0, disagreed: 0, missing: 0, withoutPort: 0, examples: [] };
  for (const leg of legs) {
    if (leg.realServer === null) continue;
    if (leg.client.port === null) {
      result.withoutPort += 1;
      continue;
    }
    const entry = byClient.get(key(leg.client, leg.server));
    if (!entry) {
      result.missing += 1;
      continue;
    }
    const server = nameOf(entry.destination.address);
    if (server === leg.realServer) {
      result.agreed += 1;
      continue;
    }
    result.disagreed += 1;
    if (result.examples.length < 10) result.examples.push({ client: `${entry.client.address}:${entry.client.port}`, observed: leg.realServer, table: server });
  }
  return result;
}
