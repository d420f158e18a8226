/**
 * Suites run for real against the embedded lab over loopback, including labs that are wrong on
 * purpose: each check must fail when the director does not do what the suite expects.
 */
import { expect } from 'chai';
import { ExitCode } from '../../src/core/exit-codes.js';
import { directorConfigFor } from '../../src/lab/director-config.js';
import type { DirectorConfig } from '../../src/model/ipvs.js';
import type { LoadedSuite } from '../../src/suite/load-suite.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';

const FIX = 'test/fixtures/suites';

/** The suite's own service, changed the way an operator's mistake would change it. */
function altered(change: (svc: LoadedSuite['spec']['service']) => Partial<LoadedSuite['spec']['service']>) {
  return (suite: LoadedSuite): DirectorConfig =>
    directorConfigFor(suite.spec.vip, { ...suite.spec.service, ...change(suite.spec.service) });
}

/** Per-port services on the probe ports, as a director set up with one service per port would be. */
function perPort(persistent: boolean) {
  return altered((svc) => ({
    kind: 'ppc',
    port: undefined,
    ports: [20080, 20081],
    persistence: persistent ? svc.persistence : null,
  }));
}

describe('suites against the embedded lab', function () {
  this.timeout(60_000);

  it('passes a PCC suite on a correct lab, with the kernel wrr order', async () => {
    const c = await runSuites([`${FIX}/pcc-two-ports.yaml`]);
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts, null, 1)).to.equal(ExitCode.Passed);
    expect(verdictOf(c, 'pcc').status).to.equal('pass');
    const w = verdictOf(c, 'weights');
    expect(w.status).to.equal('pass');
    expect(w.data!.exactOrder).to.deep.include({ decisions: 60, matched: 60, orderBreaks: 0, disagreements: 0 });
    expect(c.results.suites[0]!.summary.connections).to.equal(240);
    expect(c.results.suites[0]!.lab!.listing).to.contain('persistent 1000');
  });

  it('fails pcc on a lab without persistence', async () => {
    const c = await runSuites([`${FIX}/pcc-two-ports.yaml`], { directorConfig: perPort(false) });
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    const v = verdictOf(c, 'pcc');
    expect(v.status).to.equal('fail');
    expect(v.seen).to.match(/changed real server/);
    expect(v.examples.length).to.be.greaterThan(0);
  });

  it('fails pcc on a per-port (PPC) lab when the suite spans two ports', async () => {
    const c = await runSuites([`${FIX}/pcc-two-ports.yaml`], { directorConfig: perPort(true) });
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    expect(verdictOf(c, 'pcc').status).to.equal('fail');
  });

  it('fails weights 100:200 on a lab weighted 1:1, at the default significance', async () => {
    const c = await runSuites([`${FIX}/weights-200.yaml`], {
      directorConfig: altered((svc) => ({ realServers: svc.realServers.map((rs) => ({ ...rs, weight: 1 })) })),
    });
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    const v = verdictOf(c, 'weights');
    expect(v.status).to.equal('fail');
    expect(v.data!.pValue as number).to.be.lessThan(0.01);
    expect(v.data!.counts).to.deep.equal({ web1: 100, web2: 100 });
  });

  it('passes weights 100:200 on the correct lab', async () => {
    const c = await runSuites([`${FIX}/weights-200.yaml`]);
    const v = verdictOf(c, 'weights');
    expect(v.status, v.seen).to.equal('pass');
    expect(v.data!.pValue as number).to.be.greaterThan(0.01);
  });

  it('reports failed connections with their reason when a real server dies mid-run', async () => {
    let stopped = false;
    const c = await runSuites([`${FIX}/dying-server.yaml`], {
      onEvent: (e, lab) => {
        if (e.type === 'observation' && e.observation.seq === 40 && !stopped && lab) {
          stopped = true;
          void (lab as unknown as { stopRealServer(n: string): Promise<void> }).stopRealServer('web2');
        }
      },
    });
    expect(stopped).to.equal(true);
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    const v = verdictOf(c, 'connections');
    expect(v.status).to.equal('fail');
    const summary = c.results.suites[0]!.summary;
    expect(summary.failed).to.be.greaterThan(0);
    expect(Object.keys(summary.errors)).to.satisfy((codes: string[]) => codes.every((k) => /ECONNRESET|ECONNREFUSED/.test(k)));
    expect(v.examples[0]).to.have.property('detail').that.matches(/ECONN/);
  });

  it('exits "unreachable" when nothing answers at the VIP, and still writes results', async () => {
    const c = await runSuites([`${FIX}/unreachable.yaml`], { startLab: async () => null });
    expect(c.exitCode).to.equal(ExitCode.TargetUnreachable);
    expect(c.results.outcome).to.equal('unreachable');
    expect(c.results.suites[0]!.summary.failed).to.be.greaterThan(0);
  });

  it('names the plugin at fault when a check throws, and still gives the other verdicts', async () => {
    const c = await runSuites([`${FIX}/throwing-plugin.yaml`]);
    expect(c.exitCode).to.equal(ExitCode.PluginError);
    const v = verdictOf(c, 'broken');
    expect(v.status).to.equal('error');
    expect(v.seen).to.contain('[plugin broken] verdict: index out of range');
    expect(verdictOf(c, 'pcc').status).to.equal('pass');
  });

  it('keeps what was collected when aborted', async () => {
    const controller = new AbortController();
    const c = await runSuites([`${FIX}/weights-200.yaml`], {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'observation' && e.observation.seq === 30) controller.abort();
      },
    });
    expect(c.exitCode).to.equal(ExitCode.Aborted);
    expect(c.results.outcome).to.equal('aborted');
    const n = c.results.suites[0]!.summary.connections;
    expect(n).to.be.within(31, 199);
  });

  it('reports an invalid suite before any traffic, with results written', async () => {
    const c = await runSuites([`${FIX}/pcc-two-ports.yaml`, 'test/fixtures/suites/missing.yaml']);
    expect(c.exitCode).to.equal(ExitCode.InvalidInput);
    expect(c.events.some((e) => e.type === 'observation')).to.equal(false);
    expect(c.results.error!.code).to.equal('INVALID_SUITE');
  });
});
