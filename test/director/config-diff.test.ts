import { expect } from 'chai';
import { diffConfig } from '../../src/director/config-diff.js';
import type { DirectorConfig, IpvsService } from '../../src/model/ipvs.js';

const WEB1 = { name: 'web1', address: '10.0.0.1', weight: 100 };
const WEB2 = { name: 'web2', address: '10.0.0.2', weight: 200 };

function service(overrides: Partial<IpvsService> = {}): IpvsService {
  return {
    protocol: 'tcp', vip: '10.0.0.100', port: 0, scheduler: 'wrr', persistence: { timeout: 1000, netmask: '255.255.255.255' },
    forward: 'route', realServers: [WEB1, WEB2], ...overrides,
  };
}

function config(...services: IpvsService[]): DirectorConfig {
  return { services, fwmarkRules: [], timeouts: { tcp: 900, tcpfin: 120, udp: 300 } };
}

describe('config diff: a director against what was meant', () => {
  it('finds nothing when they agree, whatever the order of the real servers', () => {
    expect(diffConfig(config(service({ realServers: [WEB2, WEB1] })), config(service()))).to.deep.equal([]);
  });

  it('names every difference of one service as an operator reads it', () => {
    const actual = config(
      service({
        scheduler: 'rr',
        persistence: { timeout: 300, netmask: '255.255.255.0' },
        forward: 'masq',
        realServers: [{ ...WEB2, weight: 100 }, { name: '10.0.0.9', address: '10.0.0.9', weight: 1 }],
      }),
    );
    actual.timeouts = { tcp: 900, tcpfin: 60, udp: 300 };
    expect(diffConfig(actual, config(service()))).to.deep.equal([
      'scheduler rr, expected wrr',
      'persistence 300 s, expected 1000 s',
      'persistence netmask 255.255.255.0, expected 255.255.255.255',
      'forwarding masq (-m), expected route (-g)',
      'real server web1 (10.0.0.1) missing',
      'web2 weight 100, expected 200',
      'real server 10.0.0.9 not expected',
      'timeout tcpfin 60 s, expected 120 s',
    ]);
  });

  it('names a real server whose own forwarding method differs from the rest', () => {
    const actual = config(service({ realServers: [WEB1, { ...WEB2, forward: 'masq' }] }));
    expect(diffConfig(actual, config(service()))).to.deep.equal(['web2 forwarding masq (-m), expected route (-g)']);
  });

  it('names missing and unexpected services, and prefixes differences with the service when there are several', () => {
    const ports = (port: number, o: Partial<IpvsService> = {}) => service({ port, ...o });
    expect(diffConfig(config(ports(80, { persistence: null }), ports(443)), config(ports(80), ports(8080)))).to.deep.equal([
      'TCP  10.0.0.100:80: not persistent, expected persistence 1000 s',
      'service TCP  10.0.0.100:8080 missing',
      'service TCP  10.0.0.100:443 not expected',
    ]);
  });

  it('leaves the timeouts out when the director did not give them', () => {
    const actual = { ...config(service()), timeouts: undefined };
    expect(diffConfig(actual, { ...config(service()), timeouts: { tcp: 1, tcpfin: 1, udp: 1 } })).to.deep.equal([]);
  });
});
