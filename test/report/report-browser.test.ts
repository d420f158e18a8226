/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core (no browser
 * download). The page is opened from file:// and must load nothing else, log no error, draw every chart
 * and show the run's own figures, read here from results.json.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { writeReport } from '../../src/reporters/html-report-writer.js';
import { runSuites } from '../helpers/run-helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';

describe('HTML report in headless chromium', function () {
  this.timeout(90_000);
  let browser: BrowserContext | null = null;

  before(function () {
    if (!existsSync(CHROMIUM)) this.skip();
  });

  after(async () => {
    await browser?.close();
  });

  it('opens from disk with no network and no console error, draws its charts and shows the run\'s figures', async () => {
    const run = await runSuites(['test/fixtures/suites/report.yaml']);
    expect(run.exitCode).to.equal(0);
    const file = await writeReport(run.resultsDir);
    // A fresh profile each time (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(tempDir('lvs-harness-chromium-'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${path.resolve(file)}`);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 15_000 });
    expect(problems).to.deep.equal([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).to.deep.equal([]);

    // Every chart drew: canvas pixels, and Chart.js holds the run's numbers.
    const charts = await page.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => {
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: Array<{ label: string; data: unknown[] }> } } } }).Chart.getChart(c)!;
      return { id: c.id, painted, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
    }));
    expect(charts.map((c) => c.id)).to.deep.equal(['spread-0', 'curves-0', 'timeline-0']);
    for (const c of charts) expect(c.painted, c.id).to.be.above(5000);

    const suite = run.results.suites[0]!;
    const weights = suite.verdicts.find((v) => v.check === 'weights')!.data as { counts: Record<string, number>; samples: number };
    const shares = Object.keys(weights.counts).sort().map((s) => weights.counts[s]! / weights.samples);
    expect(charts[0]!.datasets[0]!.data).to.deep.equal(shares);
    const timeline = charts[2]!.datasets;
    const perServer = Object.fromEntries(timeline.map((d) => [d.label, (d.data as number[]).reduce((a, b) => a + b, 0)]));
    expect(perServer).to.deep.equal(suite.summary.byRealServer);

    // The tables show the same figures as text.
    for (const [server, count] of Object.entries(weights.counts)) {
      expect(await page.textContent(`tr[data-server="${server}"] td.count`)).to.equal(String(count));
      expect(await page.textContent(`tr[data-server="${server}"] td.share`)).to.equal(`${((100 * count) / weights.samples).toFixed(1)}%`);
    }
    for (const v of suite.verdicts) expect(await page.textContent(`tr[data-check="${v.check}"] td.status`)).to.equal(v.status.toUpperCase());
    const bench = (suite as unknown as { bench: { result: { counts: { done: number }; timeTakenSec: number } } }).bench.result;
    expect(await page.textContent('tr[data-figure="Complete requests"] td.value')).to.equal(String(bench.counts.done));
    expect(await page.textContent('tr[data-figure="Requests per second"] td.value')).to.equal((bench.counts.done / bench.timeTakenSec).toFixed(2));
    expect(await page.locator('table.matrix tr[data-client]').count()).to.equal(40);
    // A client's cells name the server its connections reached (PCC: the same one on both ports).
    const first = run.events.find((e) => e.type === 'observation' && e.observation.client.address === '127.0.10.1');
    const server = first?.type === 'observation' ? first.observation.realServer : null;
    expect(await page.locator('tr[data-client="127.0.10.1"] td.cell').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-servers')))).to.deep.equal([server, server]);

    // Outside the test's temporary folders, so it is still there to look at after the run.
    const shot = path.join(os.tmpdir(), 'lvs-harness-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`      report screenshot: ${shot}`);
  });
});
