/**
 * npm run bench:scale — how the suite runner's memory and speed grow with the traffic. Each row
 * generates a PCC suite (HTTP on two ports, checks pcc, weights and connections, and a bench step
 * through the same lab at the same concurrency from the same sources), runs it on the embedded lab in
 * a child process of its own and prints the child's peak RSS, its largest heap just after a full GC,
 * the entries of the lab's connection table after the traffic, the wall time, and the runner's HTTP
 * connections/s (each probe's) beside the bench engine's. The second probe is the like-for-like
 * figure: like the bench step after it, it runs on warm code and finds every client's template there;
 * the first also pays V8's warm-up and a new template per client. The default rows finish in a few minutes on 2 cores;
 * `--large` adds rows up to 1,000,000 connections (tens of minutes); `--rows 2000x1,20000x2` picks rows. Loopback addresses in 127.50+
 * only (`--address-offset` moves them further); every row is bounded by its suite's maxSeconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult } from '../src/bench/types.js';
import { formatIpv4, parseIpv4 } from '../src/net/ipv4.js';

interface Row {
  clients: number;
  /** Connections per client per probe (two probes). */
  perProbe: number;
}

// The same clients with ten times the connections, and ten times the clients with the same connections.
const DEFAULT_ROWS: Row[] = [
  { clients: 2_000, perProbe: 1 },
  { clients: 2_000, perProbe: 10 },
  { clients: 20_000, perProbe: 1 },
  { clients: 65_000, perProbe: 1 },
];
const LARGE_ROWS: Row[] = [
  { clients: 65_000, perProbe: 4 },
  { clients: 50_000, perProbe: 10 },
];
const CONCURRENCY = 64;
/**
 * The bench step makes what one probe makes (each source `perProbe` times, round-robin), so both rates
 * come from the same sources and template hits; capped so its 32-byte records stay out of the RSS column.
 */
const BENCH_REQUESTS_MAX = 100_000;

const { values } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    'address-offset': { type: 'string', default: '50' },
    keep: { type: 'boolean', default: false },
    /** Rows of your own instead: CLIENTSxCONNECTIONS_PER_PROBE, comma-separated (e.g. 2000x1,20000x2). */
    rows: { type: 'string' },
  },
});
const offset = Number(values['address-offset']);
if (!(Number.isInteger(offset) && offset >= 50 && offset <= 190)) {
  process.stderr.write('bench:scale: --address-offset takes a whole number from 50 to 190 (the suites live in 127.OFFSET.0.0 and up)\n');
  process.exit(11);
}
function parseRows(text: string): Row[] {
  return text.split(',').map((item) => {
    const m = /^(\d+)x(\d+)$/.exec(item.trim());
    const row = m ? { clients: Number(m[1]), perProbe: Number(m[2]) } : null;
    if (!row || row.clients < 1 || row.clients > 65_000 || row.perProbe < 1 || row.clients * row.perProbe * 2 > 1_000_000) {
      process.stderr.write(`bench:scale: --rows takes CLIENTSxCONNECTIONS like 2000x1 (1 to 65000 clients, at most 1,000,000 connections over two probes), not ${item}\n`);
      process.exit(11);
    }
    return row;
  });
}
const rows = values.rows !== undefined ? parseRows(values.rows) : [...DEFAULT_ROWS, ...(values.large ? LARGE_ROWS : [])];
const root = new URL('..', import.meta.url).pathname;
const harness = join(root, 'dist/src/cli/bin.js');
// The child writes its own peak RSS on exit: no dependency on /usr/bin/time. Beside it, the largest
// heap seen just after a full GC (what was live, where RSS adds V8's headroom and garbage not yet
// collected), caught by a gc observer without forcing any collection (no ? or # in a data: URL). And
// the process's CPU time (all threads) every 100 ms against the wall clock: the CPU each phase took
// per connection, which other processes' load on a shared machine moves far less than conns/s.
const PEAK_RSS =
  "data:text/javascript,import{writeFileSync}from'node:fs';import{PerformanceObserver,constants}from'node:perf_hooks';import{getHeapStatistics}from'node:v8';" +
  "let live=0;new PerformanceObserver((l)=>{for(const e of l.getEntries())if((e.detail||{}).kind===constants.NODE_PERFORMANCE_GC_MAJOR)live=Math.max(live,getHeapStatistics().used_heap_size)}).observe({entryTypes:['gc']});" +
  "const cpu=[];const tick=()=>{const u=process.cpuUsage();cpu.push(Date.now(),u.user+u.system)};tick();setInterval(tick,100).unref();" +
  "process.on('exit',()=>{tick();writeFileSync(process.env.LVS_PEAK_RSS_FILE,JSON.stringify({maxRss:process.resourceUsage().maxRSS,liveHeap:live,cpu}))})";

