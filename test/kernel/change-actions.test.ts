/**
 * The change actions the agreement cases do not cover, made for real on the kernel lab (one boot for
 * the three suites in test/fixtures/change-actions): `stop` in blackhole mode (the server's link
 * taken down), `add`, and `apply` of an `ipvsadm -S -n` dump. Each is judged by what the real kernel
 * did: clients of the silenced server time out (nothing refuses them) and are served again once it
 * is back; the added server gets new clients from its change on; apply's edits are shown and the
 * table after is the dump's. Guest addresses: 127.41.b.c runs as 100.105.b.c (VIP, real servers).
 */
import { expect } from 'chai';
import type { ChangeWindow } from '../../src/model/change-window.js';
import type { Observation } from '../../src/model/observation.js';
import { labUpSession, prepareKernelTier, runKernel, type KernelRun } from './kernel-run.js';

const DIR = 'test/fixtures/change-actions';
const CASES = ['blackhole', 'add', 'apply'] as const;

type Suite = { name: string; window: ChangeWindow; verdicts: Array<{ check: string; status: string; seen: string; data?: Record<string, unknown> }>; lab: { listing: string } };

describe('kernel tier: stop (blackhole), add and apply on real IPVS', function () {
  this.timeout(900_000);
  let run: KernelRun;
  const suite = (c: (typeof CASES)[number]): Suite => run.results.suites[CASES.indexOf(c)] as unknown as Suite;
  const observations = (c: (typeof CASES)[number]): Observation[] =>
    run.observations.filter((o) => (o as Observation & { suite: string }).suite === suite(c).name);
  const verdict = (c: (typeof CASES)[number], check: string): Suite['verdicts'][number] => suite(c).verdicts.find((v) => v.check === check)!;

  before(async function () {
    prepareKernelTier(this);
    const started = Date.now();
    run = await runKernel(...CASES.map((c) => `${DIR}/${c}.yaml`));
    console.log(`    kernel: one boot, ${CASES.length} suites in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const c of CASES) {
      const s = suite(c);
      expect(s?.name, run.stdout).to.equal(`actions-${c}`);
      for (const ch of s.window.changes) expect(ch.error, `${c}: ${ch.label}`).to.equal(null);
      console.log(`    ${c}: ${JSON.stringify(s.window.changes.map((ch) => ch.commands).flat())}`);
      for (const v of s.verdicts) console.log(`      ${v.status} ${v.check}: ${v.seen}`);
      if (c === 'apply') console.log(s.lab.listing.replace(/^/gm, '      '));
    }
  });

  it('blackhole: connections to the silent server time out instead of being refused, and failover measures the recovery after start', () => {
    const [stop, start] = suite('blackhole').window.changes;
    expect(stop!.commands.join(' ')).to.match(/link set .* down/);
    expect(start!.commands.join(' ')).to.match(/link set .* up/);
    // Read on the lab's own clock: under TCG a change takes effect seconds after its planned time.
    const during = observations('blackhole').filter((o) => o.startMs >= stop!.effectiveMs! && o.startMs < start!.effectiveMs!);
    const codes = during.flatMap((o) => (o.error === null ? [] : [o.error.code]));
    expect(codes.length, 'connections failed while web2 was silent').to.be.above(0);
    expect(codes.filter((c) => c !== 'ETIMEDOUT'), `error codes: ${codes.join(' ')}`).to.deep.equal([]);
    const failover = verdict('blackhole', 'failover');
    expect(failover.status, failover.seen).to.equal('pass');
    expect(failover.data!['unrecovered']).to.equal(0);
    expect(failover.data!['servedByItAfterStart']).to.be.above(0);
    // No health checker takes web2 out: its clients are served again only once its link is back.
    const outage = (start!.effectiveMs! - stop!.effectiveMs!) / 1000;
    expect(failover.data!['worstRecoverySeconds']).to.be.above(outage - 1.5);
  });

  it('add: the added server gets new clients from the change on, none before, and nothing fails', () => {
    const [add] = suite('add').window.changes;
    expect(add!.commands).to.deep.equal(['ipvsadm -a -t 100.105.0.6:8080 -r 100.105.6.2:8080 -g -w 1']);
    const obs = observations('add');
    expect(obs.filter((o) => o.realServer === 'web2' && o.startMs < add!.plannedMs)).to.deep.equal([]);
    const after = obs.filter((o) => o.startMs >= add!.effectiveMs!);
    expect(after.filter((o) => o.realServer === 'web2').length, 'connections on web2 after the add').to.be.at.least(3);
    expect(obs.filter((o) => o.error !== null)).to.deep.equal([]);
    expect(verdict('add', 'disruption').status).to.equal('pass');
  });

  it("apply: the dump's differences are made as edits, shown, and the table after is the dump's", () => {
    const apply = suite('apply').window.changes.find((ch) => ch.action.kind === 'apply')!;
    expect(apply.commands).to.deep.equal([
      'ipvsadm -E -t 100.105.0.7:0 -s wrr -p 60',
      'ipvsadm -e -t 100.105.0.7:0 -r 100.105.7.1:0 -g -w 3',
      'ipvsadm -d -t 100.105.0.7:0 -r 100.105.7.2:0',
    ]);
    const listing = suite('apply').lab.listing;
    // The service line to its timeout, each dest line to its weight (its counters left out).
    const table = listing.split('\n').filter((l) => /^(TCP|UDP|FWM|\s+->\s+\d)/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, l.startsWith(' ') ? 4 : 5).join(' '));
    expect(table[0], listing).to.equal('TCP 100.105.0.7:0 wrr persistent 60');
    expect(table.slice(1).sort(), listing).to.deep.equal(['-> 100.105.7.1:0 Route 3', '-> 100.105.7.3:0 Route 1']);
    const fresh = observations('apply').filter((o) => o.startMs >= apply.effectiveMs! && o.realServer === 'web2');
    expect(fresh, 'connections to the removed web2 after the apply').to.deep.equal([]);
  });

  /**
   * conn_reuse_mode, with curl in the client namespace of `lab up --kernel` reusing one source port:
   * HTTP with `Connection: close`, so the real server closes first and the port is free at once,
   * while the DR director, which sees only the client's packets, keeps the entry in FIN_WAIT. The
   * first server is drained; the same port then reaches it again with conn_reuse_mode=1 (FIN_WAIT is
   * reschedulable only with bit 2, NOOUTPUT) and the other server with 2. The embedded lab's model
   * is held to the same outcomes in test/lab/conn-reuse.test.ts.
   */
  it('conn_reuse_mode: a reused client port reaches the drained server again with 1 (DR, FIN_WAIT), and is rescheduled with 2', async () => {
    const vip = '100.105.0.8';
    const lines = [
      `ask() { curl -s -m 2 -o /dev/null -D - -H 'Connection: close' --interface 10.41.18.1 --local-port $1 http://${vip}:8080/ | tr -d '\\r' | sed -n 's/^[Xx]-[Rr]eal-[Ss]erver: //p'; }`,
      'd() { ip netns exec lvs-director "$@"; }',
      'first=$(ask 41000); case $first in web1) rs=100.105.8.1;; *) rs=100.105.8.2;; esac',
      `d ipvsadm -e -t ${vip}:8080 -r $rs:8080 -g -w 0`,
      'd sysctl -qw net.ipv4.vs.conn_reuse_mode=1; m1=$(ask 41000); fresh=$(ask 41100)',
      'd sysctl -qw net.ipv4.vs.conn_reuse_mode=2; m2=$(ask 41000)',
      'echo "REUSE first=$first mode1=$m1 mode2=$m2 fresh=$fresh"; d ipvsadm -Lcn | grep 41000; true',
    ];
    const { code, out } = await labUpSession(`${DIR}/conn-reuse.yaml`, () => lines.join('\n'));
    const m = /REUSE first=(web[12]) mode1=(\S*) mode2=(\S*) fresh=(\S*)/.exec(out);
    expect(m, out).not.to.equal(null);
    const [, first, mode1, mode2, fresh] = m!;
    const other = first === 'web1' ? 'web2' : 'web1';
    console.log(`    conn_reuse_mode on the kernel: first ${first}, drained; same port with 1: ${mode1}, with 2: ${mode2}; a fresh port: ${fresh}`);
    expect({ mode1, mode2, fresh }, out).to.deep.equal({ mode1: first, mode2: other, fresh: other });
    expect(code, out).to.equal(0);
  });
});
