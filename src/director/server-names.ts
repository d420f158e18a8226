/**
 * Real servers are named by the suite (its `realServers`), else by whatever named them in the
 * reading (a lab, a keepalived.conf), else from their address in a form no `identify` regex cuts:
 * a dotted address read by `^(\w+)` becomes `127`, so one server would answer to two names.
 */
import type { DirectorSnapshot } from './model.js';

export function unnamedServerName(address: string): string {
  return `rs_${address.replace(/[^0-9A-Za-z]/g, '_')}`;
}

/** address -> name, for one suite's view of one reading. */
export function serverNamer(expected: ReadonlyArray<{ name: string; address: string }>, reading: DirectorSnapshot | null): (address: string) => string {
  const names = new Map<string, string>();
  for (const rs of reading?.config.services.flatMap((s) => s.realServers) ?? []) {
    if (rs.name !== rs.address) names.set(rs.address, rs.name);
  }
  for (const rs of expected) names.set(rs.address, rs.name);
  return (address) => names.get(address) ?? unnamedServerName(address);
}
