/**
 * Real-format director output that stopped live runs (review of the live-director reading path):
 * every state name of the kernel's state tables, u64 counters as ipvsadm's print_largenum prints
 * them, est_cpulist's cpulist, mixed-family tunnel servers, and the connection table's size. The
 * fixtures in test/fixtures/director/field follow the kernel's and ipvsadm 1.31's print formats.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatListing, formatSave } from '../../src/director/ipvsadm-views.js';
import type { DirectorSnapshot } from '../../src/director/model.js';
import { combineReadings, parseDirectorText } from '../../src/director/parse/index.js';
import { parseIpvsadmSave } from '../../src/lab/ipvsadm-save.js';
import { recordedFixtureDirector } from '../helpers/recorded-director.js';
import { tempDir } from '../helpers/temp-dir.js';
import { harnessErrorOf } from '../helpers/harness-error.js';

const DIR = 'test/fixtures/director/field';
const fixture = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');

const LCN_HEAD = 'IPVS connection entries\npro expire state       source             virtual            destination\n';

describe('director parsers: real-format output of the field', () => {
  it('reads every SCTP state of sctp_state_name_table, TCP\'s SYNACK and LAST_ACK, and a template\'s ASSURED, from -Lcn and /proc/net/ip_vs_conn', () => {
    const sctp = ['NONE', 'INIT1', 'INIT', 'C-SENT', 'C-REPLIED', 'C-WAIT', 'COOKIE', 'C-ECHOED', 'ESTABLISHED', 'S-SENT', 'S-RECEIVED', 'S-ACK-SENT', 'REJECTED', 'CLOSED'];
    const listed = parseDirectorText(fixture('ipvsadm-Lcn-sctp.txt'), 'lcn').connections!;
    expect(listed.map((c) => c.state)).to.deep.equal([...sctp, 'ASSURED', 'SYN_RECV', 'SYNACK', 'LAST_ACK']);
    expect(listed[14]).to.deep.include({ protocol: 'SCTP', template: true });
    expect(listed[15]).to.deep.include({ client: { address: '2001:db8::9', port: 4444 }, destination: { address: '10.0.1.1', port: 80 } });
    const proc = parseDirectorText(fixture('proc-net-ip_vs_conn-sctp.txt'), 'conn').connections!;
    expect(proc.map((c) => c.state)).to.deep.equal(sctp);
    expect(proc[3]).to.deep.include({ protocol: 'SCTP', state: 'C-SENT', expiresSeconds: 60, client: { address: '10.9.0.8', port: 40003 } });
  });

  it("refuses a state the kernel does not print for the entry's protocol, and the kernel's fault markers", () => {
    for (const [protocol, state] of [['TCP', 'C-SENT'], ['SCTP', 'SYN_RECV'], ['UDP', 'ESTABLISHED'], ['IP', 'UDP'], ['TCP', 'ERR!'], ['SCTP', 'BUG!'], ['TCP', 'ESTABLISHE'], ['TCP', 'established']]) {
      const line = `${protocol!.padEnd(3)} 00:59  ${state!.padEnd(11)} 10.9.0.5:40000     10.0.0.100:80      10.0.1.1:80\n`;
      expect(harnessErrorOf(() => parseDirectorText(LCN_HEAD + line, 'c')), `${protocol} ${state}`).to.match(new RegExp(`^c:3: .*expected an? ${protocol} connection state as the kernel names it \\(.*\\), not ${state!.replace(/[!]/g, '\\$&')}$`));
    }
  });

  it('reads u64 counters up to 18446744073709551615 from --stats --exact, from print_largenum\'s cut figures (glued %8lluT included) and from /proc/net/ip_vs_stats', () => {
    const u64 = 18446744073709551615;
    const exact = parseDirectorText(fixture('ipvsadm-Ln-stats-exact-u64.txt'), 'stats').services![0]!;
    expect(exact.counters).to.deep.equal({ connections: 4123456789, inPackets: 9123456789012, outPackets: 8123456789012, inBytes: 12345678901234567, outBytes: u64 });
    // Above 2^53 the model holds the nearest double (README): 2^53 + 1 reads as 2^53.
    expect(exact.realServers[0]!.counters!.connections).to.equal(2 ** 53);
    expect(Number.isSafeInteger(exact.realServers[0]!.counters!.connections)).to.equal(false);
    expect(exact.realServers[1]!.counters).to.deep.include({ connections: 2061728395, inBytes: 0, outBytes: u64 });
    const cut = parseDirectorText(fixture('ipvsadm-Ln-stats-u64.txt'), 'cut').services![0]!;
    expect(cut.counters).to.deep.equal({ connections: 4123e6, inPackets: 9123e9, outPackets: 8123e9, inBytes: 12345e12, outBytes: 18446744e12 });
    expect(cut.realServers[1]!.counters).to.deep.equal({ connections: 2061e6, inPackets: 0, outPackets: 0, inBytes: 0, outBytes: 18446744e12 });
    const totals = parseDirectorText(fixture('proc-net-ip_vs_stats-u64.txt'), 'proc').totals!;
    expect(totals.counters).to.deep.equal({ connections: 4123456789, inPackets: 9123456789012, outPackets: 8123456789012, inBytes: 12345678901234567, outBytes: u64 });
  });

  it('refuses a counter past u64 (18446744073709551616, 18446745T, 17 hex digits)', () => {
    const head = 'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n';
    expect(harnessErrorOf(() => parseDirectorText(`${head}TCP  10.0.0.1:80                          0        0        0        0 18446744073709551616\n`, 's'))).to.match(/^s:3: .*expected a counter up to 18446744073709551615 \(u64\), not 18446744073709551616$/);
    expect(harnessErrorOf(() => parseDirectorText(`${head}TCP  10.0.0.1:80                          0        0        0        018446745T\n`, 's'))).to.match(/^s:3: .*expected a counter up to 18446744073709551615 \(u64\), not 18446745T$/);
    const proc = fixture('proc-net-ip_vs_stats-u64.txt').replace('FFFFFFFFFFFFFFFF', '1FFFFFFFFFFFFFFFF');
    expect(harnessErrorOf(() => parseDirectorText(proc, 'p'))).to.match(/^p:3: .*expected a hex counter of up to 16 digits, not 1FFFFFFFFFFFFFFFF$/);
  });

  it("reads a 6.x kernel's sysctls: est_cpulist as %*pbl prints it (also empty), est_nice below 0, sync_threshold's tab", () => {
    const { sysctls } = parseDirectorText(fixture('sysctl-net.ipv4.vs-6.x.txt'), 'sysctl');
    expect(sysctls).to.deep.include({ est_cpulist: '0-1,4-7', est_nice: '-5', sync_threshold: '3\t50', amemthresh: '1024' });
    for (const [line, value] of [['net.ipv4.vs.est_cpulist = 3', '3'], ['net.ipv4.vs.est_cpulist = ', ''], ['net.ipv4.vs.est_cpulist =', ''], ['net.ipv4.vs.est_cpulist = 0-63', '0-63']]) {
      expect(parseDirectorText(`${line}\n`, 's').sysctls, line).to.deep.equal({ est_cpulist: value });
    }
  });

  it('refuses what no vs sysctl prints: a cpulist elsewhere, a cpulist out of shape, words', () => {
    expect(harnessErrorOf(() => parseDirectorText('net.ipv4.vs.amemthresh = 0-1,4-7\n', 's'))).to.match(/^s:1: .*expected a number or numbers \(a tab between\) as the value of amemthresh, not 0-1,4-7$/);
    expect(harnessErrorOf(() => parseDirectorText('net.ipv4.vs.est_cpulist = 0-1,,4\n', 's'))).to.match(/^s:1: .*expected a CPU list as the kernel prints it .*not 0-1,,4$/);
    expect(harnessErrorOf(() => parseDirectorText('net.ipv4.vs.est_cpulist = all\n', 's'))).to.match(/^s:1: .*not all$/);
    expect(harnessErrorOf(() => parseDirectorText('net.ipv4.vs.sync_version = \n', 's'))).to.match(/^s:1: .*value of sync_version, not $/);
  });

  it('reads mixed-family tunnelling servers (ipvsadm and the kernel allow them for -i only) from -S -n, -Ln and /proc/net/ip_vs alike', () => {
    const shape = (text: string, file: string) =>
      parseDirectorText(text, file).config!.services.map((s) => ({
        key: `${s.fwmark ?? s.vip} ${s.family ?? 'inet'}`,
        servers: s.realServers.map((rs) => `${rs.address} ${rs.forward}`).sort(),
      }));
    const expected = [
      { key: '10.0.0.100 inet', servers: ['10.0.1.5 route', '2001:db8::21 tunnel'] },
      { key: '2001:db8::100 inet6', servers: ['10.0.1.1 tunnel', '2001:db8::11 tunnel'] },
      { key: '9 inet', servers: ['10.0.1.7 route', 'fd00::5 tunnel'] },
    ];
    expect(shape(fixture('ipvsadm-S-n-mixed.txt'), 'save')).to.deep.equal(expected);
    expect(shape(fixture('ipvsadm-Ln-mixed.txt'), 'ln')).to.deep.equal(expected);
    // /proc does not print a fwmark service's family: its non-tunnelling server's is it.
    expect(shape(fixture('proc-net-ip_vs-mixed.txt'), 'proc')).to.deep.equal(expected);
  });

  it('prints mixed-family services in ipvsadm\'s order (ipvs_cmp_dests: int differences of the address words, fd00:: before 10.0.1.7)', () => {
    const snapshot = combineReadings([parseDirectorText(fixture('ipvsadm-S-n-mixed.txt'), 'save'), parseDirectorText(fixture('ipvsadm-Ln-mixed.txt'), 'ln')], { kind: 'file', description: 'x' });
    expect(formatListing(snapshot).split('\n').slice(1)).to.deep.equal(fixture('ipvsadm-Ln-mixed.txt').split('\n').slice(1));
    expect(formatSave(snapshot)).to.equal(fixture('ipvsadm-S-n-mixed.txt'));
  });

  it('refuses a server of the other family that does not tunnel, in each reader, and the labs refuse an IPv6 one with their error', () => {
    expect(harnessErrorOf(() => parseDirectorText('-A -t [2001:db8::100]:80 -s wlc\n-a -t [2001:db8::100]:80 -r 10.0.1.1:80 -g -w 1\n', 'save'))).to.match(/^save:2: .*expected a real server of the service's family \(IPv6\), or -i/);
    const ln = fixture('ipvsadm-Ln-mixed.txt').replace('10.0.1.1:80                  Tunnel', '10.0.1.1:80                  Masq  ');
    expect(harnessErrorOf(() => parseDirectorText(ln, 'ln'))).to.match(/^ln:8: .*expected a real server of the service's family \(IPv6\), or Tunnel/);
    const proc = fixture('proc-net-ip_vs-mixed.txt').replace(':0050      Tunnel  1      0          0         \n  -> 0A000105', ':0050      Route   1      0          0         \n  -> 0A000105');
    expect(harnessErrorOf(() => parseDirectorText(proc, 'proc'))).to.match(/^proc:5: .*expected a real server of the service's family \(IPv4\), or Tunnel/);
    expect(harnessErrorOf(() => parseIpvsadmSave(fixture('ipvsadm-S-n-mixed.txt'), 'lab'))).to.match(/^lab:3: .*expected a real server of the service's family \(IPv4; another family only tunnels, which the labs do not\) \(the labs do not reproduce it\)$/);
  });

  it('director show --director: a live read of all of the above at once, printed with the size the director said', () => {
    const script = recordedFixtureDirector(tempDir('lvs-harness-field-'), DIR, {
      save: 'ipvsadm-S-n-mixed.txt',
      listing: 'ipvsadm-Ln-mixed.txt',
      stats: 'ipvsadm-Ln-stats-exact-u64.txt',
      connections: 'ipvsadm-Lcn-sctp.txt',
      timeout: '../kernel-6.1/ipvsadm-Ln-timeout.txt',
      sysctl: 'sysctl-net.ipv4.vs-6.x.txt',
    });
    const shown = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'director', 'show', '--director', script], { encoding: 'utf8', timeout: 60_000 });
    expect(shown.status, shown.stderr).to.equal(0);
    // -Ln said (size=1048576): so does the view, the rest byte for byte as ipvsadm printed it.
    expect(shown.stdout).to.equal(`${fixture('ipvsadm-Ln-mixed.txt')}\n${fixture('ipvsadm-Lcn-sctp.txt')}\n${fixture('../kernel-6.1/ipvsadm-Ln-timeout.txt')}`);
    const json = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'director', 'show', '--json', '--director', script], { encoding: 'utf8', timeout: 60_000 });
    const model = JSON.parse(json.stdout) as DirectorSnapshot;
    expect(model.tableSize).to.equal(1048576);
    expect(model.sysctls).to.include({ est_cpulist: '0-1,4-7' });
  });

  it('keeps the size of /proc/net/ip_vs and of a listing; a reading without one prints the default 4096', () => {
    expect(parseDirectorText(fixture('proc-net-ip_vs-mixed.txt'), 'proc').tableSize).to.equal(1048576);
    const listing = parseDirectorText(fixture('ipvsadm-Ln-mixed.txt'), 'ln');
    expect(formatListing(combineReadings([listing], { kind: 'file', description: 'ln' }))).to.equal(fixture('ipvsadm-Ln-mixed.txt'));
    const save = parseDirectorText(fixture('ipvsadm-S-n-mixed.txt'), 'save');
    expect(formatListing(combineReadings([save], { kind: 'file', description: 'save' })).split('\n')[0]).to.equal('IP Virtual Server version 1.2.1 (size=4096)');
  });
});
