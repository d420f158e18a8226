/** The real command line, spawned as a user runs it: exit codes, stderr messages, files written. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('command line', function () {
  this.timeout(60_000);
  const tmp = tempDir('lvs-harness-cli-');

  const cases: Array<[string, string[], number, RegExp]> = [
    ['help', ['--help'], 0, /Exit codes/],
    ['unknown command', ['frobnicate'], 11, /BAD_ARGUMENT: command "frobnicate": expected run, lab up, bench, compare, merge, k8s-job, director show or init/],
    ['no suite', ['run'], 11, /expected at least one suite file/],
    ['bad lab', ['run', '--lab', 'cloud', 'suites/pcc.yaml'], 11, /--lab: expected embedded, kernel or none/],
    ['missing suite file', ['run', '--results', tmp, 'nope.yaml'], 11, /nope\.yaml:1:1: \(file\): expected an existing suite file/],
    ['a dump of another VIP', ['run', '--results', tmp, '--director-config', 'test/fixtures/director/pcc-config-other-vip.txt', 'test/fixtures/suites/pcc-config.yaml'], 11, /pcc-config-other-vip\.txt does not fit .*pcc-config\.yaml: its services are on 10\.0\.0\.170, the suite's VIP is 127\.0\.0\.170/],
    ['sources this host does not own (--lab none)', ['run', '--lab', 'none', '--results', tmp, 'test/fixtures/suites/foreign-sources.yaml'], 15, /2 source address\(es\) are not addresses of this host: 203\.0\.113\.10, 203\.0\.113\.11\n.*\n.*for a in 203\.0\.113\.10 203\.0\.113\.11; do ip addr add \$a\/32 dev \w+; done/],
    ['a VIP that answers on no probe port (--lab none)', ['run', '--lab', 'none', '--results', tmp, 'test/fixtures/suites/unreachable.yaml'], 12, /no connection to 127\.0\.0\.153 succeeded: no probe port \(20110, 20111\) accepted a TCP connection from 127\.0\.9\.1 within 3 s; nothing else was sent/],
    ['bench sources this host does not own', ['bench', '-n', '1', '--sources', '203.0.113.20', 'http://127.0.0.1:9/'], 15, /--sources: 1 source address\(es\) are not addresses of this host: 203\.0\.113\.20/],
    ['--director with a lab', ['run', '--director', 'local', 'suites/pcc.yaml'], 11, /--director: expected --lab none beside it \(a lab is read as its own director\)/],
    ['bad reporter', ['run', '--reporter', 'xml', 'suites/pcc.yaml'], 11, /--reporter xml: expected spec, junit:FILE or ndjson:FILE/],
  ];
  for (const [name, args, code, stderr] of cases) {
    it(`exits ${code} on ${name}`, () => {
      const r = cli(...args);
      expect(r.code, r.stderr).to.equal(code);
      expect(code === 0 ? r.stdout : r.stderr).to.match(stderr);
    });
  }

  it('runs a suite, prints verdicts, writes results.json and JUnit XML', () => {
    const out = tempDir('lvs-harness-cli-run-');
    const junit = path.join(out, 'junit.xml');
    const r = cli('run', '--results', out, '--reporter', 'spec', '--reporter', `junit:${junit}`, 'test/fixtures/suites/pcc-two-ports.yaml');
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/PASS pcc: all \d+ clients with 2\+ connections stayed on one real server/);
    expect(r.stdout).to.match(/PASS weights:/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).to.match(/<testsuites name="lvs-harness" tests="3" failures="0" errors="0">/);
    expect(xml).to.contain('<testcase classname="pcc-two-ports" name="pcc"/>');
    const runs = readdirSync(out).filter((d) => /^\d{8}-\d{6}-/.test(d));
    const results = JSON.parse(readFileSync(path.join(out, runs[0]!, 'results.json'), 'utf8'));
    expect(results).to.include({ outcome: 'passed', exitCode: 0 });
    const ndjson = readFileSync(path.join(out, runs[0]!, 'observations.ndjson'), 'utf8').trim().split('\n');
    expect(ndjson).to.have.length(240);
  });
});
