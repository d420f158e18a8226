/**
 * Suites that pass the schema yet cannot mean what they say: each would run, send traffic and end
 * in a verdict that blames the director for the suite's own mistake. They are rejected when the
 * suite loads, with the position of the field to change, before anything is sent.
 */
import type { SuiteProblem } from '../core/errors.js';
import { expandSource } from '../net/address-pool.js';
import { toRange } from '../net/port-range.js';
import type { FieldPath } from './locate.js';
import type { ConfiguredCheck } from './load-suite.js';
import type { SuiteSpec } from './schema.js';

export type ProblemAt = (path: FieldPath, expected: string) => SuiteProblem;

export function semanticProblems(spec: SuiteSpec, checks: readonly ConfiguredCheck[], at: ProblemAt): SuiteProblem[] {
  return [...sourceOverlaps(spec, at), ...portsOutsideMark(spec, at), ...persistenceNeeded(spec, checks, at), ...allWeightsZero(spec, at)];
}

/** A client address that is also the VIP or a real server is not a user: its traffic never passes the director as a client's would. */
function sourceOverlaps(spec: SuiteSpec, at: ProblemAt): SuiteProblem[] {
  const taken = new Map<string, string>([[spec.vip, 'the VIP']]);
  for (const rs of spec.service.realServers) taken.set(rs.address, `real server ${rs.name}`);
  const items = typeof spec.clients.sources === 'string' ? [spec.clients.sources] : spec.clients.sources;
  const problems: SuiteProblem[] = [];
  items.forEach((item, i) => {
    const addresses = expandSource(item);
    if (typeof addresses === 'string') return;
    const clash = addresses.filter((a) => taken.has(a)).map((a) => `${a} is ${taken.get(a)}`);
    if (clash.length === 0) return;
    const path = typeof spec.clients.sources === 'string' ? ['clients', 'sources'] : ['clients', 'sources', i];
    problems.push(at(path, `source addresses apart from the VIP and the real servers (${clash.slice(0, 3).join('; ')}${clash.length > 3 ? `; and ${clash.length - 3} more` : ''})`));
  });
  return problems;
}

/** Traffic to a port the mark does not cover never reaches the fwmark service. */
function portsOutsideMark(spec: SuiteSpec, at: ProblemAt): SuiteProblem[] {
  const s = spec.service;
  if (s.kind !== 'fwmark' || !s.ports) return [];
  const ranges = s.ports.map(toRange);
  return spec.probes.flatMap((p, i) =>
    ranges.some((r) => p.port >= r.from && p.port <= r.to) ? [] : [at(['probes', i, 'port'], `a port fwmark ${s.fwmark} covers (${s.ports!.join(', ')}), not ${p.port}`)],
  );
}

function persistenceNeeded(spec: SuiteSpec, checks: readonly ConfiguredCheck[], at: ProblemAt): SuiteProblem[] {
  if (spec.service.persistence) return [];
  return checks.flatMap((c) =>
    c.plugin.needsPersistence && c.at
      ? [at(c.at, `a check that applies to a non-persistent service: ${c.plugin.name} judges persistence, and service.persistence is not set (add persistence: { timeout: 300 }, or drop the check)`)]
      : [],
  );
}

/** With every weight 0 the director schedules no new connection at all. */
function allWeightsZero(spec: SuiteSpec, at: ProblemAt): SuiteProblem[] {
  return spec.service.realServers.every((rs) => rs.weight === 0)
    ? [at(['service', 'realServers'], 'at least one real server with a weight above 0 (with every weight 0 the director schedules nothing)')]
    : [];
}