/** CPU µs the child had used by epoch ms `t`, between its samples (flat pairs: epoch ms, µs). */
function cpuAt(samples: readonly number[], t: number): number {
  for (let i = 2; i < samples.length; i += 2) {
    if (samples[i]! < t) continue;
    const [t0, c0, t1, c1] = [samples[i - 2]!, samples[i - 1]!, samples[i]!, samples[i + 1]!];
    return t1 === t0 ? c1 : c0 + ((c1 - c0) * (Math.max(t, t0) - t0)) / (t1 - t0);
  }
  return samples[samples.length - 1]!;
}

function suiteYaml(row: Row): string {
  const first = parseIpv4(`127.${offset + 1}.0.1`)!;
  const last = formatIpv4(first + row.clients - 1);
  return `name: scale-${row.clients}x${row.perProbe * 2}
vip: 127.${offset}.0.100
service:
  kind: pcc
  protocol: tcp
  port: 0
  scheduler: wrr
  persistence: { timeout: 1000, netmask: 255.255.255.255 }
  forward: route
  realServers:
    - { name: web1, address: 127.${offset}.1.1, weight: 100 }
    - { name: web2, address: 127.${offset}.1.2, weight: 200 }
probes:
  - { name: http, type: http, port: 8080, path: /, identify: { header: x-real-server } }
  - { name: http-alt, type: http, port: 8081, path: /, identify: { header: x-real-server } }
clients:
  sources: 127.${offset + 1}.0.1-${last}
traffic: { rounds: 1, connections: ${row.perProbe}, concurrency: ${CONCURRENCY}, order: shuffled, seed: 1, maxSeconds: 3600 }
checks:
  - pcc
  - weights: { significance: 0.01 }
  - connections
bench: { probe: http, requests: ${Math.min(row.clients * row.perProbe, BENCH_REQUESTS_MAX)}, concurrency: ${CONCURRENCY} }
`;
}

interface Measured {
  row: Row;
  connections: number;
  outcome: string;
  peakRssMb: number;
  /** The largest heap just after a full GC. */
  liveHeapMb: number;
  /** Entries in the director's table read after the traffic: what the lab holds, as the kernel would (rate x 120 s). */
  tableEntries: number | null;
  seconds: number;
  /** The first probe's connections/s: the process's first connections (V8 warm-up) and every client's new template. */
  firstPerSecond: number | null;
  /** The second probe's: warm code and the templates already there, as for the bench step after it. */
  secondPerSecond: number | null;
  benchPerSecond: number | null;
  /** CPU µs a connection: the first probe, the second, the bench step. */
  cpuPerConnection: [number | null, number | null, number | null];
}

interface ResultsFile {
  suites: Array<{
    outcome: string;
    /** Epoch ms (performance.timeOrigin + now) at the traffic's start. */
    trafficStartedAt: number;
    summary: { connections: number; byProbe: Record<string, { connections: number; perSecond: number | null }> };
    bench: { result: BenchResult } | null;
    director: { after: { connections: unknown[] | null; connectionTable?: { entries: number } } | null };
  }>;
}

