import { expect } from 'chai';
import { directorConfigFor } from '../../../src/lab/director-config.js';
import { ipvsadmCommands, nftRuleset } from '../../../src/lab/kernel/ipvsadm-commands.js';
import type { DirectorConfig } from '../../../src/model/ipvs.js';
import type { ServiceSpec } from '../../../src/suite/schema.js';

const servers = [
  { name: 'web1', address: '10.0.1.1', weight: 100 },
  { name: 'web2', address: '10.0.1.2', weight: 200 },
];

function spec(extra: Partial<ServiceSpec>): ServiceSpec {
  return {
    kind: 'pcc',
    protocol: 'tcp',
    port: 0,
    scheduler: 'wrr',
    persistence: { timeout: 1000, netmask: '255.255.255.255' },
    forward: 'route',
    timeouts: { tcp: 900, tcpfin: 120, udp: 300 },
    realServers: servers,
    ...extra,
  } as ServiceSpec;
}

describe('kernel lab: DirectorConfig -> ipvsadm commands', () => {
  it('gives the tutorial PCC director, real servers in suite order, then the timeouts', () => {
    expect(ipvsadmCommands(directorConfigFor('10.0.0.100', spec({}))).map((c) => c.join(' '))).to.deep.equal([
      '-A -t 10.0.0.100:0 -s wrr -p 1000',
      '-a -t 10.0.0.100:0 -r 10.0.1.1:0 -g -w 100',
      '-a -t 10.0.0.100:0 -r 10.0.1.2:0 -g -w 200',
      '--set 900 120 300',
    ]);
  });

  it('gives one service per port for PPC, with -M when the netmask is not /32 and the server port', () => {
    const cmds = ipvsadmCommands(
      directorConfigFor('10.0.0.110', spec({ kind: 'ppc', ports: [8080, 8081], scheduler: 'wlc', persistence: { timeout: 360, netmask: '255.255.255.0' } })),
    ).map((c) => c.join(' '));
    expect(cmds.slice(0, 4)).to.deep.equal([
      '-A -t 10.0.0.110:8080 -s wlc -p 360 -M 255.255.255.0',
      '-a -t 10.0.0.110:8080 -r 10.0.1.1:8080 -g -w 100',
      '-a -t 10.0.0.110:8080 -r 10.0.1.2:8080 -g -w 200',
      '-A -t 10.0.0.110:8081 -s wlc -p 360 -M 255.255.255.0',
    ]);
  });

  it('gives fwmark services with -f, masq and udp flags, no -p without persistence', () => {
    const config: DirectorConfig = {
      services: [
        { protocol: 'tcp', fwmark: 1, scheduler: 'rr', persistence: null, forward: 'masq', realServers: servers.slice(0, 1) },
        { protocol: 'udp', vip: '10.0.0.1', port: 53, scheduler: 'sh', persistence: null, forward: 'tunnel', realServers: servers.slice(1) },
      ],
      fwmarkRules: [],
    };
    expect(ipvsadmCommands(config).map((c) => c.join(' '))).to.deep.equal([
      '-A -f 1 -s rr',
      '-a -f 1 -r 10.0.1.1:0 -m -w 100',
      '-A -u 10.0.0.1:53 -s sh',
      '-a -u 10.0.0.1:53 -r 10.0.1.2:53 -i -w 200',
    ]);
  });

  it('marks every port and range of a fwmark rule in one nftables prerouting rule', () => {
    const text = nftRuleset([{ mark: 1, protocol: 'tcp', vip: '10.0.0.120', ports: [{ from: 21, to: 21 }, { from: 10001, to: 15000 }] }]);
    expect(text).to.include('type filter hook prerouting priority mangle; policy accept;');
    expect(text).to.include('ip daddr 10.0.0.120 tcp dport { 21, 10001-15000 } meta mark set 1');
    expect(nftRuleset([])).to.equal(null);
  });
});
