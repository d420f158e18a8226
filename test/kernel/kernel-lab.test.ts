/**
 * The kernel tier: the harness against real IPVS in a qemu guest (src/lab/kernel). Each `it` boots
 * the guest once through the CLI, as a user would. It needs root, qemu, Debian's kernel and the
 * guest's tools (.ci/kernel-lab.sh installs them), and it is opt-in with LVS_KERNEL_LAB=1 because a
 * boot and a run under TCG take about 40 s. The tutorial suites run as written, with their source
 * pools cut to the sizes in kernel-sizes.ts (the guest is about 50x slower than the host).
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Observation } from '../../src/model/observation.js';
import { runSuites } from '../helpers/run-helpers.js';
import { labUpSession, prepareKernelTier, runKernel, type KernelRun } from './kernel-run.js';
import { KERNEL_TIER_CLIENTS } from './kernel-sizes.js';
import { tempDir } from '../helpers/temp-dir.js';

const PCC = 'test/fixtures/kernel/pcc.yaml';
/** The tutorial suites at the sizes their checks need to confirm (test/kernel/kernel-sizes.ts). */
const SMALL = ['--max-clients', String(KERNEL_TIER_CLIENTS.pcc)];
/** Each tutorial suite's source pool as written, and the first address of it. */
const TUTORIAL = [
  { name: 'pcc', file: 'suites/pcc.yaml', pool: '127.0.10.1-127.0.10.200', first: '127.0.10.' },
  { name: 'fwmark-ftp', file: 'suites/fwmark-ftp.yaml', pool: '127.0.4.1-127.0.4.120', first: '127.0.4.' },
  { name: 'ppc', file: 'suites/ppc.yaml', pool: '127.0.2.0/24', first: '127.0.2.' },
];

/**
 * A tutorial suite as written but for its pool, cut to its first N addresses as `--max-clients N`
 * would (one boot runs them all, each at its own size).
 */
function sizedCopy(t: (typeof TUTORIAL)[number]): string {
  const text = readFileSync(t.file, 'utf8');
  expect(text).to.include(`sources: ${t.pool}`);
  const file = path.join(tempDir('lvs-kernel-tutorial-'), path.basename(t.file));
  writeFileSync(file, text.replace(`sources: ${t.pool}`, `sources: ${t.first}1-${t.first}${KERNEL_TIER_CLIENTS[t.name]}`));
  return file;
}

/** Client -> real server, keyed by the low 24 bits, which both labs' addresses share. */
function serverByClient(observations: readonly Observation[]): Map<string, string | null> {
  return new Map(observations.map((o) => [o.client.address.split('.').slice(1).join('.'), o.realServer]));
}

/**
 * Persistence templates in an `ipvsadm -Lcn` listing (client port 0), each address cut to its last two
 * octets, which the guest's address mapping keeps (127.a.b.c -> 10.a.b.c or 100.(64+a).b.c):
 * `<proto> <client>:0 <vip>:<vport> <server>:<port>`.
 */
function templateKeys(listing: string): string[] {
  const low = (endpoint: string): string => endpoint.split('.').slice(2).join('.');
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length === 6 && f[3]!.endsWith(':0') && /^(NONE|ASSURED)$/.test(f[2]!))
    .map((f) => `${f[0]} ${low(f[3]!)} ${low(f[4]!)} ${low(f[5]!)}`)
    .sort();
}

