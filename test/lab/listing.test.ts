import { expect } from 'chai';
import { formatConnections, formatListing } from '../../src/lab/sim/listing.js';
import type { DestState, TableState } from '../../src/lab/sim/table-state.js';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import { A, B, FakeClock, packet, tcpService, VIP } from './helpers.js';

const TITLE = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
];

function dest(address: string, port: number, weight: number, extra: Partial<DestState> = {}): DestState {
  return { name: address, address, port, forward: 'route', weight, activeConns: 0, inactConns: 0, ...extra };
}

describe('lab listings (ipvsadm -Ln / -Lcn)', () => {
  it('prints the examples of lvs-semantics.md §3.1 byte for byte, trailing spaces included', () => {
    const state: TableState = {
      services: [
        { protocol: 'udp', vip: '10.0.0.100', port: 53, scheduler: 'rr', persistence: null, dests: [] },
        {
          protocol: 'tcp',
          vip: '10.0.0.100',
          port: 0,
          scheduler: 'rr',
          persistence: { timeout: 300, netmask: '255.255.255.0' },
          dests: [],
        },
        { protocol: 'tcp', fwmark: 1, scheduler: 'wrr', persistence: { timeout: 1000, netmask: '255.255.255.255' }, dests: [] },
        {
          protocol: 'tcp',
          vip: '10.0.0.100',
          port: 80,
          scheduler: 'wrr',
          persistence: { timeout: 300, netmask: '255.255.255.255' },
          dests: [dest('192.168.1.12', 80, 1, { forward: 'masq', activeConns: 12, inactConns: 345 }), dest('192.168.1.11', 80, 100)],
        },
      ],
      entries: [],
    };
    expect(formatListing(state)).to.equal(
      [
        ...TITLE,
        'TCP  10.0.0.100:0 rr persistent 300 mask 255.255.255.0',
        'TCP  10.0.0.100:80 wrr persistent 300',
        '  -> 192.168.1.11:80              Route   100    0          0         ',
        '  -> 192.168.1.12:80              Masq    1      12         345       ',
        'UDP  10.0.0.100:53 rr',
        'FWM  1 wrr persistent 1000',
        '',
      ].join('\n'),
    );
  });

  it('sorts with ipvsadm\'s int difference (10.x after 192.168.x); --nosort keeps the kernel order', () => {
    const state: TableState = {
      services: [
        {
          protocol: 'tcp',
          vip: '127.0.0.100',
          port: 80,
          scheduler: 'rr',
          persistence: null,
          dests: [dest('10.0.0.1', 80, 1), dest('192.168.0.1', 80, 1), dest('127.0.0.11', 80, 1)],
        },
      ],
      entries: [],
    };
    const names = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('  -> 1')).map((l) => l.split(/\s+/)[2]!);
    expect(names(formatListing(state))).to.deep.equal(['127.0.0.11:80', '192.168.0.1:80', '10.0.0.1:80']);
    expect(names(formatListing(state, { nosort: true }))).to.deep.equal(['10.0.0.1:80', '192.168.0.1:80', '127.0.0.11:80']);
  });

  it('prints the -Lcn examples of §3.3 byte for byte', () => {
    const state: TableState = {
      services: [],
      entries: [
        { protocol: 'TCP', expireSeconds: 358, state: 'NONE', source: '10.0.0.5:0', virtual: '10.0.0.100:80', destination: '192.168.1.11:80' },
        { protocol: 'IP', expireSeconds: 359, state: 'NONE', source: '10.0.0.5:0', virtual: '0.0.0.1:0', destination: '192.168.1.11:0' },
        { protocol: 'TCP', expireSeconds: 899, state: 'ESTABLISHED', source: '10.0.0.5:51234', virtual: '10.0.0.100:80', destination: '192.168.1.11:80' },
        { protocol: 'TCP', expireSeconds: 10800, state: 'NONE', source: '10.0.0.5:0', virtual: '10.0.0.100:0', destination: '192.168.1.11:0' },
      ],
    };
    expect(formatConnections(state)).to.equal(
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

  it('lists a live table: counts, template and connection entries', () => {
    const clock = new FakeClock();
    const svc = tcpService({ scheduler: 'rr', persistence: { timeout: 360, netmask: '255.255.255.255' }, realServers: [A, B] });
    const table = IpvsTable.fromConfig({ services: [svc], fwmarkRules: [] }, { clock });
    const scheduled = table.schedule(packet('127.0.1.1', 80, 51234))!;
    table.established(scheduled.conn);
    clock.advance(1.5);
    const state = table.state();
    expect(formatListing(state)).to.equal(
      [
        ...TITLE,
        `TCP  ${VIP}:80 rr persistent 360`,
        '  -> 127.0.0.11:80                Route   1      0          0         ',
        '  -> 127.0.0.12:80                Route   1      1          0         ',
        '',
      ].join('\n'),
    );
    expect(formatConnections(state).split('\n').slice(2)).to.deep.equal([
      `TCP 05:58  NONE        127.0.1.1:0        ${VIP}:80     127.0.0.12:80`,
      `TCP 14:58  ESTABLISHED 127.0.1.1:51234    ${VIP}:80     127.0.0.12:80`,
      '',
    ]);
  });
});
