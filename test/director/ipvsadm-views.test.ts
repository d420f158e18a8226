import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { combineReadings, parseDirectorText } from '../../src/director/parse/index.js';
import { formatConnections, formatListing, formatSave, formatStats, formatTimeouts } from '../../src/director/ipvsadm-views.js';
import type { ConnectionEntry, DirectorSnapshot, ServiceState } from '../../src/director/model.js';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import { readTableState } from '../../src/lab/sim/table-reading.js';
import type { IpvsService } from '../../src/model/ipvs.js';
import { A, B, FakeClock, packet, tcpService, VIP } from '../lab/helpers.js';

const TITLE = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
];

function reading(config: IpvsService[], services: ServiceState[] | null = null, connections: ConnectionEntry[] = []): DirectorSnapshot {
  return {
    source: { kind: 'file', description: 'test' },
    readAtMs: 0,
    config: { services: config, fwmarkRules: [], timeouts: { tcp: 900, tcpfin: 120, udp: 300 } },
    services,
    connections,
    totals: null,
    timeouts: { tcp: 900, tcpfin: 120, udp: 300 },
    sysctls: null,
    texts: {},
  };
}

function svc(overrides: Partial<IpvsService>): IpvsService {
  return { protocol: 'tcp', vip: '10.0.0.100', port: 80, scheduler: 'rr', persistence: null, forward: 'route', realServers: [], ...overrides };
}

function entry(protocol: string, expiresSeconds: number, state: string, client: string, virtual: string, destination: string): ConnectionEntry {
  const at = (t: string) => ({ address: t.slice(0, t.lastIndexOf(':')), port: Number(t.slice(t.lastIndexOf(':') + 1)) });
  return { protocol, expiresSeconds, state, client: at(client), virtual: at(virtual), destination: at(destination), template: at(client).port === 0 };
}

