/**
 * A suite run once and as 4 shards with disjoint source ranges, each time against one embedded lab
 * standing in for a real director (--lab none, real traffic on loopback), then merged: the merge
 * must give the single run's figures (connections per server, clients per server, verdicts), its
 * histograms the percentiles of one histogram of every shard's samples, its bench step the whole.
 */
import { expect } from 'chai';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { computeAbStats } from '../../src/bench/ab-stats.js';
import { decodeHistogram } from '../../src/bench/histograms.js';
import { recordsFrom } from '../../src/bench/records.js';
import type { BenchResult } from '../../src/bench/types.js';
import { runCommand } from '../../src/cli/run-command.js';
import { mergeCommand } from '../../src/cli/merge-command.js';
import { isHarnessError } from '../../src/core/errors.js';
import { embeddedLabFactory } from '../../src/lab/embedded-lab-factory.js';
import { ScopeRecorder } from '../../src/metrics/latency-recorder.js';
import type { MetricSet } from '../../src/metrics/metric-set.js';
import type { Observation } from '../../src/model/observation.js';
import { resolveCheck } from '../../src/runner/check-resolver.js';
import type { ShardedBenchResult } from '../../src/shard/bench-shard.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import { tempDir } from '../helpers/temp-dir.js';

const SUITE = `name: shards
vip: 127.61.0.100
service:
  kind: pcc
  protocol: tcp
  port: 0
  scheduler: wrr
  persistence: { timeout: 600, netmask: 255.255.255.255 }
  forward: route
  realServers:
    - { name: web1, address: 127.61.1.1, weight: 1 }
    - { name: web2, address: 127.61.1.2, weight: 2 }
probes:
  - { name: http, type: http, port: 8080, path: /, identify: { header: x-real-server } }
  - { name: http-alt, type: http, port: 8081, path: /, identify: { body: '^(\\w+)' } }
clients:
  sources: 127.61.10.1-127.61.11.144
traffic: { rounds: 1, connections: 2, concurrency: 16, order: shuffled, seed: 1 }
checks:
  - pcc
  - weights
bench: { probe: http, requests: 400, concurrency: 8 }
`;

interface Results {
  outcome: string;
  exitCode: number;
  suites: Array<{
    verdicts: Array<{ check: string; status: string }>;
    summary: { connections: number; clients: number; byRealServer: Record<string, number>; byClient: Record<string, Record<string, number>>; metrics: MetricSet };
    bench: { report: string; result: ShardedBenchResult } | null;
  }>;
}

