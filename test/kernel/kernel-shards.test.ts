/**
 * The kernel tier's shards: one boot, `run --lab kernel --shards 2` on the 24-client PCC suite runs it
 * whole on a fresh director, then on another fresh director as 2 shards in 2 client namespaces
 * started together, and merges them with the shared director's readings. The merge must give the
 * whole run's figures. Per-server counts must be equal exactly, not only within a bound: a fresh wrr
 * director makes exactly one decision per client (its template's; every later connection follows the
 * template), and 24 consecutive wrr decisions for weights 100:200 are 8 and 16 whatever the order
 * the clients arrive in; only which client lands where may differ, so clients are compared by
 * stickiness, not by server.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';
import { prepareKernelTier } from './kernel-run.js';
import { KERNEL_TIER_CLIENTS } from './kernel-sizes.js';

const PCC = 'test/fixtures/kernel/pcc.yaml';
const SHARDS = 2;

interface Verdict {
  check: string;
  status: string;
  seen: string;
  data?: Record<string, unknown>;
}
interface Counters {
  judged: boolean;
  perServer: Record<string, { director: number; harness: number }>;
  others: number;
  short: string[];
}
interface Suite {
  verdicts: Verdict[];
  summary: { connections: number; failed: number; clients: number; byRealServer: Record<string, number>; byClient: Record<string, Record<string, number>> };
}
interface Results {
  exitCode: number;
  shard?: { index: number; count: number };
  merged?: { count: number };
  suites: Suite[];
}

function read(dir: string): Results {
  return JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
}

function verdict(suite: Suite, check: string): Verdict {
  return suite.verdicts.find((v) => v.check === check)!;
}

function counters(suite: Suite): Counters {
  return verdict(suite, 'connections').data!.counters as Counters;
}

/** Per server, how many clients it served: the template decisions. */
function clientsPerServer(suite: Suite): Record<string, number> {
  const n: Record<string, number> = {};
  for (const servers of Object.values(suite.summary.byClient)) for (const s of Object.keys(servers)) n[s] = (n[s] ?? 0) + 1;
  return n;
}

describe('kernel lab shards (real IPVS in a qemu guest)', function () {
  this.timeout(900_000);

  before(function () {
    prepareKernelTier(this);
  });

  it('merges 2 shards from 2 client namespaces into the figures of a whole run on the same real director', () => {
    const root = tempDir('lvs-kernel-shards-');
    const child = spawnSync(
      process.execPath,
      ['dist/src/cli/bin.js', 'run', '--lab', 'kernel', '--shards', String(SHARDS), '--max-clients', String(KERNEL_TIER_CLIENTS.pcc), '--results', root, PCC],
      { encoding: 'utf8', timeout: 600_000 },
    );
    const out = `${child.stdout}\n${child.stderr}`;
    expect(child.status, out).to.equal(0);
    const runs = readdirSync(root).filter((d) => existsSync(path.join(root, d, 'results.json'))).map((d) => read(path.join(root, d)));
    const [shardsDir] = readdirSync(root).filter((d) => d.startsWith('shards-'));
    const shards = Array.from({ length: SHARDS }, (_, i) => {
      const dir = path.join(root, shardsDir!, String(i));
      return read(path.join(dir, readdirSync(dir)[0]!));
    });
    const whole = runs.find((r) => !r.merged)!.suites[0]!;
    const merged = runs.find((r) => r.merged)!.suites[0]!;
    expect(runs).to.have.length(2);

    // Each shard ran its block of the pool, from its own namespace, against the one director.
    expect(shards.map((s) => s.suites[0]!.summary.clients)).to.deep.equal([12, 12]);
    expect(out).to.match(/\[shard 1\/2\] .*PASS connections/);

    // Counts: the union's are the whole run's, to the connection.
    expect(whole.summary.clients).to.equal(24);
    expect(merged.summary.connections).to.equal(whole.summary.connections);
    expect(merged.summary.failed).to.equal(0);
    expect(merged.summary.clients).to.equal(whole.summary.clients);
    expect(merged.summary.byRealServer).to.deep.equal(whole.summary.byRealServer);
    expect(clientsPerServer(merged)).to.deep.equal({ web1: 8, web2: 16 });
    expect(clientsPerServer(whole)).to.deep.equal({ web1: 8, web2: 16 });
    // Stickiness per client across shards: every client on one server, in both.
    for (const s of [whole, merged]) for (const servers of Object.values(s.summary.byClient)) expect(Object.keys(servers)).to.have.length(1);
    expect(Object.keys(merged.summary.byClient).sort()).to.deep.equal(Object.keys(whole.summary.byClient).sort());

    // Verdicts: the same checks pass, weights by the cycle's bound in both.
    expect(merged.verdicts.map((v) => [v.check, v.status])).to.deep.equal(whole.verdicts.map((v) => [v.check, v.status]));
    expect(merged.verdicts.every((v) => v.status === 'pass'), JSON.stringify(merged.verdicts, null, 1)).to.equal(true);
    for (const s of [whole, merged]) {
      expect(verdict(s, 'weights').data!.method).to.equal('predictable');
      expect(verdict(s, 'weights').data!.counts).to.deep.equal({ web1: 8, web2: 16 });
    }

    // The director's counters: the union was cross-checked against the director all shards shared,
    // which counted exactly the whole run's connections per server and nobody else's.
    expect(counters(merged).judged).to.equal(true);
    expect(counters(merged).perServer).to.deep.equal(counters(whole).perServer);
    expect(counters(merged).others).to.equal(0);
    const table = verdict(merged, 'connections').data!.connectionTable as { agreed: number; disagreed: number };
    expect(table.disagreed).to.equal(0);
    expect(table.agreed).to.be.greaterThan(0);

    // Each shard saw the others' connections in the shared counters and did not fail for it.
    for (const s of shards.map((r) => r.suites[0]!)) {
      expect(verdict(s, 'connections').status, verdict(s, 'connections').seen).to.equal('pass');
      expect(counters(s).short).to.deep.equal([]);
      // Its part of the wrr cycle is interleaved with the others': not a window the weights predict.
      if (counters(s).others > 0) {
        expect(verdict(s, 'weights').data!.method).to.equal('equivalence');
        expect(verdict(s, 'weights').seen).to.include("shares the kernel lab's director with the other shards");
      }
    }
    expect(shards.reduce((n, r) => n + counters(r.suites[0]!).others, 0), 'the shards ran at the same time').to.be.greaterThan(0);
  });
});
