/**
 * `lvs-harness director show` through the real command line, on the kernel lab's saved outputs: the
 * -Ln layout byte for byte as ipvsadm printed it (also from /proc/net/ip_vs and from --nosort), JSON
 * with --json, and exit 11 with file:line for a file it cannot read.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';

const DIR = 'test/fixtures/director/kernel-6.1';
const fixture = (f: string): string => path.join(DIR, f);

function show(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'director', 'show', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('lvs-harness director show', function () {
  this.timeout(60_000);

  it('prints a saved ipvsadm -Ln exactly as ipvsadm printed it, and the same from its --nosort twin', () => {
    const expected = readFileSync(fixture('ipvsadm-Ln.txt'), 'utf8');
    for (const file of ['ipvsadm-Ln.txt', 'ipvsadm-Ln-nosort.txt']) {
      const r = show(fixture(file));
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout, file).to.equal(expected);
    }
  });

  it('prints /proc/net/ip_vs in the -Ln layout: all but the -b flags and pe, which the kernel does not print there', () => {
    const r = show(fixture('proc-net-ip_vs.txt'));
    expect(r.code, r.stderr).to.equal(0);
    const strip = (t: string): string => t.replace(/ \((sh|mh|flag)-[^)]*\)/g, '').replace(/ pe sip/g, '');
    const note = "\n# persistence timeouts from /proc/net/ip_vs (jiffies) read at HZ 250 (Debian's and Ubuntu's kernels); give --hz N for a kernel built with another CONFIG_HZ\n";
    expect(r.stdout).to.equal(strip(readFileSync(fixture('ipvsadm-Ln.txt'), 'utf8')) + note);
  });

  it("reads /proc/net/ip_vs's jiffies at the tick rate --hz gives, and refuses a rate no kernel has", () => {
    // The 6.1 lab's kernel runs at 250 Hz: -p 1000 is 250000 jiffies, which a 1000 Hz kernel would mean as 250 s.
    const r = show('--hz', '1000', fixture('proc-net-ip_vs.txt'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('TCP  100.64.0.100:0 rr persistent 250\n');
    expect(r.stdout).to.contain('TCP  100.64.0.100:80 wrr persistent 75 mask 255.255.255.0\n');
    expect(r.stdout).to.match(/\n# persistence timeouts from \/proc\/net\/ip_vs \(jiffies\) read at HZ 1000\n$/);
    const bad = show('--hz', '123', fixture('proc-net-ip_vs.txt'));
    expect(bad.code).to.equal(11);
    expect(bad.stderr).to.match(/--hz: expected the director kernel's CONFIG_HZ: 100, 250, 300 or 1000/);
    // An ipvsadm reading beside it gives seconds: the dump's figures win whatever --hz says.
    const both = show('--hz', '1000', fixture('proc-net-ip_vs.txt'), fixture('ipvsadm-S-n.txt'));
    expect(both.stdout).to.contain('TCP  100.64.0.100:0 rr persistent 1000\n');
    expect(both.stdout).not.to.contain('# persistence timeouts from /proc');
  });

  it('combines a dump, --stats, -Lcn, --timeout and sysctl into one JSON model', () => {
    const r = show('--json', ...['ipvsadm-S-n.txt', 'ipvsadm-Ln-stats-exact.txt', 'ipvsadm-Ln.txt', 'ipvsadm-Lcn.txt', 'ipvsadm-Ln-timeout.txt', 'sysctl-net.ipv4.vs.txt'].map(fixture));
    expect(r.code, r.stderr).to.equal(0);
    const snapshot = JSON.parse(r.stdout);
    expect(snapshot.source).to.deep.equal({ kind: 'file', description: ['ipvsadm-S-n.txt', 'ipvsadm-Ln-stats-exact.txt', 'ipvsadm-Ln.txt', 'ipvsadm-Lcn.txt', 'ipvsadm-Ln-timeout.txt', 'sysctl-net.ipv4.vs.txt'].map(fixture).join(', ') });
    expect(snapshot.config.services).to.have.length(14);
    expect(snapshot.config.timeouts).to.deep.equal({ tcp: 800, tcpfin: 100, udp: 200 });
    const pcc = snapshot.services.find((s: { service: string }) => s.service === 'TCP  100.64.0.100:0');
    expect(pcc.counters).to.deep.equal({ connections: 4, inPackets: 4, outPackets: 0, inBytes: 240, outBytes: 0 });
    expect(pcc.realServers[0]).to.include({ activeConnections: 4 });
    expect(snapshot.connections).to.have.length(30);
    expect(snapshot.totals).to.equal(null);
    expect(snapshot.sysctls.expire_quiescent_template).to.equal('0');
  });

  it('prints the connection table and the timeouts after the listing when they were read', () => {
    const r = show(fixture('ipvsadm-S-n.txt'), fixture('ipvsadm-Lcn.txt'), fixture('ipvsadm-Ln-timeout.txt'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('\nIPVS connection entries\npro expire state       source             virtual            destination\n');
    expect(r.stdout).to.contain('UDP 02:52  UDP         [fd00::100]:44041  [fd00::6]:53       [fd00::11]:53\n');
    expect(r.stdout).to.match(/\nTimeout \(tcp tcpfin udp\): 800 100 200\n$/);
  });

  it('exits 11 naming the file and line it cannot read, and for no file or a missing one', () => {
    const dir = tempDir('lvs-director-show-');
    const bad = path.join(dir, 'stats.txt');
    writeFileSync(bad, readFileSync(fixture('ipvsadm-Ln-stats.txt'), 'utf8').replace('1496', '14x96'));
    const r = show(bad);
    expect(r.code, r.stderr).to.equal(11);
    expect(r.stderr).to.match(/^ERROR BAD_DIRECTOR_CONFIG: .*stats\.txt:7: TCP {2}100\.64\.0\.100:80 .*expected a counter \(digits, optionally followed by K, M, G or T\), not 14x96$/m);
    expect(show().code).to.equal(11);
    const missing = show(path.join(dir, 'nope.txt'));
    expect(missing.code).to.equal(11);
    expect(missing.stderr).to.match(/nope\.txt: expected a readable file/);
    const unknown = path.join(dir, 'notes.txt');
    writeFileSync(unknown, '\nhello\n');
    expect(show(unknown).stderr).to.match(/notes\.txt:2: hello: expected the first line of ipvsadm -S -n/);
  });
});
