/**
 * The director read before and after each suite, and the checks that read it: config (drift) and
 * the connections cross-checks, against embedded labs started from an operator's own dump.
 */
import { expect } from 'chai';
import { ExitCode } from '../../src/core/exit-codes.js';
import { wrrOrderOutcome } from '../../src/analysis/wrr-order.js';
import { readDirectorConfig } from '../../src/lab/director-config-file.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const SUITE = 'test/fixtures/suites/pcc-config.yaml';
const DUMPS = 'test/fixtures/director';

describe('director readings and the checks on them', function () {
  this.timeout(60_000);

  it('passes config on a lab set up as the suite says, and cross-checks table, counters and templates', async () => {
    const c = await runSuites([SUITE]);
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts, null, 1)).to.equal(ExitCode.Passed);
    expect(verdictOf(c, 'config').seen).to.match(/no difference$/);
    const v = verdictOf(c, 'connections');
    expect(v.seen).to.match(/director's connection table: 240 agree, 0 disagree/);
    expect(v.data!.counters).to.deep.include({ judged: true, short: [], others: 0 });
    const counters = v.data!.counters as { perServer: Record<string, { director: number; harness: number }> };
    expect(counters.perServer.web1!.director + counters.perServer.web2!.director).to.equal(240);
    expect(v.data!.templates).to.deep.include({ disagreed: [], expired: 0, others: 0 });
    const suite = (c.results.suites[0] as unknown as { director: { before: { connections: unknown[] }; after: { connections: unknown[] } } }).director;
    expect(suite.before.connections).to.have.length(0);
    expect(suite.after.connections.length).to.be.greaterThan(240);
  });

  // The suite sets tcpfin 10 s and an ipvsadm dump has no timeouts: no timeout difference may show.
  it('names every difference of a drifted director, keeps the suite\'s timeouts, and names an unnamed server so no identify regex cuts it', async () => {
    const override = await readDirectorConfig(`${DUMPS}/pcc-config-drifted.txt`);
    const c = await runSuites([SUITE], { directorConfig: (s) => override(s) });
    const v = verdictOf(c, 'config');
    expect(v.status).to.equal('fail');
    expect(v.data!.differences).to.deep.equal([
      'scheduler rr, expected wrr',
      'persistence 300 s, expected 1000 s',
      'web2 weight 100, expected 200',
      'real server 127.0.17.9 not expected',
    ]);
    // Probe b identifies by `^(\w+)`: a server named 127.0.17.9 would have been read as "127".
    expect(c.results.suites[0]!.summary.byRealServer).to.have.property('rs_127_0_17_9');
    expect(c.results.suites[0]!.summary.byRealServer).not.to.have.property('127');
    expect(verdictOf(c, 'pcc').status).to.equal('pass');
  });

  it("gives a suite the part of a whole director's dump that its VIP reaches, and runs on it", async () => {
    const dir = tempDir('lvs-whole-director-');
    const dump = path.join(dir, 'director.txt');
    const rules = path.join(dir, 'marks.rules');
    writeFileSync(dump, [
      '-A -t 127.0.0.171:80 -s rr',
      '-a -t 127.0.0.171:80 -r 127.0.18.1:80 -g -w 1',
      '-A -f 7 -s wrr -p 300',
      '-a -f 7 -r 127.0.18.2:0 -g -w 1',
      '-A -t 127.0.0.170:0 -s wrr -p 1000',
      '-a -t 127.0.0.170:0 -r 127.0.17.1:0 -g -w 100',
      '-a -t 127.0.0.170:0 -r 127.0.17.2:0 -g -w 200',
      '',
    ].join('\n'));
    writeFileSync(rules, '7 tcp 127.0.0.171 21\n');
    const override = await readDirectorConfig(dump, rules);
    const suite = await loadSuite(SUITE, resolveCheck);
    expect(override(suite).services.map((s) => s.vip ?? `fwmark ${s.fwmark}`)).to.deep.equal(['127.0.0.170']);
    const c = await runSuites([SUITE], { directorConfig: (s) => override(s) });
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts.map((v) => v.seen))).to.equal(ExitCode.Passed);
    // A mark no rule places belongs to no VIP in particular: every suite's lab keeps it.
    writeFileSync(rules, '');
    const unplaced = await readDirectorConfig(dump, rules);
    expect(unplaced(suite).services.map((s) => s.vip ?? `fwmark ${s.fwmark}`)).to.deep.equal(['fwmark 7', '127.0.0.170']);
  });

  it("predicts the exact wrr order from the director's own server order, not the suite's", async () => {
    const override = await readDirectorConfig(`${DUMPS}/pcc-two-ports-saved.txt`);
    const c = await runSuites(['test/fixtures/suites/pcc-web2-first.yaml'], { directorConfig: (s) => override(s) });
    const w = verdictOf(c, 'weights');
    expect(w.status, w.seen).to.equal('pass');
    expect(w.data!.exactOrder).to.deep.include({ decisions: 60, orderBreaks: 0, disagreements: 0 });
  });

  it('says the order is unknown, and judges none, when the reading cannot tell the director\'s server order', () => {
    const record = { seq: 1, atMs: 0, service: 'TCP  127.0.0.170:0', client: '127.0.6.1:1', templateKey: null, realServer: 'web2', scheduled: true };
    const lab = { kind: 'embedded' as const, listing: '', connections: '', history: [record] };
    const reading = {
      source: { kind: 'live' as const, description: 'ipvsadm -S -n' }, readAtMs: 0, config: { services: [], fwmarkRules: [] },
      services: null, connections: null, totals: null, timeouts: null, sysctls: null, texts: {},
    };
    const service = { scheduler: 'wrr', realServers: [] } as never;
    expect(wrrOrderOutcome(service, lab, [], reading)).to.deep.include({ pass: true, data: { orderUnknown: true } });
  });
});