describe('ipvsadm views of a director reading (-Ln, --stats --exact, -Lcn, -S -n, --timeout)', () => {
  it('prints the -Ln examples of lvs-semantics.md §3.1 byte for byte, trailing spaces included', () => {
    const web = svc({
      scheduler: 'wrr',
      persistence: { timeout: 300, netmask: '255.255.255.255' },
      forward: 'masq',
      realServers: [
        { name: 'b', address: '192.168.1.12', weight: 1 },
        { name: 'a', address: '192.168.1.11', weight: 100 },
      ],
    });
    const state: ServiceState = {
      service: 'TCP  10.0.0.100:80',
      realServers: [{ address: '192.168.1.12', port: 80, activeConnections: 12, inactiveConnections: 345 }],
    };
    const text = formatListing(
      reading([svc({ protocol: 'udp', port: 53 }), svc({ port: 0, persistence: { timeout: 300, netmask: '255.255.255.0' } }), svc({ vip: undefined, port: undefined, fwmark: 1, scheduler: 'wrr', persistence: { timeout: 1000, netmask: '255.255.255.255' } }), web], [state]),
    );
    expect(text).to.equal(
      [
        ...TITLE,
        'TCP  10.0.0.100:0 rr persistent 300 mask 255.255.255.0',
        'TCP  10.0.0.100:80 wrr persistent 300',
        '  -> 192.168.1.11:80              Masq    100    0          0         ',
        '  -> 192.168.1.12:80              Masq    1      12         345       ',
        'UDP  10.0.0.100:53 rr',
        'FWM  1 wrr persistent 1000',
        '',
      ].join('\n'),
    );
  });

  it("sorts with ipvsadm's int difference (10.x after 192.168.x); --nosort keeps the director's order", () => {
    const servers = ['10.0.0.1', '192.168.0.1', '127.0.0.11'].map((address) => ({ name: address, address, weight: 1 }));
    const r = reading([svc({ vip: '127.0.0.100', realServers: servers })]);
    const names = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('  -> 1')).map((l) => l.split(/\s+/)[2]!);
    expect(names(formatListing(r))).to.deep.equal(['127.0.0.11:80', '192.168.0.1:80', '10.0.0.1:80']);
    expect(names(formatListing(r, { nosort: true }))).to.deep.equal(['10.0.0.1:80', '192.168.0.1:80', '127.0.0.11:80']);
  });

  it('prints the -Lcn examples of §3.3 byte for byte', () => {
    const r = reading([], null, [
      entry('TCP', 358, 'NONE', '10.0.0.5:0', '10.0.0.100:80', '192.168.1.11:80'),
      entry('IP', 359, 'NONE', '10.0.0.5:0', '0.0.0.1:0', '192.168.1.11:0'),
      entry('TCP', 899, 'ESTABLISHED', '10.0.0.5:51234', '10.0.0.100:80', '192.168.1.11:80'),
      entry('TCP', 10800, 'NONE', '10.0.0.5:0', '10.0.0.100:0', '192.168.1.11:0'),
    ]);
    expect(formatConnections(r)).to.equal(
      [
        'IPVS connection entries',
        'pro expire state       source             virtual            destination',
        'TCP 05:58  NONE        10.0.0.5:0         10.0.0.100:80      192.168.1.11:80',
        'IP  05:59  NONE        10.0.0.5:0         0.0.0.1:0          192.168.1.11:0',
        'TCP 14:59  ESTABLISHED 10.0.0.5:51234     10.0.0.100:80      192.168.1.11:80',
        'TCP 180:00 NONE        10.0.0.5:0         10.0.0.100:0       192.168.1.11:0',
        '',
      ].join('\n'),
    );
  });

  it('prints --stats --exact with at least one space before each figure, -S -n and --timeout as ipvsadm does', () => {
    const counters = (connections: number) => ({ connections, inPackets: 111769, outPackets: 74613, inBytes: 7207174, outBytes: 123456789 });
    const r = reading(
      [svc({ vip: '10.3.0.42', scheduler: 'wrr', persistence: { timeout: 300, netmask: '255.255.255.0' }, realServers: [{ name: 'x', address: '10.0.0.9', weight: 3 }] })],
      [{ service: 'TCP  10.3.0.42:80', counters: counters(14209), realServers: [{ address: '10.0.0.9', port: 80, activeConnections: 0, inactiveConnections: 0, counters: counters(14209) }] }],
    );
    expect(formatStats(r).split('\n').slice(1)).to.deep.equal([
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
      '  -> RemoteAddress:Port',
      'TCP  10.3.0.42:80                    14209   111769    74613  7207174 123456789',
      '  -> 10.0.0.9:80                     14209   111769    74613  7207174 123456789',
      '',
    ]);
    expect(formatSave(r)).to.equal('-A -t 10.3.0.42:80 -s wrr -p 300 -M 255.255.255.0\n-a -t 10.3.0.42:80 -r 10.0.0.9:80 -g -w 3\n');
    expect(formatTimeouts(r)).to.equal('Timeout (tcp tcpfin udp): 900 120 300\n');
  });

  it('reads a live embedded table: counts, template and connection entries, the kernel order of its servers', () => {
    const clock = new FakeClock();
    const service = tcpService({ scheduler: 'rr', persistence: { timeout: 360, netmask: '255.255.255.255' }, realServers: [A, B] });
    const table = IpvsTable.fromConfig({ services: [service], fwmarkRules: [] }, { clock });
    const scheduled = table.schedule(packet('127.0.1.1', 80, 51234))!;
    table.established(scheduled.conn);
    clock.advance(1.5);
    const r = readTableState(table.state(), clock.now());
    expect(r.config.services[0]!.realServers.map((rs) => rs.name)).to.deep.equal(['B', 'A']);
    expect(r.services![0]!.realServers.map((rs) => [rs.address, rs.counters!.connections])).to.deep.equal([
      ['127.0.0.12', 1],
      ['127.0.0.11', 0],
    ]);
    expect(formatListing(r)).to.equal(
      [
        ...TITLE,
        `TCP  ${VIP}:80 rr persistent 360`,
        '  -> 127.0.0.11:80                Route   1      0          0         ',
        '  -> 127.0.0.12:80                Route   1      1          0         ',
        '',
      ].join('\n'),
    );
    expect(formatConnections(r).split('\n').slice(2)).to.deep.equal([
      `TCP 05:58  NONE        127.0.1.1:0        ${VIP}:80     127.0.0.12:80`,
      `TCP 14:58  ESTABLISHED 127.0.1.1:51234    ${VIP}:80     127.0.0.12:80`,
      '',
    ]);
    expect(r.connections!.map((e) => e.template)).to.deep.equal([true, false]);
  });

  it("prints the kernel 6.1 lab's -Ln, -Lcn and -S -n byte for byte from their parsed readings (IPv6, sctp, flags, pe, ops, tunnels)", () => {
    for (const [file, format, view] of [
      ['ipvsadm-Ln.txt', 'ipvsadm-list', formatListing],
      ['ipvsadm-Lcn.txt', 'ipvsadm-connections', formatConnections],
      ['ipvsadm-S-n.txt', 'ipvsadm-save', formatSave],
    ] as const) {
      const text = readFileSync(`test/fixtures/director/kernel-6.1/${file}`, 'utf8');
      const parsed = parseDirectorText(text, file, format);
      expect(view(combineReadings([parsed], { kind: 'file', description: file })), file).to.equal(text);
    }
  });

  it("prints the kernel 6.1 lab's -Ln --stats --exact byte for byte from its counters beside the -S config", () => {
    const at = (file: string) => readFileSync(`test/fixtures/director/kernel-6.1/${file}`, 'utf8');
    const stats = at('ipvsadm-Ln-stats-exact.txt');
    const reading = combineReadings(
      [parseDirectorText(at('ipvsadm-S-n.txt'), 'S', 'ipvsadm-save'), parseDirectorText(stats, 'stats', 'ipvsadm-list')],
      { kind: 'file', description: 'kernel 6.1' },
    );
    expect(formatStats(reading)).to.equal(stats);
  });
});
