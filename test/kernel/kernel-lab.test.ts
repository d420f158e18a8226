/**
 * The kernel tier: the harness against real IPVS in a qemu guest (src/lab/kernel). Each `it` boots
 * the guest once through the CLI, as a user would. It needs root, qemu, Debian's kernel and the
 * guest's tools (.ci/kernel-lab.sh installs them), and it is opt-in with LVS_KERNEL_LAB=1 because a
 * boot and a run under TCG take about 40 s.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isHarnessError } from '../../src/core/errors.js';
import { checkKernelEnvironment } from '../../src/lab/kernel/environment.js';
import type { Observation } from '../../src/model/observation.js';
import { runSuites, type ResultsJson } from '../helpers/run-helpers.js';

const PCC = 'test/fixtures/kernel/pcc.yaml';
const PPC = 'test/fixtures/kernel/ppc.yaml';

interface KernelRun {
  exitCode: number;
  stdout: string;
  results: ResultsJson & { suites: Array<ResultsJson['suites'][number] & { lab: { stats: string; connectionTable: Record<string, number> } }> };
  observations: Observation[];
}

function skipReason(): string | null {
  if (process.env.LVS_KERNEL_LAB !== '1') return 'set LVS_KERNEL_LAB=1 to run it (.ci/kernel-lab.sh does)';
  try {
    checkKernelEnvironment();
    return null;
  } catch (e) {
    if (isHarnessError(e)) return `${e.message} (${e.hint ?? ''})`;
    throw e;
  }
}

async function runKernel(...args: string[]): Promise<KernelRun> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'lvs-kernel-test-'));
  const child = spawnSync(process.execPath, ['dist/src/cli/bin.js', 'run', '--lab', 'kernel', '--results', root, ...args], { encoding: 'utf8', timeout: 600_000 });
  const [dir] = await readdir(root);
  if (dir === undefined) throw new Error(`no results (exit ${child.status}): ${child.stdout}\n${child.stderr}`);
  const read = (f: string): Promise<string> => readFile(path.join(root, dir, f), 'utf8');
  return {
    exitCode: child.status ?? -1,
    stdout: child.stdout,
    results: JSON.parse(await read('results.json')),
    observations: (await read('observations.ndjson')).trim().split('\n').map((l) => JSON.parse(l) as Observation),
  };
}

/** Client -> real server, keyed by the low 24 bits, which both labs' addresses share. */
function serverByClient(observations: readonly Observation[]): Map<string, string | null> {
  return new Map(observations.map((o) => [o.client.address.split('.').slice(1).join('.'), o.realServer]));
}

describe('kernel lab (real IPVS in a qemu guest)', function () {
  this.timeout(900_000);
  let tutorial: KernelRun;

  before(function () {
    const reason = skipReason();
    if (reason !== null) {
      console.log(`    kernel tier skipped: ${reason}`);
      this.skip();
    }
    // The guest runs the built harness from the host's root, so the build must be current.
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  });

  it('passes the tutorial PCC and PPC suites and keeps the director snapshots', async () => {
    tutorial = await runKernel(PCC, PPC);
    expect(tutorial.exitCode, tutorial.stdout).to.equal(0);
    const [pcc, ppc] = tutorial.results.suites;
    expect(pcc!.lab!.listing).to.include('TCP  100.64.0.100:0 wrr persistent 1000');
    expect(pcc!.lab!.stats).to.match(/Conns\s+InPkts/);
    expect(pcc!.lab!.connections).to.match(/FIN_WAIT\s+10\.0\.0\.\d+:\d+\s+100\.64\.0\.100:808[01]/);
    expect(pcc!.lab!.connectionTable.disagreed).to.equal(0);
    expect(ppc!.lab!.listing).to.include('TCP  100.64.0.110:8080 wlc persistent 360');
  });

  it('schedules each client as the embedded lab does (same arrival order, same wrr order)', async function () {
    if (!tutorial) this.skip();
    const sim = await runSuites([PCC]);
    const kernel = serverByClient(tutorial.observations.filter((o) => (o as Observation & { suite: string }).suite === 'kernel-pcc'));
    const embedded = serverByClient((sim.events.flatMap((e) => (e.type === 'observation' ? [e.observation] : []))));
    expect(kernel.size).to.equal(20);
    expect([...kernel].sort()).to.deep.equal([...embedded].sort());
  });

  const faults: Array<[string, string]> = [
    ['pcc-no-persistence', 'pcc'],
    ['pcc-as-ppc', 'pcc'],
    ['pcc-weights-swapped', 'weights'],
    ['pcc-coarse-netmask', 'weights'],
  ];
  for (const [dump, check] of faults) {
    it(`fails ${check} on a wrong director: ${dump}`, async () => {
      const r = await runKernel(PCC, '--director-config', `test/fixtures/director/${dump}.txt`);
      expect(r.exitCode, r.stdout).to.equal(10);
      const failed = r.results.suites[0]!.verdicts.filter((v) => v.status !== 'pass').map((v) => v.check);
      expect(failed).to.deep.equal([check]);
    });
  }
});
