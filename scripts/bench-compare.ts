/**
 * npm run bench:compare — lvs-harness next to ab, wrk and autocannon on the same nginx (one worker,
 * a small static file), and the embedded lab's director next to HAProxy in TCP mode, on this machine,
 * in one go. Each job runs ROUNDS times (default 7: this VM's speed drifts by up to a quarter within
 * minutes) with the tools' order alternating, and the table gives medians. A missing tool is named and
 * its rows skipped. Loopback addresses only. In the keep-alive job wrk sends lvs-harness's exact request
 * and autocannon its headers (compare/same-request.ts): nginx's cost per request depends on them.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { BenchResult } from '../src/bench/types.js';
import { measure, parseAb, parseAutocannon, parseHarness, parseWrk, type Measured, type Parser } from './compare/measure.js';
import { autocannonHeaders, harnessRequest, wrkScript } from './compare/same-request.js';
import { freePort, startHaproxy, startLabDirector, startNginx, type Backend, type RunningProcess } from './compare/servers.js';
import { formatTable, median, type Row } from './compare/table.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const REQUESTS = process.env.REQUESTS ?? '20000';
const SECONDS = process.env.SECONDS ?? '5';
const root = new URL('..', import.meta.url).pathname;
const harness = join(root, 'dist/src/cli/bin.js');
const BACKENDS: Backend[] = [
  { name: 'web1', address: '127.0.77.1' },
  { name: 'web2', address: '127.0.77.2' },
];
const VIP_LAB = '127.0.77.100';
const VIP_HAPROXY = '127.0.77.101';

interface Tool {
  name: string;
  command: string;
  args: string[];
  parse: Parser;
  /** Server-side processes whose CPU is charged to this tool's requests. */
  watch: number[];
  /** Where the tool writes its --json result (lvs-harness: the CPU of the measured run alone). */
  jsonFile?: string;
}

/** Where `command` is on PATH (or the path itself when it exists), else null. */
function which(command: string): string | null {
  if (command.includes('/')) return existsSync(command) ? command : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, command))) return join(dir, command);
  return null;
}

/** lvs-harness as a tool; its --json result goes to a file of its own in `scratch`. */
const harnessTool = (scratch: string, name: string, args: string[], watch: number[]): Tool => {
  const jsonFile = join(scratch, `${name.replace(/\W+/g, '-')}.json`);
  return { name, command: process.execPath, args: [harness, 'bench', '-q', '--json', jsonFile, ...args], parse: parseHarness, watch, jsonFile };
};

/** lvs-harness's CPU per request over its measured run, from its --json result. */
async function runCpuPerRequest(jsonFile: string): Promise<number> {
  const result = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchResult;
  const cpu = result.clientCpu;
  return cpu && result.counts.done > 0 ? (cpu.userUs + cpu.systemUs) / result.counts.done : NaN;
}

/** Runs every tool ROUNDS times, rotating which goes first; the first tool is "ours". */
async function job(title: string, tools: Tool[]): Promise<Row[]> {
  const runs = new Map<string, Measured[]>(tools.map((t) => [t.name, []]));
  const inRun = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = tools.map((_, i) => tools[(i + round) % tools.length] as Tool);
    for (const tool of order) {
      process.stderr.write(`  ${title}: ${tool.name} (round ${round + 1}/${ROUNDS}) ... `);
      const m = await measure(tool.command, tool.args, tool.parse, tool.watch);
      process.stderr.write(`${m.rps.toFixed(0)} req/s\n`);
      runs.get(tool.name)?.push(m);
      if (tool.jsonFile) inRun.get(tool.name)?.push(await runCpuPerRequest(tool.jsonFile));
    }
  }
  const ours = median((runs.get(tools[0]?.name ?? '') ?? []).map((m) => m.rps));
  return tools.map((tool) => {
    const ms = runs.get(tool.name) ?? [];
    const rps = median(ms.map((m) => m.rps));
    return {
      job: title,
      tool: tool.name,
      rps,
      ratio: ours / rps,
      toolUs: median(ms.map((m) => (m.toolCpu === null ? NaN : (m.toolCpu * 1e6) / m.requests))),
      toolRunUs: median(inRun.get(tool.name) ?? []),
      serverUs: median(ms.map((m) => (m.serverCpu * 1e6) / m.requests)),
    };
  });
}

