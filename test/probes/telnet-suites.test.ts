/**
 * Telnet suites run whole: across HTTP and Telnet on one PCC VIP through the embedded lab, with
 * passwords that must reach no results file; and against a telnetd that never shows a prompt, which
 * must fail the run with the reason rather than hang it. This file's ports: 21300-21399.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { ExitCode } from '../../src/core/exit-codes.js';
import type { Lab } from '../../src/lab/lab.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';

const FIX = 'test/fixtures/suites';
const ENV = 'LVS_HARNESS_FIXTURE_TELNET_PW';

/** A telnetd on the suite's VIP that greets and then says nothing, standing in for the whole lab. */
async function muteTelnetd(host: string, port: number): Promise<Lab> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.write('\xff\xfd\x18mute telnetd\r\n', 'latin1');
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  return {
    kind: 'embedded',
    describe: () => `mute telnetd on ${host}:${port}`,
    snapshot: async () => ({ kind: 'embedded', listing: '', connections: '', history: [] }),
    read: async () => ({
      source: { kind: 'embedded', description: 'mute telnetd' }, readAtMs: Date.now(), config: { services: [], fwmarkRules: [] },
      services: null, connections: null, totals: null, timeouts: null, sysctls: null, texts: {},
    }),
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('telnet suites', function () {
  this.timeout(30_000);

  it('keeps HTTP and Telnet of a client on one real server under PCC, and no password reaches the results', async () => {
    process.env[ENV] = 'fixture-pass-from-env';
    try {
      const c = await runSuites([`${FIX}/telnet-secrets.yaml`]);
      expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts, null, 1)).to.equal(ExitCode.Passed);
      expect(verdictOf(c, 'pcc').status).to.equal('pass');
      const summary = c.results.suites[0]!.summary;
      expect(summary.connections).to.equal(180);
      expect(summary.failed).to.equal(0);
      const results = await readFile(path.join(c.resultsDir, 'results.json'), 'utf8');
      const ndjson = await readFile(path.join(c.resultsDir, 'observations.ndjson'), 'utf8');
      const events = JSON.stringify(c.events);
      for (const secret of ['fixture-pass-inline', 'fixture-pass-from-env']) {
        expect(results).not.to.contain(secret);
        expect(ndjson).not.to.contain(secret);
        expect(events).not.to.contain(secret);
      }
      // The plugin did quote the suite's probes: redacted, with the variable's name only.
      expect(results).to.contain('"password": "(redacted)"').and.contain(`"passwordEnv": "${ENV}"`);
      const telnet = ndjson.split('\n').filter((l) => l.includes('"protocol":"telnet"'));
      expect(telnet).to.have.length(120);
    } finally {
      delete process.env[ENV];
    }
  });

  it('stops before traffic when a passwordEnv variable is not set', async () => {
    const c = await runSuites([`${FIX}/telnet-secrets.yaml`]);
    expect(c.exitCode).to.equal(ExitCode.InvalidInput);
    expect(c.results.error?.message).to.contain(`${ENV} is not`);
    expect(c.events.some((e) => e.type === 'observation')).to.equal(false);
  });

  it('fails with ETIMEDOUT naming the awaited prompt when the telnetd never shows one, and writes results', async () => {
    let lab: Lab | null = null;
    const t0 = performance.now();
    const c = await runSuites([`${FIX}/telnet-no-prompt.yaml`], {
      startLab: async (suite) => (lab = await muteTelnetd(suite.spec.vip, 21301)),
    });
    expect(performance.now() - t0).to.be.lessThan(5000);
    expect(lab).not.to.equal(null);
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    expect(c.results.outcome).to.equal('failed');
    const summary = c.results.suites[0]!.summary;
    expect(summary).to.include({ connections: 4, failed: 4 });
    expect(summary.errors).to.deep.equal({ ETIMEDOUT: 4 });
    const v = verdictOf(c, 'connections');
    expect(v.status).to.equal('fail');
    expect(JSON.stringify(v.examples)).to.contain('waiting for the login or shell prompt');
    const ndjson = await readFile(path.join(c.resultsDir, 'observations.ndjson'), 'utf8');
    const first = JSON.parse(ndjson.split('\n')[0]!) as { error: { code: string; message: string } };
    expect(first.error.code).to.equal('ETIMEDOUT');
    expect(first.error.message).to.match(/^timed out after 0\.3 s waiting for the login or shell prompt .*"mute telnetd\\r\\n"$/);
    expect(ndjson).not.to.contain('fixture-pass-no-prompt');
  });
});
