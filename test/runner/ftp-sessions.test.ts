import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChangeWindow, SessionRecord } from '../../src/model/change-window.js';
import { runSuites, verdictOf, type Captured } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * FTP downloads held across a change on the embedded lab. web1 starts at weight 0 and joins at 0.5 s,
 * so every session opens on web2, the server the change then drains or stops. failover.yaml has this
 * probe already; drain.yaml gets it.
 */
const FTP_PROBE = `  - name: ftp
    type: ftp
    port: 2121
    passivePorts: 10001-10010
    identify: { greeting: 'FTP server (\\w+)' }
    transfers: { list: false, stor: 131072 }
    timeoutSeconds: 1
`;

function variant(suite: string, replacements: [string, string][]): string {
  let text = readFileSync(path.join('suites', suite), 'utf8');
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`${suite} has no ${from}`);
    text = text.replace(from, to);
  }
  const file = path.join(tempDir('lvs-ftp-session-'), suite);
  writeFileSync(file, text);
  return file;
}

function ftpSessions(c: Captured): SessionRecord[] {
  const w = (c.results.suites[0] as unknown as { window: ChangeWindow }).window;
  return w.sessions.filter((s) => s.protocol === 'ftp');
}

describe('FTP transfers held across a change (embedded lab)', function () {
  this.timeout(30_000);

  it('a drain leaves the downloads in flight on the drained server complete, byte for byte', async () => {
    const file = variant('drain.yaml', [
      ['web1, address: 127.0.1.61, weight: 1', 'web1, address: 127.0.1.61, weight: 0'],
      ['    timeoutSeconds: 2\n', `    timeoutSeconds: 2\n${FTP_PROBE}`],
      ['  mode: continuous\n', '  mode: continuous\n  probe: http\n'],
      ['  - { probe: http, count: 4, everySeconds: 0.5 }\n', '  - { probe: ftp, count: 2, everySeconds: 0.5 }\n'],
      ['changes:\n', 'changes:\n  - at: 0.5\n    weight: { server: web1, to: 1 }\n'],
    ]);
    const c = await runSuites([file]);
    const drain = verdictOf(c, 'drain');
    expect(drain.status, drain.seen).to.equal('pass');
    expect(drain.data).to.include({ server: 'web2', sessions: 2, broken: 0 });
    expect(drain.seen).to.match(/2 of 2 session\(s\) on it carried on/);
    const sessions = ftpSessions(c);
    expect(sessions).to.have.length(2);
    for (const s of sessions) {
      expect(s.realServer, s.id).to.equal('web2');
      expect(s.brokenMs, JSON.stringify(s.error)).to.equal(null);
      expect(s.transfer).to.include({ expectedBytes: 131072, bytes: 131072, verifiedBy: 'content' });
      // Read at 64 KiB/s: 2 s for 128 KiB, so it was in flight at the drain (1.5 s) and ended after it.
      expect(s.transfer!.completedMs).to.be.within(1900, 4000);
      expect(s.closedMs).to.be.at.least(s.transfer!.completedMs!);
      const progress = s.probes.map((p) => p.bytes ?? 0);
      expect(progress.some((b) => b > 0 && b < 131072), progress.join(' ')).to.equal(true);
      expect(progress).to.deep.equal([...progress].sort((a, b) => a - b));
    }
    expect(verdictOf(c, 'disruption').status).to.equal('pass');
  });

  it('a stop of the real server breaks the downloads on it, and failover and disruption count them', async () => {
    const file = variant('failover.yaml', [
      ['web1, address: 127.0.1.71, weight: 1', 'web1, address: 127.0.1.71, weight: 0'],
      ['  - { probe: http, count: 2, everySeconds: 0.5 }\n  - { probe: telnet, count: 2, everySeconds: 0.5 }\n', ''],
      ['  - at: 1.5\n', '  - at: 0.5\n    weight: { server: web1, to: 1 }\n  - at: 1.5\n'],
      ['maxBroken: 6', 'maxBroken: 1'],
    ]);
    const c = await runSuites([file]);
    const sessions = ftpSessions(c);
    expect(sessions).to.have.length(2);
    for (const s of sessions) {
      expect(s.realServer, s.id).to.equal('web2');
      expect(s.brokenMs, s.id).to.be.within(1500, 3000);
      expect(s.error!.code, JSON.stringify(s.error)).to.match(/^(ECONNRESET|ETIMEDOUT|EPIPE|FTP_4\d\d)$/);
      expect(s.transfer!.completedMs).to.equal(null);
      expect(s.transfer!.bytes).to.be.below(196608);
    }
    const failover = verdictOf(c, 'failover');
    expect(failover.data).to.include({ broken: 2 });
    expect(failover.seen).to.match(/2 of 2 session\(s\) broken/);
    const disruption = verdictOf(c, 'disruption');
    expect(disruption.status).to.equal('fail');
    expect(disruption.seen).to.match(/2 session\(s\) broke/);
  });
});