async function main(): Promise<void> {
  const missing: string[] = [];
  const need = (command: string, pkg: string): string | null => {
    const found = which(command);
    if (!found) missing.push(`${command} (${pkg})`);
    return found;
  };
  const nginx = need('nginx', 'apt-get install nginx-light');
  const ab = need('ab', 'apt-get install apache2-utils');
  const wrk = need('wrk', 'apt-get install wrk');
  const autocannon = need(join(root, 'node_modules/.bin/autocannon'), 'npm ci');
  const haproxy = need('haproxy', 'apt-get install haproxy');
  need('/usr/bin/time', 'apt-get install time: no tool CPU column');
  if (!existsSync(harness)) throw new Error(`${harness} is missing: run npm run build first`);
  for (const m of missing) process.stderr.write(`missing: ${m}; its rows are skipped\n`);
  if (!nginx) throw new Error('nginx is required for every job: apt-get install nginx-light');

  const scratch = await mkdtemp(join(tmpdir(), 'lvs-harness-compare-'));
  const port = await freePort();
  const url = `http://${BACKENDS[0]?.address}:${port}/`;
  const sameRequest = harnessRequest(url);
  const script = wrk ? await wrkScript(sameRequest) : null;
  const servers: RunningProcess[] = [];
  const cleanUp = (): Promise<unknown> =>
    Promise.all([...servers.map((s) => s.stop()), script?.remove(), rm(scratch, { recursive: true, force: true })]);
  // The servers are detached (compare/servers.ts): on Ctrl-C they are stopped here, not by the terminal.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
  }
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const web = await startNginx(BACKENDS, port, 'hello world\n');
    servers.push(web);
    const w = [web.pid];

    const perRequest: Tool[] = [harnessTool(scratch, 'lvs-harness', ['-c', '10', '-n', REQUESTS, url], w)];
    // The default (--workers auto) splits this job over the CPUs; one thread alone is shown too.
    perRequest.push(harnessTool(scratch, 'lvs-harness --workers 1', ['--workers', '1', '-c', '10', '-n', REQUESTS, url], w));
    if (ab) perRequest.push({ name: 'ab', command: ab, args: ['-q', '-c', '10', '-n', REQUESTS, url], parse: parseAb, watch: w });
    rows.push(...(await job(`-c 10 -n ${REQUESTS}, new connection per request`, perRequest)));

    const keepAlive: Tool[] = [harnessTool(scratch, 'lvs-harness', ['-k', '-c', '10', '-t', SECONDS, url], w)];
    if (wrk && script) {
      const wrkTool = (name: string, extra: string[]): Tool => ({
        name,
        command: wrk,
        args: ['-t1', '-c10', `-d${SECONDS}s`, ...extra, url],
        parse: parseWrk,
        watch: w,
      });
      keepAlive.push(wrkTool("wrk -t1 (ab's request bytes)", ['-s', script.path]), wrkTool("wrk -t1 (wrk's own request)", []));
      notes.push(
        "keep-alive: read ours/tool against wrk -t1 (ab's request bytes), which sends lvs-harness's exact request: nginx is the",
        "  bottleneck there and its CPU per request grows with the request bytes, so wrk's own shorter HTTP/1.1 request (shown for",
        "  information) makes it faster for a reason that is not the tool. Server CPU us/req is nginx's, per row, to check this.",
      );
    }
    if (autocannon) {
      const args = ['-c', '10', '-d', SECONDS, '--json', ...autocannonHeaders(sameRequest), url];
      keepAlive.push({ name: "autocannon (ab's headers)", command: autocannon, args, parse: parseAutocannon, watch: w });
      notes.push("keep-alive: autocannon sends ab's headers but always HTTP/1.1 and its own `Connection: keep-alive`: same length, not the same bytes.");
    }
    rows.push(...(await job(`keep-alive -c 10, ${SECONDS} s`, keepAlive)));

    if (haproxy) {
      const proxyPort = await freePort();
      const lab = await startLabDirector(VIP_LAB, port, BACKENDS);
      servers.push(lab);
      const ha = await startHaproxy(VIP_HAPROXY, proxyPort, BACKENDS, port);
      servers.push(ha);
      // The same load tool through both: new connections per second, each response naming its backend.
      const through = (vip: string, p: number): string[] => ['-c', '10', '-n', REQUESTS, `http://${vip}:${p}/`];
      rows.push(
        ...(await job('proxy: lvs-harness -c 10 -n through it', [
          harnessTool(scratch, 'lab director', through(VIP_LAB, port), [web.pid, lab.pid]),
          harnessTool(scratch, 'HAProxy tcp, 1 thread', through(VIP_HAPROXY, proxyPort), [web.pid, ha.pid]),
        ])),
      );
    }
  } finally {
    await cleanUp();
  }
  process.stdout.write(formatTable(rows, ROUNDS));
  for (const note of notes) process.stdout.write(`${note}\n`);
  if (missing.length) process.stdout.write(`skipped (missing): ${missing.join(', ')}\n`);
}

await main();
