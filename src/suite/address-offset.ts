/**
 * `--address-offset N`: every address of a suite moves from 127.a.b.c to 127.(a+N).b.c. The shipped
 * suites use fixed addresses and ports, so two runs on one host at once would fight over the lab's
 * listening sockets; with an offset the second run gets a loopback world of its own.
 */
import { createBadArgumentError } from '../core/errors.js';
import { formatIpv4, parseIpv4 } from '../net/ipv4.js';
import type { DirectorConfig } from '../model/ipvs.js';
import type { LoadedSuite } from './load-suite.js';

export function parseAddressOffset(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 254)) throw createBadArgumentError('--address-offset', `a whole number from 0 to 254 (not ${text})`);
  return n;
}

export function offsetAddresses(suite: LoadedSuite, offset: number): LoadedSuite {
  if (offset === 0) return suite;
  const move = (address: string): string => {
    const v = parseIpv4(address)!;
    const second = ((v >>> 16) & 0xff) + offset;
    if (v >>> 24 !== 127 || second > 255) {
      throw createBadArgumentError('--address-offset', `an offset that keeps ${address} of ${suite.file} in 127.0.0.0/8 (its second number would be ${second})`);
    }
    return formatIpv4(v + offset * 0x10000);
  };
  const spec = suite.spec;
  const pool = suite.sources.map(move);
  // A server a change adds, and the servers and VIPs of a dump a change applies, move with the rest.
  const moveConfig = (c: DirectorConfig): DirectorConfig => ({
    ...c,
    services: c.services.map((s) => ({ ...s, ...(s.vip === undefined ? {} : { vip: move(s.vip) }), realServers: s.realServers.map((rs) => ({ ...rs, address: move(rs.address) })) })),
    fwmarkRules: c.fwmarkRules.map((r) => ({ ...r, vip: move(r.vip) })),
  });
  return {
    ...suite,
    ...(suite.applyConfigs ? { applyConfigs: Object.fromEntries(Object.entries(suite.applyConfigs).map(([f, c]) => [f, moveConfig(c)])) } : {}),
    spec: {
      ...spec,
      vip: move(spec.vip),
      service: { ...spec.service, realServers: spec.service.realServers.map((rs) => ({ ...rs, address: move(rs.address) })) },
      clients: { sources: pool },
      changes: spec.changes.map((c) => (c.action.kind === 'add' ? { ...c, action: { ...c.action, address: move(c.action.address) } } : c)),
    },
    sources: pool,
  };
}
