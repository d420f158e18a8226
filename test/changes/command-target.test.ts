/**
 * The changes made through a command prefix (`--director CMD`, and the kernel lab's `ip netns exec`).
 * The kernel tier (test/kernel/change-agreement.test.ts) runs them on real IPVS; here: the edits an
 * apply amounts to, and the refusal of what is not the director's to do, from the real command line.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
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

  it('refuses stop/start and reload without the lab to do them, pointing at --manual', () => {
    const target = new CommandChangeTarget({ prefix: [], addresses: new Map() });
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
