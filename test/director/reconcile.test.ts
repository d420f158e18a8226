import { expect } from 'chai';
import { reconcileCounters } from '../../src/director/counter-reconcile.js';
import { suiteReach } from '../../src/director/suite-reach.js';
import type { IpvsService } from '../../src/model/ipvs.js';
import type { ConnectionEntry, DirectorSnapshot } from '../../src/director/model.js';
import { GroupLatest, reconcileTemplates } from '../../src/director/template-reconcile.js';
import { legsOf } from '../../src/director/table-agreement.js';
import type { SuiteView } from '../../src/model/plugin.js';
import type { Observation } from '../../src/model/observation.js';

const VIP = '10.0.0.100';
const OTHER_VIP = '10.0.0.200';
const NAMES: Record<string, string> = { '10.0.1.1': 'web1', '10.0.1.2': 'web2' };
const nameOf = (a: string): string => NAMES[a] ?? `rs_${a}`;

const service = (vip: string): IpvsService => ({ protocol: 'tcp', vip, port: 0, scheduler: 'wrr', persistence: null, forward: 'route', realServers: [] });
/** The suite's service, VIP:0, reaches what its VIP holds. */
const reach = suiteReach({ services: [service(VIP)], fwmarkRules: [] }, VIP);

/** A reading of the suite's service with these counters, and of another VIP's service with `elsewhere`'s. */
function reading(counts: Record<string, number> | null, connections: ConnectionEntry[] = [], elsewhere: Record<string, number> = {}): DirectorSnapshot {
  const counters = (connections: number) => ({ connections, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 0 });
  const state = (vip: string, c: Record<string, number>) => ({ service: `TCP  ${vip}:0`, realServers: Object.entries(c).map(([address, n]) => ({ address, port: 0, activeConnections: 0, inactiveConnections: 0, counters: counters(n) })) });
  return {
    source: { kind: 'live', description: 'test' }, readAtMs: 0, config: { services: [service(VIP), service(OTHER_VIP)], fwmarkRules: [] },
    services: counts === null ? null : [state(VIP, counts), state(OTHER_VIP, elsewhere)],
    connections, totals: null, timeouts: null, sysctls: null, texts: {},
  };
}

function obs(client: string, realServer: string | null, startMs = 0, port = 80): Observation {
  return {
    seq: 0, round: 0, probe: 'http', protocol: 'http', client: { address: client, port: 40000 }, target: { address: VIP, port }, realServer,
    startMs, endMs: startMs + 1, timings: { connectMs: 1, firstByteMs: 1, totalMs: 1 }, requests: 1, bytes: { sent: 1, received: 1 }, status: 200, error: null,
  };
}

function groupsOf(suite: SuiteView, observations: Observation[]): GroupLatest {
  const groups = new GroupLatest(suite);
  for (const o of observations) groups.add(o);
  return groups;
}

function template(client: string, destination: string, vport = 0): ConnectionEntry {
  return { protocol: 'TCP', client: { address: client, port: 0 }, virtual: { address: VIP, port: vport }, destination: { address: destination, port: 0 }, state: 'NONE', expiresSeconds: 100, template: true };
}

