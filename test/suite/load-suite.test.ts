import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { ErrorCode, HarnessError } from '../../src/core/errors.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { parseSuite } from '../../src/suite/load-suite.js';

const VALID = `vip: 127.0.0.100
service:
  kind: pcc
  port: 0
  scheduler: wrr
  persistence: { timeout: 1000 }
  realServers:
    - { name: web1, address: 127.0.1.1, weight: 100 }
    - { name: web2, address: 127.0.1.2, weight: 200 }
probes:
  - name: http
    type: http
    port: 8080
    identify: { header: x-real-server }
clients:
  sources: 127.0.0.2-127.0.0.201
checks:
  - pcc
  - weights: { significance: 0.05 }
`;

async function problemsOf(text: string): Promise<HarnessError> {
  try {
    await parseSuite(text, 'bad.yaml', resolveCheck);
  } catch (e) {
    expect(e).to.be.instanceOf(HarnessError);
    return e as HarnessError;
  }
  throw new Error('the suite was accepted');
}

describe('suite loading', () => {
  it('accepts a valid suite, expands the pool and adds the connections check', async () => {
    const s = await parseSuite(VALID, 'ok.yaml', resolveCheck);
    expect(s.name).to.equal('ok');
    expect(s.sources).to.have.length(200);
    expect(s.sources[0]).to.equal('127.0.0.2');
    expect(s.checks.map((c) => c.plugin.name)).to.deep.equal(['connections', 'pcc', 'weights']);
    expect(s.checks[2]!.options).to.deep.equal({ significance: 0.05, tolerance: 10, exactOrder: true });
    expect(s.spec.service.forward).to.equal('route');
  });

  it('loads the shipped suites', async () => {
    for (const f of ['suites/pcc.yaml', 'suites/ppc.yaml', 'suites/expiry.yaml']) {
      const s = await parseSuite(await readFile(f, 'utf8'), f, resolveCheck);
      expect(s.sources.length).to.be.greaterThan(10);
    }
  });

  it('reports a wrong type with file, line, column, field and expectation', async () => {
    const e = await problemsOf(VALID.replace('weight: 200', 'weight: heavy'));
    expect(e.code).to.equal(ErrorCode.INVALID_SUITE);
    expect(e.exitCode).to.equal(ExitCode.InvalidInput);
    expect(e.problems).to.have.length(1);
    expect(e.problems[0]).to.deep.include({ file: 'bad.yaml', line: 9, column: 49, field: 'service.realServers[1].weight' });
    expect(e.problems[0]!.expected).to.match(/number/);
  });

  it('points at a misspelt key', async () => {
    const e = await problemsOf(VALID.replace('scheduler: wrr', 'schedular: wrr'));
    expect(e.problems[0]).to.deep.include({ line: 5, column: 3, field: 'service.schedular' });
  });

  it('names the allowed values of an enum', async () => {
    const e = await problemsOf(VALID.replace('scheduler: wrr', 'scheduler: fastest'));
    expect(e.problems[0]).to.deep.include({ line: 5, column: 14, field: 'service.scheduler' });
    expect(e.problems[0]!.expected).to.contain('"wrr"');
  });

  it('requires persistence and port 0 for PCC', async () => {
    const e = await problemsOf(VALID.replace('  persistence: { timeout: 1000 }\n', '').replace('port: 0', 'port: 80'));
    const fields = e.problems.map((p) => p.field);
    expect(fields).to.include.members(['service.port', 'service.persistence']);
    expect(e.problems.find((p) => p.field === 'service.port')).to.deep.include({ line: 4, column: 9 });
  });

  it('rejects a bad source pool with what a pool looks like', async () => {
    const e = await problemsOf(VALID.replace('127.0.0.2-127.0.0.201', '127.0.0.300-127.0.0.1'));
    expect(e.problems[0]).to.deep.include({ line: 16, column: 12, field: 'clients.sources' });
    expect(e.problems[0]!.expected).to.contain('CIDR');
  });

  it('reports YAML syntax errors with their position', async () => {
    const e = await problemsOf('vip: 127.0.0.1\nservice: [unclosed\n');
    expect(e.problems[0]!.field).to.equal('(yaml)');
    expect(e.problems[0]!.line).to.be.greaterThan(1);
  });

  it('rejects an unknown check and bad check options at their place', async () => {
    const e = await problemsOf(VALID.replace('  - pcc\n', '  - stickyness\n').replace('significance: 0.05', 'significance: 2'));
    expect(e.problems.map((p) => [p.field, p.line])).to.deep.equal([
      ['checks[0]', 18],
      ['checks[1].weights.significance', 19],
    ]);
    expect(e.problems[0]!.expected).to.contain('stickyness');
  });

  it('requires PPC probe ports to be service ports', async () => {
    const text = VALID.replace('kind: pcc', 'kind: ppc').replace('port: 0', 'ports: [80, 23]');
    const e = await problemsOf(text);
    expect(e.problems[0]).to.deep.include({ field: 'probes[0].port', line: 13 });
  });
});
