/**
 * `run --director-config` through the real command line: a dump the parser refuses stops the run
 * with exit 11 and file:line before any lab starts or any traffic is sent; a dump the parser reads
 * but the embedded lab cannot run (a kernel scheduler it lacks) is a lab-start error, exit 15.
 * Before the director parser, `-M 255.255.255.999` passed and crashed the run with a TypeError, exit 1.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';

function run(dump: string): { code: number | null; stderr: string; results: string } {
  const dir = tempDir('lvs-director-config-');
  const file = path.join(dir, 'bad.dump');
  writeFileSync(file, dump);
  const results = path.join(dir, 'results');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'run', '--results', results, '--director-config', file, 'suites/pcc.yaml'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr, results };
}

/** Runs that started write results/<run-id>/observations.ndjson; a run refused up front has no connection in it. */
function connectionsMade(results: string): number {
  if (!existsSync(results)) return 0;
  return readdirSync(results, { recursive: true }).filter((f) => String(f).endsWith('observations.ndjson')).length;
}

describe('run --director-config with a dump the labs cannot take', function () {
  this.timeout(60_000);

  it('exits 11 naming the file and line of a netmask octet over 255, and sends nothing', () => {
    const r = run('-A -t 127.0.0.100:0 -s wrr -p 1000 -M 255.255.255.999\n-a -t 127.0.0.100:0 -r 127.0.1.1:0 -g -w 100\n');
    expect(r.code, r.stderr).to.equal(11);
    expect(r.stderr).to.match(/^ERROR BAD_DIRECTOR_CONFIG: .*bad\.dump:1: -A -t 127\.0\.0\.100:0 .*expected an IPv4 address with four octets from 0 to 255, not 255\.255\.255\.999$/m);
    expect(r.stderr).not.to.match(/TypeError|internal error|\n\s+at /);
    expect(connectionsMade(r.results)).to.equal(0);
  });

  it('exits 11 naming line 2 for a real server address with an octet over 255', () => {
    const r = run('-A -t 127.0.0.100:0 -s wrr -p 1000\n-a -t 127.0.0.100:0 -r 127.0.1.300:0 -g -w 100\n');
    expect(r.code, r.stderr).to.equal(11);
    expect(r.stderr).to.match(/bad\.dump:2: .*not 127\.0\.1\.300$/m);
    expect(connectionsMade(r.results)).to.equal(0);
  });

  it('exits 15 when the embedded lab lacks the dump\'s kernel scheduler', () => {
    const r = run('-A -t 127.0.0.100:0 -s mh -p 1000\n-a -t 127.0.0.100:0 -r 127.0.1.1:0 -g -w 1\n-a -t 127.0.0.100:0 -r 127.0.1.2:0 -g -w 1\n');
    expect(r.code, r.stderr).to.equal(15);
    expect(r.stderr).to.match(/LAB_START_FAILED: embedded lab: cannot start service TCP {2}127\.0\.0\.100:0: the embedded lab has no mh scheduler \(it implements rr, wrr, lc, wlc, sh\)/);
    expect(r.stderr).to.match(/hint: Try this director with --lab kernel/);
  });
});