describe("reconciling the director's counters and templates with what the clients saw", () => {
  it('passes counters grown by the harness connections, reporting what others added', () => {
    const r = reconcileCounters(reading({ '10.0.1.1': 10, '10.0.1.2': 5 }), reading({ '10.0.1.1': 13, '10.0.1.2': 7 }), () => [obs('10.9.0.1', 'web1'), obs('10.9.0.2', 'web1'), obs('10.9.0.3', 'web2')].flatMap(legsOf), VIP, nameOf, reach);
    expect(r).to.deep.equal({ judged: true, perServer: { web1: { director: 3, harness: 2 }, web2: { director: 2, harness: 1 } }, short: [], removed: [], others: 2, reused: 0 });
  });

  it('does not compare a server that left the table during the traffic (its counters went with it)', () => {
    // web2 was removed mid-traffic: the harness made 2 connections there, the reading after has no web2.
    const r = reconcileCounters(reading({ '10.0.1.1': 10, '10.0.1.2': 5 }), reading({ '10.0.1.1': 11 }), () => [obs('10.9.0.1', 'web1'), obs('10.9.0.2', 'web2'), obs('10.9.0.3', 'web2')].flatMap(legsOf), VIP, nameOf, reach);
    expect(r).to.deep.include({ short: [], removed: ['web2'], others: 0 });
  });

  it('names a server that counted fewer connections than the harness saw it serve', () => {
    const r = reconcileCounters(reading({ '10.0.1.1': 0, '10.0.1.2': 0 }), reading({ '10.0.1.1': 3, '10.0.1.2': 0 }), () => [obs('10.9.0.1', 'web1'), obs('10.9.0.2', 'web2')].flatMap(legsOf), VIP, nameOf, reach);
    expect(r).to.deep.include({ short: ['web2'], others: 2 });
  });

  it('does not count a repeated client address:port as short: conn_reuse_mode may have taken its old entry over, uncounted', () => {
    // The same client port twice to web2 (the kernel reuses the FIN_WAIT entry of a controlled connection); web1's two ports differ.
    const legs = () => [obs('10.9.0.1', 'web2'), obs('10.9.0.1', 'web2'), { ...obs('10.9.0.2', 'web1'), client: { address: '10.9.0.2', port: 40001 } }, obs('10.9.0.2', 'web1')].flatMap(legsOf);
    const r = reconcileCounters(reading({ '10.0.1.1': 0, '10.0.1.2': 0 }), reading({ '10.0.1.1': 2, '10.0.1.2': 1 }), legs, VIP, nameOf, reach);
    expect(r).to.deep.include({ short: [], others: 0, reused: 1 });
    // Two distinct connections on web1 counted once: short, whatever web2 repeated.
    const fewer = reconcileCounters(reading({ '10.0.1.1': 0, '10.0.1.2': 0 }), reading({ '10.0.1.1': 1, '10.0.1.2': 1 }), legs, VIP, nameOf, reach);
    expect(fewer).to.deep.include({ short: ['web1'], reused: 1 });
  });

  it("counts only the services the suite reaches: another VIP's traffic to the same servers neither hides a shortfall nor counts as others", () => {
    const legs = () => [obs('10.9.0.1', 'web1'), obs('10.9.0.2', 'web2')].flatMap(legsOf);
    // The director read is not the one the traffic went through: its VIP's counters stand still, another VIP's grow.
    const r = reconcileCounters(reading({ '10.0.1.1': 0, '10.0.1.2': 0 }, [], { '10.0.1.1': 0, '10.0.1.2': 0 }), reading({ '10.0.1.1': 0, '10.0.1.2': 0 }, [], { '10.0.1.1': 500, '10.0.1.2': 500 }), legs, VIP, nameOf, reach);
    expect(r).to.deep.include({ short: ['web1', 'web2'], others: 0 });
  });

  it('does not judge a connection counter above 2^53 (read rounded): its growth by one cannot show', () => {
    // 2^53 + 1 reads as 2^53: a growth of 1 would show as 0 (short) or hide another client's connection.
    const big = 2 ** 53 + 1;
    const r = reconcileCounters(reading({ '10.0.1.1': 10, '10.0.1.2': 2 ** 53 }), reading({ '10.0.1.1': 11, '10.0.1.2': big }), () => [obs('10.9.0.1', 'web1'), obs('10.9.0.2', 'web2')].flatMap(legsOf), VIP, nameOf, reach);
    expect(r).to.deep.equal({ judged: false, reason: 'the connection counter of web2 is above 2^53, read rounded, so its growth cannot be counted exactly' });
  });

  it('does not judge a director without counters', () => {
    expect(reconcileCounters(reading(null), reading(null), () => [], VIP, nameOf, reach)).to.deep.equal({ judged: false, reason: 'the director gave no per-server connection counters' });
  });

  it("finds a group whose template points elsewhere than its latest connection went; counts expired and others' templates", () => {
    const suite = { service: { kind: 'pcc', persistence: { timeout: 300, netmask: '255.255.255.0' } } } as SuiteView;
    const observations = [obs('10.9.0.1', 'web1', 0), obs('10.9.0.2', 'web2', 5), obs('10.9.1.1', 'web1'), obs('10.9.2.1', 'web2')];
    const table = [template('10.9.0.0', '10.0.1.1'), template('10.9.1.0', '10.0.1.1'), template('10.9.7.0', '10.0.1.2')];
    expect(reconcileTemplates(suite, table, groupsOf(suite, observations), nameOf)).to.deep.equal({
      perServer: { web1: { templates: 2, clients: 1 }, web2: { templates: 1, clients: 2 } },
      disagreed: [{ group: '10.9.0.0', observed: 'web2', table: ['web1'] }],
      expired: 1,
      others: 1,
    });
  });

  it('keeps a template per port for PPC, and judges none without persistence', () => {
    const suite = { service: { kind: 'ppc', persistence: { timeout: 300, netmask: '255.255.255.255' } } } as SuiteView;
    const observations = [obs('10.9.0.1', 'web1', 0, 80), obs('10.9.0.1', 'web2', 1, 443)];
    const table = [template('10.9.0.1', '10.0.1.1', 80), template('10.9.0.1', '10.0.1.2', 443)];
    expect(reconcileTemplates(suite, table, groupsOf(suite, observations), nameOf)).to.deep.include({ disagreed: [], expired: 0, others: 0 });
    expect(reconcileTemplates({ service: { kind: 'pcc', persistence: null } } as SuiteView, table, groupsOf(suite, observations), nameOf)).to.equal(null);
  });
});
