/**
 * Issue 13's cases that need more than one command line: signals, runs at once, a lab beside a
 * bench. Each returns the exit code and the message line for the table, plus what the tests check.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { startCli, targetSuite, waitFor, type CliOutcome } from './hardening-cases.js';

export interface ScenarioResult {
  code: number | null;
  /** The line of the message that matters, for the table. */
  line: string;
  outcomes: CliOutcome[];
  /** results.json of the (first) run, when it wrote one. */
  results?: { outcome: string; exitCode: number; error: { code: string; message: string } | null; endedAt: string | null; suites: Array<{ name: string }> };
}

export interface Scenario {
  point: number;
  name: string;
  /** Shown in the table only: it measures npm's behaviour (and needs the built dist/), not ours. */
  tableOnly?: boolean;
  run(dir: string): Promise<ScenarioResult>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function resultsIn(dir: string): ScenarioResult['results'] {
  const runs = readdirSync(dir).filter((d) => /^\d{8}-\d{6}-/.test(d));
  return runs[0] ? JSON.parse(readFileSync(path.join(dir, runs[0], 'results.json'), 'utf8')) : undefined;
}

const lineOf = (text: string, pattern: RegExp): string => text.split('\n').find((l) => pattern.test(l))?.trim() ?? '(no such line)';

/** A server on 127.0.0.1 that resets every connection: every probe fails, no check has a sample. */
async function resettingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((s) => s.resetAndDestroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

async function noSample(dir: string, checks: string, verdict: RegExp): Promise<ScenarioResult> {
  mkdirSync(dir, { recursive: true });
  const target = await resettingServer();
  try {
    const suite = path.join(dir, 'no-sample.yaml');
    // 50 clients: enough for weights to size its evidence, so that the run gets to judge nothing.
    writeFileSync(suite, targetSuite(target.url, `checks:\n${checks}`).replace('127.0.13.10-127.0.13.12', '127.0.13.10-127.0.13.59'));
    const r = await startCli(['run', '--lab', 'none', '--results', dir, suite]).done;
    return { code: r.code, line: lineOf(r.stdout, verdict), outcomes: [r], results: resultsIn(dir) };
  } finally {
    await target.close();
  }
}

/** A dump of long-pause.yaml's director (rr, persistent 100 s): what an operator would pass to bench. */
const LONG_PAUSE_DUMP = `-A -t 127.0.0.155:0 -s rr -p 100
-a -t 127.0.0.155:0 -r 127.0.5.51:0 -g -w 1
-a -t 127.0.0.155:0 -r 127.0.5.52:0 -g -w 1
`;

async function withLabUp<T>(suite: string, body: (lab: ReturnType<typeof startCli>) => Promise<T>): Promise<T> {
  const lab = startCli(['lab', 'up', suite], { timeoutMs: 120_000 });
  try {
    await waitFor(lab.output, /The lab runs until Ctrl-C/);
    return await body(lab);
  } finally {
    lab.child.kill('SIGINT');
    await lab.done;
  }
}

const TWO_PORTS = 'test/fixtures/suites/pcc-two-ports.yaml';

export const SCENARIOS: Scenario[] = [
  {
    point: 2,
    name: 'SIGTERM to the group, then again 0.8 s later (a slow check under way)',
    async run(dir) {
      mkdirSync(dir, { recursive: true });
      const run = startCli(['run', '--results', dir, 'test/fixtures/suites/pcc-two-ports.yaml', 'test/fixtures/suites/slow-verdict.yaml'], { group: true, timeoutMs: 60_000 });
      await waitFor(run.output, /Suite slow-verdict/);
      await sleep(1000);
      process.kill(-run.child.pid!, 'SIGTERM');
      await sleep(800);
      const second = performance.now();
      process.kill(-run.child.pid!, 'SIGTERM');
      const r = await run.done;
      const results = resultsIn(dir);
      return { code: r.code, line: `${r.firstLine} / results.json: ${results?.outcome}, ${results?.suites.length} suite(s), quit ${Math.round(performance.now() - second)} ms after the second`, outcomes: [r], results };
    },
  },
  {
    point: 2,
    name: 'SIGINT to the group twice, 50 ms apart (a terminal Ctrl-C under npm start)',
    async run(dir) {
      mkdirSync(dir, { recursive: true });
      const run = startCli(['run', '--results', dir, 'test/fixtures/suites/long-pause.yaml'], { group: true, timeoutMs: 60_000 });
      await waitFor(run.output, /Suite long-pause/);
      await sleep(1500);
      process.kill(-run.child.pid!, 'SIGINT');
      // npm passes its own SIGINT on a few ms after the terminal's (two signals sent back to back merge into one).
      await sleep(50);
      process.kill(-run.child.pid!, 'SIGINT');
      const r = await run.done;
      const results = resultsIn(dir);
      return { code: r.code, line: `${lineOf(r.stderr, /^ERROR/)} / results.json: ${results?.outcome}, ${results?.suites.length} suite(s)`, outcomes: [r], results };
    },
  },
  {
    point: 2,
    name: 'npx lvs-harness run, SIGINT to the group (what the shell sees under npx / npm start)',
    tableOnly: true,
    async run(dir) {
      mkdirSync(dir, { recursive: true });
      const run = startCli(['run', '--results', dir, 'test/fixtures/suites/long-pause.yaml'], { group: true, timeoutMs: 60_000, command: ['npx', 'lvs-harness'] });
      await waitFor(run.output, /Suite long-pause/);
      await sleep(1500);
      process.kill(-run.child.pid!, 'SIGINT');
      const r = await run.done;
      // npm has exited; lvs-harness finishes in the background.
      await sleep(3000);
      const results = resultsIn(dir);
      return { code: r.code, line: `npm's exit code; results.json: ${results?.outcome}, exitCode ${results?.exitCode}`, outcomes: [r], results };
    },
  },
  {
    point: 4,
    name: 'weights over 0 connections (every connection reset)',
    run: (dir) => noSample(dir, '  - connections: { maxFailed: 1000 }\n  - weights\n', /FAIL weights/),
  },
  {
    point: 4,
    name: 'connections with maxFailed above every failure, none succeeded',
    run: (dir) => noSample(dir, '  - connections: { maxFailed: 1000 }\n', /FAIL connections/),
  },
  {
    point: 5,
    name: 'run pcc-two-ports.yaml beside lab up of the same suite (EADDRINUSE)',
    run: (dir) =>
      withLabUp(TWO_PORTS, async () => {
        const r = await startCli(['run', '--results', dir, TWO_PORTS]).done;
        return { code: r.code, line: `${lineOf(r.stderr, /^ERROR/)} / ${lineOf(r.stderr, /^hint/)}`, outcomes: [r] };
      }),
  },
  {
    point: 5,
    name: 'run --address-offset 1 pcc-two-ports.yaml beside lab up of the same suite',
    run: (dir) =>
      withLabUp(TWO_PORTS, async () => {
        const r = await startCli(['run', '--address-offset', '1', '--results', dir, TWO_PORTS], { timeoutMs: 120_000 }).done;
        return { code: r.code, line: lineOf(r.stdout, /PASSED|FAILED|^Suite/), outcomes: [r] };
      }),
  },
  {
    point: 5,
    // Offsets 2 and 3: other processes on a shared host (npm start elsewhere) may hold the suites' own addresses.
    name: 'two runs of suites/pcc.yaml + ppc.yaml at once, with --address-offset 2 and 3',
    async run(dir) {
      const args = ['suites/pcc.yaml', 'suites/ppc.yaml'];
      const a = startCli(['run', '--address-offset', '2', '--results', path.join(dir, 'a'), ...args], { timeoutMs: 180_000 });
      const b = startCli(['run', '--address-offset', '3', '--results', path.join(dir, 'b'), ...args], { timeoutMs: 180_000 });
      const [ra, rb] = await Promise.all([a.done, b.done]);
      return { code: Math.max(ra.code ?? 99, rb.code ?? 99), line: `${lineOf(ra.stdout, /PASSED|FAILED/)} / ${lineOf(rb.stdout, /PASSED|FAILED/)}`, outcomes: [ra, rb] };
    },
  },
  {
    point: 5,
    name: 'bench --director-config to a persistent VIP from one source',
    async run(dir) {
      mkdirSync(dir, { recursive: true });
      const dump = path.join(dir, 'director.txt');
      writeFileSync(dump, LONG_PAUSE_DUMP);
      return withLabUp('test/fixtures/suites/long-pause.yaml', async (lab) => {
        const one = await startCli(['bench', '-q', '-n', '40', '-c', '2', '--director-config', dump, 'http://127.0.0.155:20130/']).done;
        const many = await startCli(['bench', '-q', '-n', '40', '-c', '2', '--sources', '127.0.11.50-127.0.11.59', '--director-config', dump, 'http://127.0.0.155:20130/']).done;
        return { code: one.code, line: `${lineOf(one.stderr, /^warning/)} / lab up: ${lineOf(lab.output(), /The service is persistent/)}`, outcomes: [one, many] };
      });
    },
  },
];