const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough() });
const onlyRun = (root: string): string => path.join(root, readdirSync(root).find((d) => !d.endsWith('.xml'))!);
const results = (dir: string): Results => JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
const observations = (dir: string): Observation[] =>
  readFileSync(path.join(dir, 'observations.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Observation);

/** Runs `body` while one embedded lab for the suite stands in for a real director. */
async function withLab<T>(file: string, body: () => Promise<T>): Promise<T> {
  const lab = await embeddedLabFactory()(await loadSuite(file, resolveCheck));
  try {
    return await body();
  } finally {
    await lab?.close();
  }
}

async function exitOf(p: Promise<number>): Promise<number> {
  try {
    return await p;
  } catch (e) {
    if (isHarnessError(e)) return e.exitCode;
    throw e;
  }
}

describe('merge: 4 shards of a suite against one director give the single run', function () {
  this.timeout(120_000);
  const dir = tempDir('lvs-merge-');
  const suite = path.join(dir, 'shards.yaml');
  writeFileSync(suite, SUITE);
  let single: Results;
  let merged: Results;
  let mergedDir: string;
  const shardDirs: string[] = [];
  let mergeExit: number;
  let startAt: number;

  before(async () => {
    const singleRoot = path.join(dir, 'single');
    expect(await withLab(suite, () => runCommand(['--lab', 'none', '--results', singleRoot, suite], io(), new AbortController().signal))).to.equal(0);
    single = results(onlyRun(singleRoot));
    startAt = Date.now() + 2500;
    const codes = await withLab(suite, () =>
      Promise.all([0, 1, 2, 3].map((i) => runCommand(['--lab', 'none', '--shard', `${i}/4`, '--start-at', String(startAt / 1000), '--results', path.join(dir, `shard${i}`), suite], io(), new AbortController().signal))),
    );
    // A shard judges its quarter alone; only the merge has the evidence of the whole.
    expect(codes.every((c) => c === 0 || c === 10)).to.equal(true, `shard exit codes ${codes.join(', ')}`);
    for (const i of [0, 1, 2, 3]) shardDirs.push(onlyRun(path.join(dir, `shard${i}`)));
    const mergedRoot = path.join(dir, 'merged');
    mergeExit = await mergeCommand([...shardDirs.slice().reverse(), '--results', mergedRoot], io());
    mergedDir = onlyRun(mergedRoot);
    merged = results(mergedDir);
  });

  it('the shards took disjoint source ranges covering the pool', () => {
    const clients = shardDirs.map((d) => new Set(observations(d).map((o) => o.client.address)));
    expect(clients.map((c) => c.size)).to.deep.equal([100, 100, 100, 100]);
    const all = new Set(clients.flatMap((c) => [...c]));
    expect(all.size).to.equal(400);
  });

  it('gives the single run\'s counts per server, clients per server and verdicts, with exit 0', () => {
    expect(mergeExit).to.equal(0);
    const [s, m] = [single.suites[0]!, merged.suites[0]!];
    expect(m.summary.connections).to.equal(s.summary.connections).and.to.equal(1600);
    expect(m.summary.byRealServer).to.deep.equal(s.summary.byRealServer);
    const perServer = (r: Results): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const servers of Object.values(r.suites[0]!.summary.byClient)) for (const rs of Object.keys(servers)) out[rs] = (out[rs] ?? 0) + 1;
      return out;
    };
    expect(perServer(merged)).to.deep.equal(perServer(single)).and.to.deep.equal({ web1: 133, web2: 267 });
    const statuses = (r: Results): string[] => r.suites[0]!.verdicts.map((v) => `${v.check}:${v.status}`);
    expect(statuses(merged)).to.deep.equal(statuses(single));
    expect(statuses(merged)).to.include.members(['pcc:pass', 'weights:pass']);
  });

  it('started every shard\'s traffic at --start-at', () => {
    const origins = shardDirs.map((d) => (JSON.parse(readFileSync(path.join(d, 'results.json'), 'utf8')) as { suites: Array<{ trafficStartedAt: number }> }).suites[0]!.trafficStartedAt);
    for (const t of origins) expect(t - startAt).to.be.within(0, 500);
  });

  it('judges the union, not the shards\' verdicts: weights a quarter of the pool cannot confirm pass on the whole', () => {
    const weights = shardDirs.map((d) => results(d).suites[0]!.verdicts.find((v) => v.check === 'weights')!.status);
    expect(weights).to.include('fail');
    expect(merged.suites[0]!.verdicts.find((v) => v.check === 'weights')!.status).to.equal('pass');
  });

  it('sums the shards\' counts', () => {
    const sum: Record<string, number> = {};
    for (const d of shardDirs) for (const [rs, n] of Object.entries(results(d).suites[0]!.summary.byRealServer)) sum[rs] = (sum[rs] ?? 0) + n;
    expect(merged.suites[0]!.summary.byRealServer).to.deep.equal(sum);
  });

  it('keeps histograms whose percentiles are those of one histogram of every shard\'s samples', () => {
    const all = new ScopeRecorder();
    const byServer = new Map<string, ScopeRecorder>();
    for (const d of shardDirs) {
      for (const o of observations(d)) {
        const ms = { connect: o.timings.connectMs, firstByte: o.timings.firstByteMs, total: o.timings.totalMs };
        all.add(o.error !== null, ms);
        if (!byServer.has(o.realServer!)) byServer.set(o.realServer!, new ScopeRecorder());
        byServer.get(o.realServer!)!.add(o.error !== null, ms);
      }
    }
    const metrics = merged.suites[0]!.summary.metrics;
    const scopes: Array<[string, string, string]> = [['all', metrics.all.latency.total, all.toJSON().latency.total]];
    for (const [rs, r] of byServer) scopes.push([rs, metrics.byServer[rs]!.latency.total, r.toJSON().latency.total]);
    for (const [scope, mergedHist, direct] of scopes) {
      const [a, b] = [decodeHistogram(mergedHist), decodeHistogram(direct)];
      expect(a.totalCount, scope).to.equal(b.totalCount);
      for (const p of [50, 90, 99, 99.9, 100]) expect(a.getValueAtPercentile(p), `${scope} p${p}`).to.equal(b.getValueAtPercentile(p));
    }
    expect(metrics.all.requests).to.equal(1600);
  });

  it('merges the shards\' bench steps into the whole: every request, ab\'s table from all their records', () => {
    const parts = shardDirs.map((d) => results(d).suites[0]!.bench!.result);
    expect(parts.map((p) => p.requests)).to.deep.equal([100, 100, 100, 100]);
    const whole = merged.suites[0]!.bench!.result as BenchResult;
    expect(whole.counts.done).to.equal(400);
    expect(whole.concurrency).to.equal(8);
    expect(whole.servers.reduce((n, s) => n + s.requests, 0)).to.equal(400);
    const rows = parts.flatMap((p) => p.records.ctime.map((ctime, i) => ({ ctime, time: p.records.time[i]!, wait: p.records.wait[i]! })));
    expect(whole.ab).to.deep.equal(computeAbStats(recordsFrom(rows)));
    expect(merged.suites[0]!.bench!.report).to.match(/Complete requests:\s+400\n/);
  });

  it('fails (exit 10) when a client of one shard was not sticky, as a single run would', async () => {
    const copies = shardDirs.map((d, i) => {
      const to = path.join(tempDir('lvs-merge-tampered-'), `shard${i}`);
      cpSync(d, to, { recursive: true });
      return to;
    });
    // Shard 2's first client: its second connection reported on the other real server.
    const file = path.join(copies[2]!, 'observations.ndjson');
    const rows = observations(copies[2]!);
    const client = rows[0]!.client.address;
    const second = rows.filter((o) => o.client.address === client)[1]!;
    second.realServer = second.realServer === 'web1' ? 'web2' : 'web1';
    writeFileSync(file, rows.map((o) => JSON.stringify({ suite: 'shards', ...o })).join('\n') + '\n');
    const root = tempDir('lvs-merge-tampered-out-');
    expect(await mergeCommand([...copies, '--results', root], io())).to.equal(10);
    const pcc = results(onlyRun(root)).suites[0]!.verdicts.find((v) => v.check === 'pcc')!;
    expect(pcc.status).to.equal('fail');
  });

  it('refuses a shard twice, a missing shard and shards of another run (exit 11)', async () => {
    const [s0, s1, s2, s3] = shardDirs as [string, string, string, string];
    const out = io();
    let said = '';
    out.stderr.on('data', (c: Buffer) => (said += c.toString()));
    expect(await exitOf(mergeCommand([s0, s1, s2, s3, s1, '--results', path.join(dir, 'x')], out))).to.equal(11);
    expect(await exitOf(mergeCommand([s0, s1, s3, '--results', path.join(dir, 'x')], io()))).to.equal(11);
    const single0 = onlyRun(path.join(dir, 'single'));
    expect(await exitOf(mergeCommand([s0, s1, s2, single0, '--results', path.join(dir, 'x')], io()))).to.equal(11);
    // Another run: the same suite split 4 ways with another start time.
    const other = JSON.parse(readFileSync(path.join(s3, 'results.json'), 'utf8')) as { shard: { run: string } };
    other.shard.run = 'another-run';
    const fake = tempDir('lvs-merge-other-');
    writeFileSync(path.join(fake, 'results.json'), JSON.stringify(other));
    await expectMessage(mergeCommand([s0, s1, s2, fake, '--results', path.join(dir, 'x')], io()), /shard 3\/4 of another run/);
    await expectMessage(mergeCommand([s0, s1, s3, '--results', path.join(dir, 'x')], io()), /missing shard\(s\) 2 of 4/);
    await expectMessage(mergeCommand([s0, s1, s2, s3, s1, '--results', path.join(dir, 'x')], io()), /shard 1\/4 given twice/);
  });
});

async function expectMessage(p: Promise<number>, pattern: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isHarnessError(e) && e.code).to.equal('SHARDS_MISMATCH');
    expect((e as Error).message).to.match(pattern);
    return;
  }
  expect.fail('expected a SHARDS_MISMATCH error');
}
