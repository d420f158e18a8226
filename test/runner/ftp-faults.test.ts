/**
 * The FTP recipe against the embedded lab: correct, with the passive range left out of the fwmark
 * (or under a mark of its own), and with real servers that reset data connections mid-transfer.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ExitCode } from '../../src/core/exit-codes.js';
import { directorConfigFor } from '../../src/lab/director-config.js';
import { startEmbeddedLab } from '../../src/lab/embedded-lab.js';
import { ftpLabFor } from '../../src/lab/ftp-lab.js';
import type { DirectorConfig } from '../../src/model/ipvs.js';
import type { LabFactory } from '../../src/lab/lab.js';
import type { LoadedSuite } from '../../src/suite/load-suite.js';
import { runSuites, verdictOf } from '../helpers/run-helpers.js';

const details = (v: { examples: unknown[] }): string[] => (v.examples as { detail: string }[]).map((e) => e.detail);

const SUITE = 'test/fixtures/suites/ftp-fwmark.yaml';
const CONTROL_AND_HTTP = [22021, 22080];

/** The suite's fwmark service, but the mark covers only the control and HTTP ports. */
function passiveOutsideMark(extra: (config: DirectorConfig, suite: LoadedSuite) => void = () => undefined) {
  return (suite: LoadedSuite): DirectorConfig => {
    const config = directorConfigFor(suite.spec.vip, { ...suite.spec.service, ports: CONTROL_AND_HTTP });
    extra(config, suite);
    return config;
  };
}

describe('FTP through the embedded lab', function () {
  this.timeout(60_000);

  it('passes fwmark and ftp in passive and active mode on a correct lab', async () => {
    const c = await runSuites([SUITE]);
    expect(c.exitCode, JSON.stringify(c.results.suites[0]?.verdicts, null, 1)).to.equal(ExitCode.Passed);
    const ftp = verdictOf(c, 'ftp');
    expect(ftp.seen).to.match(/passive: 24\/24 sessions clean/).and.match(/active: 24\/24 sessions clean/);
    expect(verdictOf(c, 'fwmark').status).to.equal('pass');
    expect(c.results.suites[0]!.lab!.connections).to.match(/^IP\s/m);
  });

  it('fails ftp, naming refused data connections, when the passive range is outside the fwmark', async () => {
    const c = await runSuites([SUITE], { directorConfig: passiveOutsideMark() });
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    const v = verdictOf(c, 'ftp');
    expect(v.status).to.equal('fail');
    expect(v.seen).to.match(/passive: 0\/24 sessions clean/).and.match(/data connection refused x24/).and.match(/active: 24\/24/);
    expect(details(v)[0]).to.match(/was refused: no virtual service covers that port/);
  });

  it('fails ftp, naming the other real server, when the passive range has a mark of its own', async () => {
    const ownMark = passiveOutsideMark((config, suite) => {
      // Its dests in the other order, or rr would pick alike for both marks as clients arrive in step.
      const first = config.services[0]!;
      config.services.push({ ...first, fwmark: 2, realServers: [...first.realServers].reverse() });
      config.fwmarkRules.push({ mark: 2, protocol: 'tcp', vip: suite.spec.vip, ports: [{ from: 22100, to: 22109 }] });
    });
    const c = await runSuites([SUITE], { directorConfig: ownMark });
    const v = verdictOf(c, 'ftp');
    expect(v.status).to.equal('fail');
    expect(v.seen).to.match(/data connection reached another real server x\d+/);
    const example = details(v).find((d) => /another real server/.test(d));
    expect(example).to.match(/reached another real server, ftp\d \(director service FWM {2}2\), while control went to ftp\d/);
  });

  it('reports data connections reset mid-transfer and still writes results.json', async () => {
    const resetting: LabFactory = (suite) => {
      const ftp = ftpLabFor(suite.spec);
      return startEmbeddedLab({
        config: directorConfigFor(suite.spec.vip, suite.spec.service),
        listenPorts: [...CONTROL_AND_HTTP, ...ftp.passivePorts],
        httpPorts: [22080],
        ftpServers: ftp.servers.map((s) => ({ ...s, resetDataAfterBytes: 3 })),
      });
    };
    const c = await runSuites([SUITE], { startLab: resetting });
    expect(c.exitCode).to.equal(ExitCode.ChecksFailed);
    expect(existsSync(path.join(c.resultsDir, 'results.json'))).to.equal(true);
    const v = verdictOf(c, 'ftp');
    expect(v.seen).to.match(/data connection failed x48/);
    expect(details(v)[0], details(v)[0]).to.match(/(RETR|LIST) data connection \((passive|active)\) .* via ftp\d failed after \d+ bytes: (ECONNRESET|FTP_426)/);
    const errors = Object.keys(c.results.suites[0]!.summary.errors);
    expect(errors.every((code) => code === 'ECONNRESET' || code === 'FTP_426'), errors.join()).to.equal(true);
  });
});
