/**
 * Persistence templates in the director's table after the traffic, per real server, against the
 * client groups the harness saw there. A group's template must point at the server its latest
 * connection reached; groups without a template had theirs expire (reported), templates of groups
 * the harness never used belong to other clients (reported).
 */
import type { Observation } from '../model/observation.js';
import { maskAddress } from '../net/ipv4.js';
import type { SuiteView } from '../model/plugin.js';
import type { ConnectionEntry } from './model.js';

export interface TemplateReconciliation {
  /** Per server: templates in the table, and client groups whose latest connection went there. */
  perServer: Record<string, { templates: number; clients: number }>;
  /** Groups whose template points elsewhere than their latest connection went. */
  disagreed: Array<{ group: string; observed: string; table: string[] }>;
  /** Groups the harness used that have no template left. */
  expired: number;
  /** Templates of groups the harness never used. */
  others: number;
}

/** PPC keeps a template per port; PCC and fwmark one per client group. */
function perPort(suite: SuiteView): boolean {
  return suite.service.kind === 'ppc';
}

/** Each client group's latest identified connection, kept as the connections finish: one entry per group. */
export class GroupLatest {
  readonly latest = new Map<string, { at: number; server: string }>();

  constructor(private readonly suite: SuiteView) {}

  add(o: Observation): void {
    const persistence = this.suite.service.persistence;
    if (persistence === null || o.realServer === null) return;
    const group = maskAddress(o.client.address, persistence.netmask);
    const key = perPort(this.suite) ? `${group}:${o.target.port}` : group;
    const seen = this.latest.get(key);
    if (seen === undefined || seen.at <= o.startMs) this.latest.set(key, { at: o.startMs, server: o.realServer });
  }
}

export function reconcileTemplates(
  suite: SuiteView,
  table: readonly ConnectionEntry[],
  groups: GroupLatest,
  nameOf: (address: string) => string,
): TemplateReconciliation | null {
  if (suite.service.persistence === null) return null;
  const latest = groups.latest;
  const templates = new Map<string, Set<string>>();
  const perServer: TemplateReconciliation['perServer'] = {};
  const at = (name: string) => (perServer[name] ??= { templates: 0, clients: 0 });
  for (const t of table.filter((e) => e.template)) {
    const key = perPort(suite) ? `${t.client.address}:${t.virtual.port}` : t.client.address;
    const server = nameOf(t.destination.address);
    at(server).templates += 1;
    const set = templates.get(key) ?? new Set<string>();
    templates.set(key, set.add(server));
  }
  const result: TemplateReconciliation = { perServer, disagreed: [], expired: 0, others: 0 };
  for (const [group, seen] of latest) {
    at(seen.server).clients += 1;
    const servers = templates.get(group);
    if (servers === undefined) result.expired += 1;
    else if (!servers.has(seen.server)) result.disagreed.push({ group, observed: seen.server, table: [...servers] });
  }
  result.others = [...templates.keys()].filter((k) => !latest.has(k)).length;
  return result;
}
