/**
 * The director parsers on real output: test/fixtures/director/kernel-6.1 was written by ipvsadm 1.31
 * and a Debian 6.1 kernel inside the kernel lab (scripts/kernel-director-fixtures.ts regenerates it).
 * Every expected number here was read off the fixture by eye, not from a parser.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { combineReadings, detectFormat, parseDirectorText, type DirectorFormat, type DirectorReading } from '../../src/director/parse/index.js';
import type { DirectorSnapshot, ServiceState } from '../../src/director/model.js';
import type { IpvsService } from '../../src/model/ipvs.js';

const DIR = 'test/fixtures/director/kernel-6.1';
const text = (file: string): string => readFileSync(path.join(DIR, file), 'utf8');
const parse = (file: string): DirectorReading => parseDirectorText(text(file), file);

function service(config: Partial<DirectorSnapshot>, key: Partial<IpvsService>): IpvsService {
  const found = config.config!.services.find((s) => Object.entries(key).every(([k, v]) => s[k as keyof IpvsService] === v));
  if (!found) throw new Error(`no service ${JSON.stringify(key)}`);
  return found;
}

function state(part: Partial<DirectorSnapshot>, key: string): ServiceState {
  return part.services!.find((s) => s.service === key) ?? (() => {
    throw new Error(`no service ${key}`);
  })();
}

export const FIXTURE_FORMATS: ReadonlyArray<[string, DirectorFormat]> = [
  ['ipvsadm-S-n.txt', 'ipvsadm-save'],
  ['ipvsadm-Ln.txt', 'ipvsadm-list'],
  ['ipvsadm-L.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-nosort.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-stats.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-stats-exact.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-rate.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-rate-exact.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-persistent-conn.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-thresholds.txt', 'ipvsadm-list'],
  ['ipvsadm-Ln-tun-info.txt', 'ipvsadm-list'],
  ['ipvsadm-Lcn.txt', 'ipvsadm-connections'],
  ['ipvsadm-Lcn-persistent-conn.txt', 'ipvsadm-connections'],
  ['ipvsadm-Ln-timeout.txt', 'ipvsadm-timeout'],
  ['proc-net-ip_vs.txt', 'proc-ip_vs'],
  ['proc-net-ip_vs_conn.txt', 'proc-ip_vs_conn'],
  ['proc-net-ip_vs_stats.txt', 'proc-ip_vs_stats'],
  ['sysctl-net.ipv4.vs.txt', 'sysctl'],
];

describe('director parsers on the kernel lab\'s real output (6.1, ipvsadm 1.31)', () => {
  it('tells every fixture\'s format from its text', () => {
    for (const [file, format] of FIXTURE_FORMATS) expect(detectFormat(text(file)), file).to.equal(format);
  });

  it('ipvsadm -S -n: every scheduler, -b, -o, --pe, sctp, IPv6, masq port mapping and every tunnel type', () => {
    const save = parse('ipvsadm-S-n.txt');
    expect(save.config!.services).to.have.length(14);
    expect(save.config!.services.map((s) => s.scheduler)).to.deep.equal(['rr', 'wrr', 'lblc', 'lblcr', 'dh', 'fo', 'wlc', 'sh', 'nq', 'ovf', 'sed', 'fo', 'mh', 'lc']);
    expect(service(save, { port: 0 })).to.deep.include({ protocol: 'tcp', vip: '100.64.0.100', persistence: { timeout: 1000, netmask: '255.255.255.255' }, forward: 'route' });
    expect(service(save, { port: 0 }).realServers[1]).to.deep.equal({ name: '100.64.1.2', address: '100.64.1.2', weight: 0, port: 0, forward: 'route' });
    expect(service(save, { port: 80, vip: '100.64.0.100' }).persistence).to.deep.equal({ timeout: 300, netmask: '255.255.255.0' });
    expect(service(save, { port: 446 }).schedulerFlags).to.deep.equal(['flag-1', 'flag-3']);
    expect(service(save, { port: 445 }).realServers).to.deep.equal([]);
    expect(service(save, { port: 8080 }).realServers).to.deep.equal([
      { name: '100.64.1.1', address: '100.64.1.1', weight: 5, port: 80, forward: 'masq' },
      { name: '100.64.1.2', address: '100.64.1.2', weight: 3, port: 8080, forward: 'tunnel', tunnel: { type: 'gue', port: 6080, checksum: 'nocsum' } },
      { name: '100.64.1.3', address: '100.64.1.3', weight: 2, port: 8080, forward: 'tunnel', tunnel: { type: 'gre', checksum: 'csum' } },
      { name: '100.64.1.4', address: '100.64.1.4', weight: 1, port: 8080, forward: 'tunnel', tunnel: { type: 'gue', port: 6081, checksum: 'remcsum' } },
      { name: '100.64.1.5', address: '100.64.1.5', weight: 1, port: 8080, forward: 'tunnel', tunnel: { type: 'ipip' } },
    ]);
    expect(service(save, { port: 8080 }).forward).to.equal('masq');
    expect(service(save, { protocol: 'udp', port: 53, vip: '100.64.0.100' })).to.deep.include({ scheduler: 'sh', schedulerFlags: ['sh-fallback', 'sh-port'], onePacket: true, forward: 'masq', persistence: null });
    expect(service(save, { port: 5060 })).to.deep.include({ protocol: 'udp', persistence: { timeout: 30, netmask: '255.255.255.255' }, persistenceEngine: 'sip' });
    expect(service(save, { port: 3868 })).to.deep.include({ protocol: 'sctp', scheduler: 'ovf' });
    expect(service(save, { port: 3868 }).realServers[0]).to.include({ weight: 4, port: 3868 });
    const v6 = service(save, { vip: 'fd00::6', port: 80 });
    expect(v6).to.deep.include({ family: 'inet6', scheduler: 'sed', persistence: { timeout: 600, netmask: '64' } });
    expect(v6.realServers.map((rs) => [rs.address, rs.port, rs.forward, rs.weight])).to.deep.equal([['fd00::11', 80, 'route', 10], ['fd00::12', 80, 'masq', 20]]);
    expect(service(save, { fwmark: 1 })).to.deep.include({ scheduler: 'mh', schedulerFlags: ['mh-fallback', 'mh-port'], persistence: { timeout: 60, netmask: '255.255.255.255' } });
    expect(service(save, { fwmark: 2 })).to.deep.include({ family: 'inet6', scheduler: 'lc', persistence: { timeout: 120, netmask: '64' } });
    expect(service(save, { fwmark: 2 }).realServers[0]).to.include({ address: 'fd00::11', port: 0 });
  });

  it('ipvsadm -Ln: the config without tunnel details, and the active and inactive counts', () => {
    const list = parse('ipvsadm-Ln.txt');
    expect(list.config!.services).to.have.length(14);
    expect(service(list, { port: 8080 }).realServers.map((rs) => rs.forward)).to.deep.equal(['masq', 'tunnel', 'tunnel', 'tunnel', 'tunnel']);
    expect(service(list, { port: 5060 })).to.deep.include({ persistenceEngine: 'sip', persistence: { timeout: 30, netmask: '255.255.255.255' } });
    expect(service(list, { fwmark: 2 })).to.deep.include({ family: 'inet6', persistence: { timeout: 120, netmask: '64' } });
    expect(state(list, 'TCP  100.64.0.100:0').realServers).to.deep.equal([
      { address: '100.64.1.1', port: 0, activeConnections: 4, inactiveConnections: 0 },
      { address: '100.64.1.2', port: 0, activeConnections: 0, inactiveConnections: 0 },
    ]);
    expect(state(list, 'TCP  100.64.0.100:80').realServers.map((rs) => rs.inactiveConnections)).to.deep.equal([1, 2]);
    expect(state(list, 'TCP  [fd00::6]:80').realServers[1]).to.deep.equal({ address: 'fd00::12', port: 80, activeConnections: 1, inactiveConnections: 0 });
    expect(state(list, 'FWM  1').realServers.map((rs) => rs.activeConnections)).to.deep.equal([3, 1]);
    expect(state(list, 'FWM  2 IPv6').realServers).to.have.length(1);
  });

  it('ipvsadm -L (names): host names kept, service names turned into ports through /etc/services', () => {
    const named = parse('ipvsadm-L.txt');
    expect(named.config!.services[1]).to.deep.include({ vip: 'vip.lab', port: 80, scheduler: 'wrr' });
    expect(service(named, { port: 8080 }).realServers.map((rs) => `${rs.address}:${rs.port}`)).to.deep.equal([
      'web1.lab:80', 'web2.lab:8080', '100.64.1.3:8080', '100.64.1.4:8080', '100.64.1.5:8080',
    ]);
    expect(service(named, { protocol: 'udp', port: 53 }).realServers[0]).to.include({ address: 'web1.lab', port: 5353 });
    expect(service(named, { vip: 'vip6.lab', port: 80 })).to.deep.include({ family: 'inet6', persistence: { timeout: 600, netmask: '64' } });
  });

  it('ipvsadm -Ln --nosort: the kernel\'s list order, newest real server first', () => {
    const nosort = parse('ipvsadm-Ln-nosort.txt');
    expect(nosort.config!.services[0]).to.deep.include({ protocol: 'tcp', vip: 'fd00::6', port: 80 });
    expect(service(nosort, { port: 8080 }).realServers.map((rs) => rs.address)).to.deep.equal(['100.64.1.5', '100.64.1.4', '100.64.1.3', '100.64.1.2', '100.64.1.1']);
  });

  it('ipvsadm -Ln --stats and --stats --exact: the counters of services and real servers', () => {
    for (const file of ['ipvsadm-Ln-stats.txt', 'ipvsadm-Ln-stats-exact.txt']) {
      const stats = parse(file);
      expect(stats.config, file).to.equal(undefined);
      expect(state(stats, 'TCP  100.64.0.100:80').counters).to.deep.equal({ connections: 4, inPackets: 27, outPackets: 0, inBytes: 1496, outBytes: 0 });
      expect(state(stats, 'TCP  100.64.0.100:80').realServers[1]).to.deep.include({ address: '100.64.1.2', counters: { connections: 3, inPackets: 21, outPackets: 0, inBytes: 1158, outBytes: 0 } });
      expect(state(stats, 'TCP  100.64.0.100:8080').counters).to.deep.equal({ connections: 4, inPackets: 7, outPackets: 8, inBytes: 420, outBytes: 508 });
      expect(state(stats, 'TCP  100.64.0.100:8080').realServers[1]!.counters).to.deep.equal({ connections: 1, inPackets: 1, outPackets: 2, inBytes: 60, outBytes: 148 });
      expect(state(stats, 'TCP  [fd00::6]:80').counters).to.deep.equal({ connections: 1, inPackets: 2, outPackets: 0, inBytes: 160, outBytes: 0 });
      expect(state(stats, 'FWM  1').realServers.map((rs) => rs.counters!.connections)).to.deep.equal([3, 1]);
      expect(state(stats, 'UDP  100.64.0.100:5060').counters!.inBytes).to.equal(119);
    }
  });

  it('ipvsadm -Ln --rate and --rate --exact: the estimator\'s rates (two readings, a moment apart)', () => {
    const readings: Array<[string, number, number[], number]> = [['ipvsadm-Ln-rate.txt', 4, [2, 3], 2], ['ipvsadm-Ln-rate-exact.txt', 3, [1, 2], 1]];
    for (const [file, inBytes, perServer, outBytes8080] of readings) {
      const rate = parse(file);
      expect(state(rate, 'TCP  100.64.0.100:80').rates, file).to.deep.equal({ connections: 0, inPackets: 0, outPackets: 0, inBytes, outBytes: 0 });
      expect(state(rate, 'TCP  100.64.0.100:80').realServers.map((rs) => rs.rates!.inBytes)).to.deep.equal(perServer);
      expect(state(rate, 'TCP  100.64.0.100:8080').rates!.outBytes).to.equal(outBytes8080);
      expect(state(rate, 'FWM  1').rates!.inBytes).to.equal(1);
    }
  });

  it('ipvsadm -Ln --persistent-conn and --thresholds: templates per server, and the counts', () => {
    const pc = parse('ipvsadm-Ln-persistent-conn.txt');
    expect(state(pc, 'TCP  100.64.0.100:0').realServers.map((rs) => rs.persistentConnections)).to.deep.equal([4, 0]);
    expect(state(pc, 'TCP  100.64.0.100:80').realServers.map((rs) => [rs.persistentConnections, rs.inactiveConnections])).to.deep.equal([[1, 1], [1, 2]]);
    expect(state(pc, 'TCP  [fd00::6]:80').realServers.map((rs) => rs.persistentConnections)).to.deep.equal([0, 1]);
    const th = parse('ipvsadm-Ln-thresholds.txt');
    expect(th.config).to.equal(undefined);
    expect(state(th, 'TCP  100.64.0.100:80').realServers[1]).to.deep.equal({ address: '100.64.1.2', port: 80, activeConnections: 0, inactiveConnections: 2 });
    expect(state(th, 'UDP  [fd00::6]:53').realServers[0]!.inactiveConnections).to.equal(1);
    expect(th.realServerThresholds!.filter((t) => t.upperThreshold !== 0 || t.lowerThreshold !== 0)).to.deep.equal([
      { service: 'TCP  100.64.0.100:80', address: '100.64.1.2', port: 80, upperThreshold: 1000, lowerThreshold: 10 },
      { service: 'SCTP 100.64.0.100:3868', address: '100.64.1.1', port: 3868, upperThreshold: 50, lowerThreshold: 5 },
    ]);
  });

  it('ipvsadm -Ln --tun-info: the tunnel type, port and checksum option of each tunnel server', () => {
    const tun = parse('ipvsadm-Ln-tun-info.txt');
    expect(service(tun, { port: 8080 }).realServers.map((rs) => rs.tunnel)).to.deep.equal([
      undefined,
      { type: 'gue', port: 6080, checksum: 'nocsum' },
      { type: 'gre', checksum: 'csum' },
      { type: 'gue', port: 6081, checksum: 'remcsum' },
      { type: 'ipip' },
    ]);
  });

  it('ipvsadm -Lcn (and --persistent-conn): entries and templates, IPv4, IPv6 and fwmark', () => {
    for (const file of ['ipvsadm-Lcn.txt', 'ipvsadm-Lcn-persistent-conn.txt']) {
      const { connections } = parse(file);
      expect(connections, file).to.have.length(30);
      expect(connections!.filter((c) => c.template).length, file).to.equal(12);
    }
    const { connections } = parse('ipvsadm-Lcn.txt');
    expect(connections![0]).to.deep.equal({
      protocol: 'IP', client: { address: '10.0.0.2', port: 0 }, virtual: { address: '0.0.0.1', port: 0 }, destination: { address: '100.64.1.2', port: 0 },
      state: 'NONE', expiresSeconds: 21, template: true,
    });
    expect(connections![3]).to.deep.equal({
      protocol: 'UDP', client: { address: 'fd00::100', port: 44041 }, virtual: { address: 'fd00::6', port: 53 }, destination: { address: 'fd00::11', port: 53 },
      state: 'UDP', expiresSeconds: 172, template: false,
    });
    expect(connections![7]).to.deep.include({ state: 'ASSURED', expiresSeconds: 266, template: true, client: { address: '10.0.0.0', port: 0 } });
    expect(connections![1]).to.deep.include({ expiresSeconds: 969 });
  });

  it('/proc/net/ip_vs: hex addresses and ports, the timeout in jiffies, the IPv6 prefix as the kernel prints it', () => {
    const proc = parse('proc-net-ip_vs.txt');
    expect(service(proc, { vip: '100.64.0.100', port: 0 }).persistence).to.deep.equal({ timeout: 1000, netmask: '255.255.255.255', timeoutJiffies: 250000 });
    expect(service(proc, { vip: '100.64.0.100', port: 80 }).persistence).to.deep.equal({ timeout: 300, netmask: '255.255.255.0', timeoutJiffies: 75000 });
    expect(service(proc, { vip: 'fd00::6', port: 80 })).to.deep.include({ family: 'inet6', persistence: { timeout: 600, netmask: '64', timeoutJiffies: 150000 } });
    expect(service(proc, { fwmark: 2 })).to.deep.include({ family: 'inet6', persistence: { timeout: 120, netmask: '64', timeoutJiffies: 30000 } });
    expect(service(proc, { protocol: 'udp', port: 53, vip: '100.64.0.100' })).to.deep.include({ onePacket: true });
    expect(service(proc, { protocol: 'udp', port: 53, vip: '100.64.0.100' }).realServers.map((rs) => [rs.address, rs.port, rs.weight])).to.deep.equal([['100.64.1.2', 5353, 2], ['100.64.1.1', 5353, 1]]);
    expect(service(proc, { protocol: 'sctp' })).to.deep.include({ port: 3868, scheduler: 'ovf' });
    expect(state(proc, 'TCP  100.64.0.100:0').realServers[1]).to.deep.equal({ address: '100.64.1.1', port: 0, activeConnections: 4, inactiveConnections: 0 });
  });

  it('/proc/net/ip_vs_conn: hex fields, full-form IPv6, the persistence engine\'s data', () => {
    const { connections } = parse('proc-net-ip_vs_conn.txt');
    expect(connections).to.have.length(30);
    expect(connections![0]).to.deep.equal({
      protocol: 'IP', client: { address: '10.0.0.2', port: 0 }, virtual: { address: '0.0.0.1', port: 0 }, destination: { address: '100.64.1.2', port: 0 },
      state: 'NONE', expiresSeconds: 17, template: true,
    });
    expect(connections![3]).to.deep.equal({
      protocol: 'UDP', client: { address: 'fd00::100', port: 0xac09 }, virtual: { address: 'fd00::6', port: 53 }, destination: { address: 'fd00::11', port: 53 },
      state: 'UDP', expiresSeconds: 168, template: false,
    });
    expect(connections![4]).to.deep.include({ client: { address: '10.0.0.2', port: 0xdf15 }, virtual: { address: '100.64.0.100', port: 5060 } });
    expect(connections!.filter((c) => c.template).length).to.equal(12);
  });

  it('/proc/net/ip_vs_stats, --timeout and sysctl net.ipv4.vs', () => {
    expect(parse('proc-net-ip_vs_stats.txt').totals).to.deep.equal({
      counters: { connections: 0x17, inPackets: 0x32, outPackets: 8, inBytes: 0xb27, outBytes: 0x1fc },
      rates: { connections: 0, inPackets: 0, outPackets: 0, inBytes: 2, outBytes: 0 },
    });
    expect(parse('ipvsadm-Ln-timeout.txt').timeouts).to.deep.equal({ tcp: 800, tcpfin: 100, udp: 200 });
    const { sysctls } = parse('sysctl-net.ipv4.vs.txt');
    expect(Object.keys(sysctls!)).to.have.length(29);
    expect(sysctls).to.include({ conn_reuse_mode: '1', expire_nodest_conn: '0', sync_threshold: '3\t50', lblc_expiration: '86400', amemthresh: '1024' });
  });

  it('combines a dump, the listings, the connection table, timeouts, sysctls and totals into one snapshot', () => {
    const files = ['ipvsadm-Ln-stats-exact.txt', 'proc-net-ip_vs.txt', 'ipvsadm-S-n.txt', 'ipvsadm-Ln-thresholds.txt', 'ipvsadm-Ln-persistent-conn.txt', 'ipvsadm-Ln.txt', 'ipvsadm-Lcn.txt', 'ipvsadm-Ln-timeout.txt', 'sysctl-net.ipv4.vs.txt'];
    const snapshot = combineReadings(files.map(parse), { kind: 'file', description: 'fixtures' });
    // The -S dump wins over /proc (jiffies, no -b) and the listings, whatever the order given.
    expect(snapshot.config.services[0]!.persistence).to.deep.equal({ timeout: 1000, netmask: '255.255.255.255' });
    expect(service({ config: snapshot.config }, { port: 8080 }).realServers[1]!.tunnel).to.deep.equal({ type: 'gue', port: 6080, checksum: 'nocsum' });
    expect(snapshot.config.timeouts).to.deep.equal({ tcp: 800, tcpfin: 100, udp: 200 });
    // -S does not save -x/-y; the --thresholds listing supplies them.
    expect(service({ config: snapshot.config }, { port: 80, vip: '100.64.0.100' }).realServers[1]).to.include({ upperThreshold: 1000, lowerThreshold: 10 });
    expect(service({ config: snapshot.config }, { port: 3868 }).realServers[0]).to.include({ upperThreshold: 50, lowerThreshold: 5 });
    expect(state(snapshot, 'TCP  100.64.0.100:0').realServers[0]).to.deep.equal({
      address: '100.64.1.1', port: 0, activeConnections: 4, inactiveConnections: 0, persistentConnections: 4,
      counters: { connections: 4, inPackets: 4, outPackets: 0, inBytes: 240, outBytes: 0 },
    });
    expect(snapshot.connections).to.have.length(30);
    expect(snapshot.totals).to.equal(null);
    expect(snapshot.sysctls!.conn_reuse_mode).to.equal('1');
    expect(Object.keys(snapshot.texts)).to.have.length(files.length);
    const bare = combineReadings([parse('ipvsadm-Ln-timeout.txt')], { kind: 'file', description: 'timeouts' });
    expect([bare.services, bare.connections, bare.totals, bare.sysctls, bare.config.services]).to.deep.equal([null, null, null, null, []]);
  });
});
