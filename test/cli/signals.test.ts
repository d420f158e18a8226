/** Ctrl-C, a reader that goes away, and `lab up`, through the real command line. */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { close, httpServer } from '../bench/helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

function start(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(output: () => string, pattern: RegExp, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(output())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('signals and lab up', function () {
  this.timeout(60_000);

  it('Ctrl-C during a run exits 13 and keeps what was collected', async () => {
    const dir = tempDir('lvs-harness-sigint-');
    const run = start(['run', '--results', dir, 'test/fixtures/suites/long-pause.yaml']);
    await waitFor(run.output, /Suite long-pause/);
    // The first round is 20 connections; give it time, then interrupt the 60 s pause.
    const ndjsonReady = async (): Promise<boolean> => {
      const runs = readdirSync(dir);
      return runs.length > 0 && readFileSync(path.join(dir, runs[0]!, 'observations.ndjson'), 'utf8').split('\n').length > 20;
    };
    for (let i = 0; i < 200 && !(await ndjsonReady()); i++) await new Promise((r) => setTimeout(r, 50));
    run.child.kill('SIGINT');
    expect(await run.exited).to.equal(13);
    const results = JSON.parse(readFileSync(path.join(dir, readdirSync(dir)[0]!, 'results.json'), 'utf8'));
    expect(results).to.include({ outcome: 'aborted', exitCode: 13 });
    expect(results.error.code).to.equal('ABORTED');
    expect(results.suites[0].summary.connections).to.equal(20);
  });

  it('a reader that goes away (`| head`) costs the report only: the results file and the exit code stay', async () => {
    const { server, url } = await httpServer((_req, res) => res.end('hello\n'));
    try {
      const json = path.join(tempDir('lvs-harness-epipe-'), 'result.json');
      const bench = start(['bench', '-q', '-n', '300', '-c', '4', '--json', json, url]);
      // The report's first write then meets a closed pipe (EPIPE: Node ignores SIGPIPE).
      bench.child.stdout!.destroy();
      expect(await bench.exited).to.equal(0);
      expect(bench.output()).to.not.match(/EPIPE|Error/);
      expect(JSON.parse(readFileSync(json, 'utf8')).counts).to.include({ done: 300, good: 300 });
      // `2>&1 | head`: stderr's heartbeat and progress lines meet the closed pipe too.
      const both = path.join(tempDir('lvs-harness-epipe-'), 'result.json');
      const loud = start(['bench', '-n', '300', '-c', '4', '--json', both, url]);
      loud.child.stdout!.destroy();
      loud.child.stderr!.destroy();
      expect(await loud.exited).to.equal(0);
      expect(JSON.parse(readFileSync(both, 'utf8')).counts).to.include({ done: 300, good: 300 });
    } finally {
      await close(server);
    }
  });

  it('lab up serves the suite\'s VIP until Ctrl-C', async () => {
    const lab = start(['lab', 'up', 'test/fixtures/suites/long-pause.yaml']);
    await waitFor(lab.output, /The lab runs until Ctrl-C/);
    expect(lab.output()).to.contain('TCP  127.0.0.155:0 rr persistent 100');
    const res = await request('http://127.0.0.155:20130/', { headers: { connection: 'close' } });
    expect(['web1', 'web2']).to.include(res.headers['x-real-server']);
    await res.body.dump();
    lab.child.kill('SIGINT');
    expect(await lab.exited).to.equal(0);
  });
});