async function measure(row: Row, scratch: string): Promise<Measured> {
  const suite = join(scratch, `scale-${row.clients}-${row.perProbe}.yaml`);
  const results = join(scratch, `results-${row.clients}-${row.perProbe}`);
  const rssFile = join(scratch, 'peak-rss');
  await writeFile(suite, suiteYaml(row));
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', PEAK_RSS, harness, 'run', suite, '--results', results, '--reporter', 'spec'], {
    env: { ...process.env, LVS_PEAK_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const seconds = (performance.now() - started) / 1000;
  const peak = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRss: number; liveHeap: number; cpu: number[] };
  const [runId] = await readdir(results);
  const doc = JSON.parse(await readFile(join(results, runId!, 'results.json'), 'utf8')) as ResultsFile;
  const s = doc.suites[0]!;
  const bench = s.bench?.result;
  const after = s.director.after;
  // The two waves run back to back from the traffic's start, each as long as its busy time.
  const perConnection = (from: number, seconds: number, connections: number): number | null =>
    connections > 0 && seconds > 0 ? (cpuAt(peak.cpu, from + seconds * 1000) - cpuAt(peak.cpu, from)) / connections : null;
  const waves = [s.summary.byProbe.http, s.summary.byProbe['http-alt']];
  let from = s.trafficStartedAt;
  const waveCpu = waves.map((w) => {
    const seconds = w?.perSecond ? w.connections / w.perSecond : 0;
    const cpu = perConnection(from, seconds, w?.connections ?? 0);
    from += seconds * 1000;
    return cpu;
  });
  const benchCpu = bench ? perConnection(Date.parse(bench.startedAt), bench.timeTakenSec, bench.counts.done) : null;
  return {
    row,
    connections: s.summary.connections,
    outcome: `${s.outcome} (exit ${child.status})`,
    peakRssMb: peak.maxRss / 1024,
    liveHeapMb: peak.liveHeap / 1048576,
    tableEntries: after === null ? null : (after.connectionTable?.entries ?? after.connections?.length ?? null),
    seconds,
    firstPerSecond: s.summary.byProbe.http?.perSecond ?? null,
    secondPerSecond: s.summary.byProbe['http-alt']?.perSecond ?? null,
    benchPerSecond: bench && bench.timeTakenSec > 0 ? bench.counts.done / bench.timeTakenSec : null,
    cpuPerConnection: [waveCpu[0] ?? null, waveCpu[1] ?? null, benchCpu],
  };
}

const rate = (x: number | null): string => (x === null ? '-' : x.toFixed(0));
const ratio = (x: number | null, bench: number | null): string => (x !== null && bench ? (x / bench).toFixed(2) : '-');
const header =
  '| clients | connections | peak RSS (MB) | heap after GC (MB) | table entries | seconds | runner conns/s (1st / 2nd probe) | bench conns/s | runner/bench (1st / 2nd) | CPU µs a connection (1st / 2nd / bench) | outcome |';
process.stdout.write(`${header}\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n`);
const scratch = await mkdtemp(join(tmpdir(), 'lvs-bench-scale-'));
try {
  for (const row of rows) {
    const m = await measure(row, scratch);
    const runner = `${rate(m.firstPerSecond)} / ${rate(m.secondPerSecond)}`;
    const ratios = `${ratio(m.firstPerSecond, m.benchPerSecond)} / ${ratio(m.secondPerSecond, m.benchPerSecond)}`;
    const cpu = m.cpuPerConnection.map(rate).join(' / ');
    process.stdout.write(
      `| ${row.clients} | ${m.connections} | ${m.peakRssMb.toFixed(0)} | ${m.liveHeapMb.toFixed(0)} | ${m.tableEntries ?? '-'} | ${m.seconds.toFixed(1)} | ${runner} | ${rate(m.benchPerSecond)} | ${ratios} | ${cpu} | ${m.outcome} |\n`,
    );
  }
} finally {
  if (!values.keep) await rm(scratch, { recursive: true, force: true });
  else process.stderr.write(`kept ${scratch}\n`);
}
