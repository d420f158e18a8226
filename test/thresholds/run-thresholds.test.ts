/** Thresholds through a real run on the embedded lab: their verdicts, the exit code, results and JUnit. */
import { expect } from 'chai';
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodeHistogram } from '../../src/bench/histograms.js';
import type { MetricSet } from '../../src/metrics/metric-set.js';
import type { EventOf } from '../../src/model/events.js';
import { toJunitXml } from '../../src/reporters/junit-reporter.js';
import { runSuites } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('thresholds in a run', function () {
  this.timeout(60_000);

  it('fails the run (exit 10) on a breached threshold alone, as its own verdict with value and limit', async () => {
    const c = await runSuites(['test/fixtures/suites/thresholds.yaml']);
    expect(c.exitCode).to.equal(10);
    const verdicts = c.results.suites[0]!.verdicts;
    const byCheck = Object.fromEntries(verdicts.map((v) => [v.check, v]));
    expect(byCheck['pcc']?.status).to.equal('pass');
    for (const name of ['failed: rate<0.01', 'latency.total{probe:a}: p(99)<5000', 'latency.total{probe:a}: max<10000', 'share: deviation<25']) {
      expect(byCheck[`threshold ${name}`]?.status, name).to.equal('pass');
    }
    const breached = byCheck['threshold latency.total: p(50)<0.001']!;
    expect(breached.status).to.equal('fail');
    expect(breached.data).to.include({ limit: 0.001, operator: '<', aggregation: 'p(50)', unit: 'ms' });
    // The measured value is the merged histogram's p50, recomputed here from results.json's own histogram.
    const metrics = (c.results.suites[0]!.summary as unknown as { metrics: MetricSet }).metrics;
    const h = decodeHistogram(metrics.all.latency.total);
    expect(h.totalCount).to.equal(240);
    expect(breached.data?.['value']).to.equal(h.getValueAtPercentile(50) / 1000);
    expect(breached.seen).to.match(/^p\(50\) = [\d.]+ ms \(240 samples, traffic\), limit < 0\.001$/);
    const end = c.events.find((e): e is EventOf<'suite:end'> => e.type === 'suite:end')!;
    const xml = toJunitXml([end], null);
    expect(xml).to.match(/<testcase classname="thresholds" name="threshold latency.total: p\(50\)&lt;0.001"><failure/);
    expect(xml).to.contain('name="threshold failed: rate&lt;0.01"/>');
  });

  it('takes --threshold on the command line; a breach exits 10, a bad one 11 naming the argument', () => {
    const out = tempDir('lvs-harness-thr-');
    const ok = cli('run', '--results', out, '--threshold', 'failed:count==0', '--threshold', 'rps{probe:a}:value>1', 'test/fixtures/suites/pcc-two-ports.yaml');
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/PASS threshold rps\{probe:a\}: value>1: value = [\d.]+ \/s/);
    // Every run leaves its HTML report beside results.json.
    const [runDir] = readdirSync(out);
    expect(readFileSync(path.join(out, runDir!, 'report.html'), 'utf8')).to.match(/^<!DOCTYPE html>[\s\S]*<script type="application\/json" id="report-data">/);
    const breach = cli('run', '--results', out, '--threshold', 'latency.connect{server:web1}:max<0', 'test/fixtures/suites/pcc-two-ports.yaml');
    expect(breach.code, breach.stdout + breach.stderr).to.equal(10);
    expect(breach.stdout).to.match(/FAIL threshold latency.connect\{server:web1\}: max<0: max = [\d.]+ ms .*limit < 0/);
    const bad = cli('run', '--results', out, '--threshold', 'latency.total:p(99)=>5', 'test/fixtures/suites/pcc-two-ports.yaml');
    expect(bad.code).to.equal(11);
    expect(bad.stderr).to.match(/--threshold 'latency.total:p\(99\)=>5': expected AGGREGATION OPERATOR NUMBER/);
    const stranger = cli('run', '--results', out, '--threshold', 'latency.total{server:web9}:max<5', 'test/fixtures/suites/pcc-two-ports.yaml');
    expect(stranger.code).to.equal(11);
    expect(stranger.stderr).to.match(/--threshold 'latency.total\{server:web9\}:max<5': expected a real server of the suite \(web1, web2\)/);
  });

  it('reports a bad threshold in a suite at its line and column, before any traffic', () => {
    const dir = tempDir('lvs-harness-thr-suite-');
    const text = readFileSync('test/fixtures/suites/thresholds.yaml', 'utf8').replace("failed: ['rate<0.01']", "failed: ['rate<0.01', 'p(90)<3']").replace('latency.total{probe:a}', 'latency.total{probe:zz}');
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const r = cli('run', '--results', dir, file);
    expect(r.code).to.equal(11);
    const lines = text.split('\n');
    const failedLine = lines.findIndex((l) => l.includes("'p(90)<3'")) + 1;
    const scopeLine = lines.findIndex((l) => l.includes('{probe:zz}')) + 1;
    expect(r.stderr).to.contain(`${file}:${failedLine}:${lines[failedLine - 1]!.indexOf("'p(90)") + 1}: thresholds.failed[1]: expected for failed an aggregation among rate, count`);
    expect(r.stderr).to.contain(`${file}:${scopeLine}:3: thresholds.latency.total{probe:zz}: expected a probe of the suite (a, b), got probe:zz`);
  });
});
