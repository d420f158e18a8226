import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, HarnessError } from '../../src/core/errors.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { parseSuite } from '../../src/suite/load-suite.js';
import { tempDir } from '../helpers/temp-dir.js';

const BASE = `vip: 127.0.0.100
service:
  kind: pcc
  port: 0
  persistence: { timeout: 30 }
  realServers:
    - { name: web1, address: 127.0.1.1 }
    - { name: web2, address: 127.0.1.2 }
probes:
  - { name: http, type: http, port: 8080, identify: { header: x-real-server } }
  - { name: shell, type: telnet, port: 2323, identify: { banner: '(\\w+) telnet' } }
clients:
  sources: 127.0.0.2-127.0.0.41
traffic:
  mode: continuous
  durationSeconds: 5
`;

async function problemsOf(text: string, file = 'bad.yaml'): Promise<HarnessError> {
  try {
    await parseSuite(text, file, resolveCheck);
  } catch (e) {
    expect(e).to.be.instanceOf(HarnessError);
    return e as HarnessError;
  }
  throw new Error('the suite was accepted');
}

describe('changes:, sessions: and continuous traffic in suites', () => {
  it('accepts every kind of change and turns each into a typed action', async () => {
    const dir = tempDir('lvs-changes-');
    writeFileSync(path.join(dir, 'new.ipvsadm'), '-A -t 127.0.0.100:0 -s rr -p 30\n-a -t 127.0.0.100:0 -r 127.0.1.1:0 -g -w 1\n');
    const s = await parseSuite(
      `${BASE}sessions:\n  - { probe: http, count: 2 }\nchanges:
  - { at: 0, sysctl: { expire_nodest_conn: 1, conn_reuse_mode: 0 } }
  - { at: 1, weight: { server: web2, to: 0 } }
  - { at: 1.5, stop: { server: web1, mode: blackhole } }
  - { at: 2, start: web1 }
  - { at: 2.5, remove: web2 }
  - { at: 3, add: { name: web3, address: 127.0.1.3 } }
  - { at: 3.5, weight: { server: web3, to: 4 } }
  - { at: 4, apply: new.ipvsadm }
  - { at: 4.5, reload: true }
`,
      path.join(dir, 'ok.yaml'),
      resolveCheck,
    );
    expect(s.spec.changes.map((c) => c.action)).to.deep.equal([
      { kind: 'sysctl', values: { expire_nodest_conn: 1, conn_reuse_mode: 0 } },
      { kind: 'weight', server: 'web2', to: 0 },
      { kind: 'stop', server: 'web1', mode: 'blackhole' },
      { kind: 'start', server: 'web1' },
      { kind: 'remove', server: 'web2' },
      { kind: 'add', server: 'web3', address: '127.0.1.3', weight: 1 },
      { kind: 'weight', server: 'web3', to: 4 },
      { kind: 'apply', file: 'new.ipvsadm' },
      { kind: 'reload' },
    ]);
    expect(s.applyConfigs!['new.ipvsadm']!.services[0]!.realServers).to.have.length(1);
    expect(s.changeLocations![1]).to.deep.include({ line: 21, column: 5, field: 'changes[1]' });
    expect(s.spec.traffic).to.deep.include({ mode: 'continuous', durationSeconds: 5, rate: 20, returning: 0.7 });
  });

  it('names unknown servers, servers gone at that moment and times past the traffic, with line and column', async () => {
    const e = await problemsOf(`${BASE}changes:
  - { at: 1, weight: { server: web9, to: 0 } }
  - { at: 2, remove: web2 }
  - { at: 3, weight: { server: web2, to: 1 } }
  - { at: 7, stop: web1 }
`);
    expect(e.code).to.equal(ErrorCode.INVALID_SUITE);
    expect(e.problems.map((p) => [p.line, p.column, p.field])).to.deep.equal([
      [18, 32, 'changes[0].weight.server'],
      [20, 32, 'changes[2].weight.server'],
      [21, 11, 'changes[3].at'],
    ]);
    expect(e.problems[0]!.expected).to.contain('web1, web2');
    expect(e.problems[1]!.expected).to.contain('web2 was removed before');
    expect(e.problems[2]!.expected).to.contain('under 5 s');
  });

  it('wants exactly one action per change, a readable apply file, and session probes it can hold', async () => {
    const e = await problemsOf(`${BASE}sessions:\n  - { probe: shell }\nchanges:
  - { at: 1, remove: web2, start: web2 }
`);
    expect(e.problems.map((p) => p.field)).to.deep.equal(['changes[0]', 'sessions[0].probe']);
    expect(e.problems[0]!.expected).to.contain('not remove and start');
    expect(e.problems[1]!.expected).to.contain('identify: { command: hostname }');
    const missing = await problemsOf(`${BASE}changes:\n  - { at: 2, apply: missing.ipvsadm }\n`);
    expect(missing.problems[0]).to.deep.include({ line: 18, column: 21, field: 'changes[0].apply' });
    expect(missing.problems[0]!.expected).to.contain('readable ipvsadm -S -n dump');
  });

  it('holds FTP sessions only on a probe with a file to download, and a pace only for FTP', async () => {
    const ftp = (transfers: string): string =>
      BASE.replace('clients:\n', `  - { name: ftp, type: ftp, port: 2121, passivePorts: 10001-10010, identify: { greeting: 'server (\\w+)' }, transfers: ${transfers} }\nclients:\n`);
    const e = await problemsOf(`${ftp('{ list: true }')}sessions:\n  - { probe: ftp }\n  - { probe: http, bytesPerSecond: 4096 }\n`);
    expect(e.problems.map((p) => [p.field, p.line, p.column])).to.deep.equal([
      ['sessions[0].probe', 19, 14],
      ['sessions[1].bytesPerSecond', 20, 36],
    ]);
    expect(e.problems[0]!.expected).to.contain('transfers: { stor: 262144 }');
    expect(e.problems[1]!.expected).to.contain('only an FTP session');
    const ok = await parseSuite(`${ftp('{ stor: 65536 }')}sessions:\n  - { probe: ftp, bytesPerSecond: 16384 }\n`, 'ok.yaml', resolveCheck);
    expect(ok.spec.sessions[0]).to.deep.include({ probe: 'ftp', bytesPerSecond: 16384, count: 1 });
  });

  it('needs a duration for continuous traffic', async () => {
    const e = await problemsOf(BASE.replace('  durationSeconds: 5\n', ''));
    expect(e.problems[0]).to.deep.include({ field: 'traffic.durationSeconds' });
  });
});