describe('kernel lab (real IPVS in a qemu guest)', function () {
  this.timeout(1_200_000);
  let tutorial: KernelRun;

  before(function () {
    prepareKernelTier(this);
  });

  it('passes the tutorial PCC, PPC and fwmark FTP suites, cross-checked with the director\'s table', async () => {
    tutorial = await runKernel(PCC, ...TUTORIAL.map(sizedCopy));
    expect(tutorial.exitCode, tutorial.stdout).to.equal(0);
    const [kernelPcc, pcc, ftp, ppc] = tutorial.results.suites;
    expect(kernelPcc!.lab!.listing).to.include('TCP  100.64.0.100:0 wrr persistent 1000');
    expect(kernelPcc!.lab!.stats).to.match(/Conns\s+InPkts/);
    expect(kernelPcc!.lab!.connections).to.match(/FIN_WAIT\s+10\.0\.0\.\d+:\d+\s+100\.64\.0\.100:808[01]/);
    expect(pcc!.lab!.connections).to.match(/100\.64\.0\.100:2323/);
    expect(ppc!.lab!.listing).to.include('TCP  100.64.0.110:2323 wlc persistent 360');
    expect(ftp!.lab!.listing).to.include('FWM  1 wrr persistent 1000');
    // Active-mode data: the client's answers to VIP:20 went through the director.
    expect(ftp!.lab!.connections).to.match(/10\.0\.4\.\d+:\d+\s+100\.64\.0\.130:20\s/);
    for (const suite of tutorial.results.suites) {
      const table = suite.verdicts.find((v) => v.check === 'connections')!.data!.connectionTable as { agreed: number; disagreed: number };
      expect(table.disagreed, suite.name).to.equal(0);
      expect(table.agreed, suite.name).to.be.greaterThan(0);
    }
  });

  it('schedules each client as the embedded lab does (same arrival order, same wrr order, same template keys)', async function () {
    if (!tutorial) this.skip();
    const sim = await runSuites([PCC]);
    const kernel = serverByClient(tutorial.observations.filter((o) => (o as Observation & { suite: string }).suite === 'kernel-pcc'));
    const embedded = serverByClient((sim.events.flatMap((e) => (e.type === 'observation' ? [e.observation] : []))));
    expect(kernel.size).to.equal(24);
    expect([...kernel].sort()).to.deep.equal([...embedded].sort());
    const kernelTemplates = templateKeys(tutorial.results.suites[0]!.lab!.connections);
    expect(kernelTemplates).to.have.length(24);
    expect(kernelTemplates).to.deep.equal(templateKeys(sim.results.suites[0]!.lab!.connections));
  });

  it('lab up --kernel gives a shell in the client namespace whose requests reach a real server through the VIP', async () => {
    // As a user would: wait for the lab's banner, run the command it suggests, leave the shell.
    const { code, out } = await labUpSession(PCC, (banner) => `${/Try: (curl [^\r\n]+)/.exec(banner)![1]} -i | grep -i '^x-real-server'`);
    expect(out).to.match(/director netns \S+ holds VIP 100\.64\.0\.100/);
    expect(out).to.match(/TCP {2}100\.64\.0\.100:0 wrr persistent 1000/);
    // The shell's prompt, then what curl printed, from the client namespace through the director.
    expect(out).to.match(/lvs-client# X-Real-Server: web[12]\r/i);
    expect(code, out).to.equal(0);
  });

  /** A wrong director (a dump), the checks that must fail, and the last failed verdict's sentence. */
  const faults: Array<{ dump: string; failed: string[]; seen?: RegExp }> = [
    { dump: 'pcc-no-persistence', failed: ['config', 'pcc'] },
    { dump: 'pcc-as-ppc', failed: ['config', 'pcc'] },
    { dump: 'pcc-weights-swapped', failed: ['config', 'weights'] },
    // 12 and 12 of 24 clients: chi-square's p = 0.083 once passed these; the count bound from the weights does not.
    { dump: 'pcc-weights-equal', failed: ['config', 'weights'], seen: /wrong: web1 got 12, the weights allow 8/ },
    { dump: 'pcc-rr', failed: ['config', 'weights'], seen: /wrong: web1 got 12, the weights allow 8/ },
    { dump: 'pcc-lc', failed: ['config', 'weights'], seen: /wrong: web1 got \d+, the weights allow 8/ },
    { dump: 'pcc-quiescent', failed: ['config', 'weights'], seen: /wrong: web1 got 0, the weights allow 8/ },
    { dump: 'pcc-coarse-netmask', failed: ['config', 'weights'] },
    // A third server: weights finds clients on a server the suite never named; config names it first.
    { dump: 'pcc-extra-server', failed: ['config', 'weights'], seen: /rs_\d+_\d+_1_9 is not a configured real server/ },
    // Nothing in the traffic can tell 60 s from 1000 s: the director's own reading does.
    { dump: 'pcc-short-timeout', failed: ['config'], seen: /persistence 60 s, expected 1000 s/ },
    // fwmark-ftp.yaml on its own director, whose rules leave the passive range unmarked.
    // The failed passive sessions are failed connections too.
    {
      dump: 'fwmark-no-passive',
      failed: ['connections', 'ftp'],
      seen: /passive: 0\/24 sessions clean .*active: 24\/24 sessions clean.*data connection refused x24/,
    },
  ];
  let wrongRun: Promise<KernelRun> | undefined;
  /**
   * Every wrong director in one boot, as one director holding them all: case i's PCC suite and dump
   * moved from 127.0.x to 127.(i+1).x, so that each suite's VIP reaches its own service of the dump
   * (and fwmark-ftp, at 127.0.0.130, the mark its rules place there).
   */
  const wrongDirectors = (): Promise<KernelRun> =>
    (wrongRun ??= (async () => {
      const dir = tempDir('lvs-wrong-directors-');
      const pccText = readFileSync(PCC, 'utf8');
      const suites: string[] = [];
      const dump: string[] = [];
      faults.forEach(({ dump: name }, i) => {
        if (name === 'fwmark-no-passive') {
          suites.push('suites/fwmark-ftp.yaml');
          dump.push(readFileSync(`test/fixtures/director/${name}.txt`, 'utf8'));
          return;
        }
        const move = (text: string): string => text.replaceAll('127.0.', `127.${i + 1}.`);
        const file = path.join(dir, `${name}.yaml`);
        writeFileSync(file, move(pccText).replace('name: kernel-pcc', `name: ${name}`));
        suites.push(file);
        dump.push(move(readFileSync(`test/fixtures/director/${name}.txt`, 'utf8')));
      });
      writeFileSync(path.join(dir, 'director.txt'), dump.join('\n'));
      return runKernel(...suites, '--director-config', path.join(dir, 'director.txt'), '--fwmark-rules', 'test/fixtures/director/fwmark-no-passive.rules', ...SMALL);
    })());
  for (const { dump, failed, seen } of faults) {
    it(`fails ${failed.join(' and ')} on a wrong director: ${dump}`, async () => {
      const r = await wrongDirectors();
      expect(r.exitCode, r.stdout).to.equal(10);
      const suite = r.results.suites.find((x) => x.name === (dump === 'fwmark-no-passive' ? 'fwmark-ftp' : dump));
      expect(suite, r.stdout).to.not.equal(undefined);
      const verdicts = suite!.verdicts.filter((v) => v.status !== 'pass');
      // Every failed verdict's sentence in the message: a case that fails more than it should says why.
      expect(verdicts.map((v) => v.check), verdicts.map((v) => `${v.check}: ${v.seen}`).join('\n')).to.deep.equal(failed);
      if (seen) expect(verdicts.at(-1)!.seen).to.match(seen);
    });
  }
});
