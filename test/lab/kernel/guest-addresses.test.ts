import { expect } from 'chai';
import { cpioArchive } from '../../../src/lab/kernel/cpio.js';
import { guestClientAddress, guestDirectorConfig, guestServerAddress, guestSuite } from '../../../src/lab/kernel/guest-addresses.js';
import { shellQuote } from '../../../src/core/shell-words.js';
import { guestJobScript } from '../../../src/lab/kernel/guest-job.js';
import { serverLink, suiteTeardown, suiteTopology } from '../../../src/lab/kernel/topology.js';
import { resolveCheck } from '../../../src/runner/check-resolver.js';
import { loadSuite } from '../../../src/suite/load-suite.js';

describe('kernel lab: guest addresses, topology and job', () => {
  it('moves clients to 10/8 and servers to 100.64/10, keeping the low 24 bits', () => {
    expect(guestClientAddress('127.0.2.17')).to.equal('10.0.2.17');
    expect(guestServerAddress('127.0.0.100')).to.equal('100.64.0.100');
    expect(guestServerAddress('127.1.0.100')).to.equal('100.65.0.100');
    expect(guestServerAddress('192.168.1.11')).to.equal('192.168.1.11');
    expect(() => guestServerAddress('127.64.0.1')).to.throw(/127.0.0.0-127.63.255.255/);
  });

  it("renames a server a dump left unnamed after its guest address, as the guest director's readings name it", () => {
    const config = guestDirectorConfig({
      services: [
        {
          protocol: 'tcp',
          vip: '127.0.0.100',
          port: 0,
          scheduler: 'wrr',
          persistence: null,
          forward: 'route',
          realServers: [
            { name: 'web1', address: '127.0.1.1', weight: 1 },
            { name: 'rs_127_0_1_9', address: '127.0.1.9', weight: 1 },
          ],
        },
      ],
      fwmarkRules: [],
    });
    expect(config.services[0]!.realServers.map((rs) => [rs.name, rs.address])).to.deep.equal([
      ['web1', '100.64.1.1'],
      ['rs_100_64_1_9', '100.64.1.9'],
    ]);
  });

  it('puts the VIP on lo of every real server, with arp_ignore and arp_announce, and the DIP before the VIP', () => {
    const lines = suiteTopology({ vip: '100.64.0.100', realServers: [{ name: 'web1', address: '100.64.1.1' }] }).map((c) => c.join(' '));
    expect(lines).to.include('ip -n lvs-rs-web1 addr add 100.64.0.100/32 dev lo');
    expect(lines).to.include('ip netns exec lvs-rs-web1 sysctl -qw net.ipv4.conf.all.arp_ignore=1');
    expect(lines).to.include('ip netns exec lvs-rs-web1 sysctl -qw net.ipv4.conf.all.arp_announce=2');
    const dip = lines.indexOf('ip -n lvs-director addr add 100.127.255.254/32 dev eth0');
    expect(dip).to.be.greaterThan(-1).and.lessThan(lines.indexOf('ip -n lvs-director addr add 100.64.0.100/32 dev eth0'));
  });

  it('moves the address a change adds as the suite\'s own, and takes a suite\'s links down from the switch before its namespaces', async () => {
    const suite = guestSuite(await loadSuite('suites/failover.yaml', resolveCheck));
    expect(suite.spec.changes.find((c) => c.action.kind === 'add')!.action).to.include({ server: 'web2', address: '100.64.1.72' });
    const lines = suiteTeardown({ vip: '100.64.0.100', realServers: [{ name: 'web1', address: '100.64.1.1' }] }).map((c) => c.join(' '));
    expect(lines).to.deep.equal(['ip -n lvs-switch link del vd0', 'ip -n lvs-switch link del vr0', 'ip netns del lvs-director', 'ip netns del lvs-rs-web1']);
    // A blackholed server's link comes back with its routes, which the kernel dropped with it.
    expect(serverLink('web1', 'up').map((c) => c.join(' '))).to.deep.equal([
      'ip -n lvs-rs-web1 link set eth0 up',
      'ip -n lvs-rs-web1 route replace 10.0.0.0/8 dev eth0',
      'ip -n lvs-rs-web1 route replace 100.64.0.0/10 dev eth0',
    ]);
  });

  it('runs the harness in the client namespace with its arguments quoted', () => {
    const script = guestJobScript({
      cwd: '/work/my dir',
      resultsDir: '/work/results',
      command: ['node', 'bin.js', 'run', "it's.yaml"],
      env: { LAB_PW: "s3 cr'et" },
    });
    expect(script).to.include(`export LAB_PW='s3 cr'\\''et'`);
    expect(script).to.include("cd '/work/my dir'");
    expect(script).to.include(`LVS_HARNESS_IN_GUEST=1 ip netns exec lvs-client node bin.js run 'it'\\''s.yaml'`);
    expect(shellQuote('a b')).to.equal("'a b'");
  });

  it('writes newc cpio records padded to 4 bytes, ending with the trailer', () => {
    const archive = cpioArchive([{ kind: 'file', path: '/init', data: Buffer.from('abc'), executable: true }]);
    expect(archive.subarray(0, 6).toString()).to.equal('070701');
    expect(archive.length % 4).to.equal(0);
    expect(archive.toString('latin1')).to.include('init\0').and.include('abc').and.include('TRAILER!!!\0');
    // mode 100755 and size 3 in the first header
    expect(archive.subarray(14, 22).toString()).to.equal((0o100755).toString(16).padStart(8, '0'));
    expect(archive.subarray(54, 62).toString()).to.equal('00000003');
  });
});
