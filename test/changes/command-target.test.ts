/**
 * The changes made through a command prefix (`--director CMD`, and the kernel lab's `ip netns exec`).
 * The kernel tier (test/kernel/change-agreement.test.ts) runs them on real IPVS; here: the edits an
 * apply amounts to, and the refusal of what is not the director's to do, from the real command line.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configEdits, CommandChangeTarget } from '../../src/changes/command-target.js';
import { parseIpvsadmSaveText } from '../../src/director/parse/ipvsadm-save.js';
import { tempDir } from '../helpers/temp-dir.js';

const save = (text: string) => parseIpvsadmSaveText(text, 'test').config;

describe('changes through a command prefix', function () {
  this.timeout(60_000);

  it('applies a dump as edits that keep what stays: weights edited, servers added and deleted, services replaced', () => {
    const have = save(
      ['-A -t 10.0.0.1:80 -s wrr -p 300', '-a -t 10.0.0.1:80 -r 10.0.1.1:80 -g -w 1', '-a -t 10.0.0.1:80 -r 10.0.1.2:80 -g -w 1', '-A -u 10.0.0.1:53 -s rr', '-a -u 10.0.0.1:53 -r 10.0.1.1:53 -m -w 1'].join('\n'),
    );
    const want = save(
      ['-A -t 10.0.0.1:80 -s wrr -p 300', '-a -t 10.0.0.1:80 -r 10.0.1.1:80 -g -w 0', '-a -t 10.0.0.1:80 -r 10.0.1.3:80 -g -w 2', '-A -f 7 -s rr -p 60 -M 255.255.255.0', '-a -f 7 -r 10.0.1.1:0 -g -w 1'].join('\n'),
    );
    expect(configEdits(have, want).map((a) => a.join(' '))).to.deep.equal([
      '-D -u 10.0.0.1:53',
      '-e -t 10.0.0.1:80 -r 10.0.1.1:80 -g -w 0',
      '-a -t 10.0.0.1:80 -r 10.0.1.3:80 -g -w 2',
      '-d -t 10.0.0.1:80 -r 10.0.1.2:80',
      '-A -f 7 -s rr -p 60 -M 255.255.255.0',
      '-a -f 7 -r 10.0.1.1:0 -g -w 1',
    ]);
    expect(configEdits(want, want)).to.deep.equal([]);
  });

  it('edits a dest in place when more than its weight differs, and tells dests apart by port', () => {
    const have = save(['-A -t 10.0.0.1:80 -s wlc', '-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 1', '-a -t 10.0.0.1:80 -r 10.0.1.1:8081 -m -w 1'].join('\n'));
    const want = save(['-A -t 10.0.0.1:80 -s wlc -b flag-1', '-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 1 -x 100', '-a -t 10.0.0.1:80 -r 10.0.1.1:8082 -m -w 1'].join('\n'));
    expect(configEdits(have, want).map((a) => a.join(' '))).to.deep.equal([
      '-E -t 10.0.0.1:80 -s wlc -b flag-1',
      '-e -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 1 -x 100',
      '-a -t 10.0.0.1:80 -r 10.0.1.1:8082 -m -w 1',
      '-d -t 10.0.0.1:80 -r 10.0.1.1:8081',
    ]);
  });

  it("touches only the suite's own services on a director that serves others, and keeps a dest's thresholds and tunnel", async () => {
    // A recorded director: prints its table for `ipvsadm -S -n`, logs every command.
    const dir = tempDir('lvs-cmd-target-');
    const script = path.join(dir, 'director');
    writeFileSync(path.join(dir, 'table'), [
      '-A -t 10.0.0.1:0 -s wrr -p 300',
      '-a -t 10.0.0.1:0 -r 10.0.1.1:0 -i -w 1 -x 50 --tun-type gue --tun-port 6080',
      '-a -t 10.0.0.1:0 -r 10.0.1.2:0 -g -w 1',
      '-A -t 10.0.0.9:443 -s rr',
      '-a -t 10.0.0.9:443 -r 10.0.1.1:443 -g -w 1',
      '',
    ].join('\n'));
    writeFileSync(script, `#!/bin/sh\necho "$*" >> "$(dirname "$0")/log"\n[ "$*" = "ipvsadm -S -n" ] && cat "$(dirname "$0")/table"\nexit 0\n`);
    chmodSync(script, 0o755);
    const target = new CommandChangeTarget({ prefix: [script], addresses: new Map([['web1', '10.0.1.1']]), scope: { vip: '10.0.0.1' } });
    expect(await target.apply({ kind: 'weight', server: 'web1', to: 0 })).to.deep.equal([
      'ipvsadm -e -t 10.0.0.1:0 -r 10.0.1.1:0 -i -w 0 -x 50 --tun-type gue --tun-port 6080 --tun-nocsum',
    ]);
    expect(await target.apply({ kind: 'add', server: 'web3', address: '10.0.1.3', weight: 2 })).to.deep.equal(['ipvsadm -a -t 10.0.0.1:0 -r 10.0.1.3:0 -i -w 2']);
    // A dump of the suite's service alone must not delete the other VIP's service.
    const dump = save(['-A -t 10.0.0.1:0 -s wrr -p 300', '-a -t 10.0.0.1:0 -r 10.0.1.2:0 -g -w 1', '-A -t 10.0.0.9:443 -s wrr'].join('\n'));
    expect(await target.apply({ kind: 'apply', file: 'new.txt', config: dump })).to.deep.equal(['ipvsadm -d -t 10.0.0.1:0 -r 10.0.1.1:0']);
    const log = readFileSync(path.join(dir, 'log'), 'utf8');
    expect(log).not.to.match(/10\.0\.0\.9/);
  });

  it('refuses stop/start and reload without the lab to do them, pointing at --manual', () => {
    const target = new CommandChangeTarget({ prefix: [], addresses: new Map(), scope: { vip: '10.0.0.1' } });
    expect(target.unsupported({ kind: 'stop', server: 'web2', mode: 'reset' })).to.match(/not the director's to do: run the suite with --manual/);
    expect(target.unsupported({ kind: 'start', server: 'web2' })).to.match(/--manual/);
    expect(target.unsupported({ kind: 'reload' })).to.match(/keepalived/);
    expect(target.unsupported({ kind: 'weight', server: 'web2', to: 0 })).to.equal(null);
    expect(target.unsupported({ kind: 'sysctl', values: { expire_nodest_conn: 1 } })).to.equal(null);
  });

  it('--director: a suite that stops a server stops with exit 11 at that change, before the director is read', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', '--lab', 'none', '--director', 'false', '--results', tempDir('lvs-cmd-target-'), 'suites/failover.yaml'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).to.equal(11);
    expect(r.stderr).to.match(/failover\.yaml:\d+:\d+: changes\[1\]: expected a change this lab can make \(stopping or starting a real server is not the director's to do: run the suite with --manual/);
    expect(r.stderr).to.match(/failover\.yaml:\d+:\d+: changes\[3\]: expected/);
    expect(r.stderr).not.to.match(/reading the director/);
  });
});
