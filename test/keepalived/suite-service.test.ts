/**
 * A suite's `service` from a keepalived.conf: it loads as the inline service it stands for (so every
 * check reads one shape), problems point at the suite's field and at the conf's file:line, and the
 * command line runs it, and takes a keepalived.conf as --director-config, on the embedded lab.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../../src/core/errors.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import { parseSuite } from '../../src/suite/load-suite.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIX = path.resolve('test/fixtures/keepalived');
/** The PCC experiment's conf, from the fixtures' folder. */
const PCC = path.relative(FIX, path.resolve('suites/keepalived/pcc-lb.conf'));

function suite(service: string, vip = '127.0.0.100', port = 8080): string {
  return `vip: ${vip}
service: ${service}
probes:
  - { name: http, type: http, port: ${port}, identify: { header: x-real-server } }
clients:
  sources: 127.0.0.2-127.0.0.41
`;
}

async function load(service: string, vip?: string, port?: number) {
  return parseSuite(suite(service, vip, port), path.join(FIX, 'suite.yaml'), resolveCheck);
}

async function problem(service: string, vip?: string): Promise<string> {
  const err = await load(service, vip).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(HarnessError);
  return (err as HarnessError).message;
}

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('suite service from a keepalived.conf', function () {
  this.timeout(120_000);

  it('stands for the inline service keepalived would program, names from the suite, the file kept for the kernel lab', async () => {
    const s = await load(`{ keepalived: ${PCC}, names: { 127.0.1.1: web1 } }`);
    expect(s.spec.service).to.deep.include({ kind: 'pcc', port: 0, protocol: 'tcp', scheduler: 'wrr', forward: 'route' });
    expect(s.spec.service.persistence).to.deep.equal({ timeout: 1000, netmask: '255.255.255.255' });
    // web2 has no name in the suite: keepalived has none, and the default is no bare octet that
    // ^(\w+) could cut out of an address and share with another server.
    expect(s.spec.service.realServers).to.deep.equal([
      { name: 'web1', address: '127.0.1.1', weight: 100 },
      { name: 'rs-127-0-1-2', address: '127.0.1.2', weight: 200 },
    ]);
    expect(s.keepalived!.file).to.equal(path.resolve('suites/keepalived/pcc-lb.conf'));
    expect(s.keepalived!.virtualServer.realServers[0]!.checkers[0]!.type).to.equal('HTTP_GET');
    expect(s.warnings).to.deep.equal([]);
  });

  it('picks a virtual server by its keepalived name, and shows keepalived\'s warnings about the file', async () => {
    const s = await load('{ keepalived: defaults.conf, virtualServer: "127.0.0.100 80" }', undefined, 80);
    expect(s.spec.service).to.deep.include({ kind: 'ppc', ports: [80], scheduler: 'rr' });
    expect(s.spec.service.persistence).to.deep.equal({ timeout: 360, netmask: '255.255.255.255' });
    expect(s.warnings).to.have.length(9);
    expect(s.warnings![1]).to.match(/defaults\.conf:4: keepalived: virtual_server 127\.0\.0\.100 0: no protocol set - defaulting to UDP$/);
  });

  it('says where, in the suite and in the conf, when the conf or the choice is wrong', async () => {
    // More than one virtual server and none chosen.
    expect(await problem('{ keepalived: defaults.conf }')).to.match(/^.*suite\.yaml:2:10: service\.virtualServer: expected a virtualServer naming one of "127\.0\.0\.100 0", "127\.0\.0\.100 80", "fwmark 7"/);
    // keepalived's UDP default: the suite's probes speak TCP.
    expect(await problem('{ keepalived: defaults.conf, virtualServer: 127.0.0.100 0 }')).to.match(/service\.keepalived: expected a TCP virtual server: 127\.0\.0\.100 0 at .*defaults\.conf:4 is UDP \(keepalived's default without `protocol TCP`\)/);
    // A fwmark service needs the ports its mark covers.
    expect(await problem('{ keepalived: defaults.conf, virtualServer: fwmark 7 }')).to.match(/service\.ports: expected the ports fwmark 7 covers/);
    // The suite's VIP is not the conf's.
    expect(await problem(`{ keepalived: ${PCC} }`, '127.0.0.101')).to.match(/suite\.yaml:1:6: vip: expected the address of virtual_server 127\.0\.0\.100 0 \(127\.0\.0\.100, .*pcc-lb\.conf:16\)/);
    // A conf keepalived would not read as written: both places named.
    const dir = tempDir('lvs-keepalived-suite-');
    writeFileSync(path.join(dir, 'bad.conf'), 'virtual_server 127.0.0.100 0 {\n  lb_algo roundrobin\n}\n');
    const err = (await parseSuite(suite('{ keepalived: bad.conf }'), path.join(dir, 's.yaml'), resolveCheck).catch((e: unknown) => e)) as HarnessError;
    expect(err.message).to.match(/s\.yaml:2:24: service\.keepalived: expected a keepalived\.conf the harness reads as keepalived does and the labs can run: .*bad\.conf:2:11: lb_algo: expected one of rr wrr/);
    expect(err.exitCode).to.equal(11);
    expect(await problem('{ keepalived: no-such.conf }')).to.match(/service\.keepalived: expected a keepalived\.conf the harness reads as keepalived does and the labs can run: .*no-such\.conf:1:1/);
    expect(await problem(`{ keepalived: ${PCC}, weight: 3 }`)).to.match(/service\.weight: expected no such field here/);
  });

  it('runs on the embedded lab from the command line, and --director-config takes the same conf', () => {
    const root = tempDir('lvs-keepalived-cli-');
    const bySuite = cli('run', '--results', root, 'suites/keepalived-pcc.yaml');
    expect(bySuite.code, bySuite.stdout + bySuite.stderr).to.equal(0);
    expect(bySuite.stdout).to.match(/PASS weights: web1 \d+, web2 \d+ of 160 clients/);
    // The tutorial's inline PCC suite judged against the keepalived.conf as the director.
    const byFlag = cli('run', '--results', root, '--director-config', 'suites/keepalived/pcc-lb.conf', 'test/fixtures/keepalived/pcc-inline.yaml');
    expect(byFlag.code, byFlag.stdout + byFlag.stderr).to.equal(0);
    // keepalived's warnings about a --director-config reach stderr; a bad one stops with exit 11.
    const warned = cli('run', '--results', root, '--max-clients', '2', '--director-config', 'test/fixtures/keepalived/defaults.conf', 'test/fixtures/keepalived/pcc-inline.yaml');
    expect(warned.stderr).to.match(/warning: .*defaults\.conf:4: keepalived: virtual_server 127\.0\.0\.100 0: no protocol set - defaulting to UDP/);
    const dir = tempDir('lvs-keepalived-bad-');
    writeFileSync(path.join(dir, 'bad.conf'), 'virtual_server 127.0.0.100 0 {\n  persistence_timeout 0\n');
    const bad = cli('run', '--results', root, '--director-config', path.join(dir, 'bad.conf'), 'test/fixtures/keepalived/pcc-inline.yaml');
    expect(bad.code).to.equal(11);
    expect(bad.stderr).to.match(/bad\.conf:1:30: '\{': expected a '\}' closing this block/);
    expect(bad.stderr).not.to.match(/\n\s+at /);
  });

  it('reads @ID lines with --keepalived-id, and without it stops before any traffic naming the conf line and the option', async () => {
    const conf = path.relative(FIX, path.resolve('test/fixtures/keepalived/field/config-id.conf'));
    const text = suite(`{ keepalived: ${conf} }`);
    const s = await parseSuite(text, path.join(FIX, 'suite.yaml'), resolveCheck, { keepalivedId: 'lvs1' });
    expect(s.spec.service.realServers.map((rs) => rs.address)).to.deep.equal(['127.0.1.1', '127.0.1.3']);
    const dir = tempDir('lvs-keepalived-id-');
    const file = path.join(dir, 'suite.yaml');
    writeFileSync(file, suite(`{ keepalived: ${path.resolve('test/fixtures/keepalived/field/config-id.conf')} }`));
    const without = cli('run', '--results', dir, file);
    expect(without.code, without.stdout + without.stderr).to.equal(11);
    expect(without.stdout + without.stderr).to.match(/config-id\.conf:7:1: @lvs1: expected the director's keepalived config id \(--keepalived-id NAME\)/);
    expect(without.stdout + without.stderr).to.match(/hint: Pass --keepalived-id NAME/);
    expect(without.stdout + without.stderr).not.to.match(/\n\s+at /);
    const blank = cli('run', '--results', dir, '--keepalived-id', 'lvs 1', file);
    expect([blank.code, blank.stderr]).to.deep.equal([11, blank.stderr]);
    expect(blank.stderr).to.match(/--keepalived-id: expected a config id without blanks/);
  });
});
