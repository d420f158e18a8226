/**
 * `lvs-harness bench [options] http://host[:port]/path`: ab 2.4's options and report, plus LVS extras
 * (--sources, --identify-header/--identify-body, --weights, --rate, --json). Every option is validated
 * before the first packet; stdout carries only the report (and the per-real-server table), progress and
 * diagnostics go to stderr. Also exports `runBenchStep` for a suite's `bench` step.
 */
import { printError } from './print-error.js';
import { readFile, writeFile } from 'node:fs/promises';
import { formatAbReport } from '../bench/ab-report.js';
import { formatGnuplot, formatPercentileCsv } from '../bench/ab-stats.js';
import { AB_TIME_LIMIT_REQUESTS, abHeartbeatEvery, runBenchDetailed } from '../bench/engine.js';
import { AB_MAX_REQUEST_HEADER, buildRequest, hostHeaderFor } from '../bench/request.js';
import { runBenchWorkers } from '../bench/workers.js';
import { formatServerTable } from '../bench/server-table.js';
import { UNIDENTIFIED, NO_RESPONSE } from '../bench/server-stats.js';
import { parseSources } from '../bench/sources.js';
import type { BenchOptions, BenchResult } from '../bench/types.js';
import {
  createBadArgumentError,
  createBenchBrokeOffError,
  createUnreachableError,
  isHarnessError,
  type HarnessError,
} from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

export interface BenchIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

/** Parsed command line: engine options plus what only the CLI uses. */
export interface BenchCommandArgs {
  options: BenchOptions;
  quiet: boolean;
  confidence: boolean;
  percentiles: boolean;
  csvFile: string | undefined;
  gnuplotFile: string | undefined;
  jsonFile: string | undefined;
  expectedShares: Record<string, number> | undefined;
  /** --workers: threads the run is split over (1 = the main thread alone). */
  workers: number;
  /** -V / -h: print and exit without a run. */
  info: 'version' | 'help' | undefined;
}

const USAGE = `Usage: lvs-harness bench [options] http://hostname[:port]/path
ApacheBench 2.4 options:
    -n requests     Number of requests to perform (default 1)
    -c concurrency  Number of multiple requests to make at a time (max 20000)
    -t timelimit    Seconds to max. to spend on benchmarking (implies -n 50000)
    -s timeout      Seconds to max. wait with no socket activity (default 30)
    -B address      Address to bind to when making outgoing connections
    -p postfile     File containing data to POST (set -T too)
    -u putfile      File containing data to PUT (set -T too)
    -T content-type Content-type header for POST/PUT data (default text/plain)
    -v verbosity    1: print receive errors ignored by -r
    -i              Use HEAD instead of GET
    -m method       Method name
    -C attribute    Add cookie, eg. 'Apache=1234' (repeatable)
    -H attribute    Add arbitrary header line, eg. 'Accept-Encoding: gzip' (repeatable)
    -A attribute    Basic WWW authentication, user:password
    -P attribute    Basic proxy authentication, user:password
    -k              Use HTTP KeepAlive feature
    -d              Do not show percentiles served table
    -S              Do not show confidence estimators and warnings
    -q              Do not show progress when doing more than 150 requests
    -l              Accept variable document length
    -g filename     Output collected data to gnuplot format file
    -e filename     Output CSV file with percentages served
    -r              Don't exit on socket receive errors
    -V              Print version number and exit
    -h              Display usage information (this message)
LVS options:
    --sources RANGE          Bind new connections round-robin to these addresses
                             (A, A-B, A/len, comma-separated)
    --identify-header NAME   Response header naming the real server (default x-real-server)
    --identify-body REGEX    Regex over the body; group 1 names the real server
    --weights NAME=W,...     Expected share per real server (weights or fractions)
    --rate R                 Constant arrival rate, requests/s (open model)
    --json FILE              Write the full result as JSON
    --workers N              Split the connections over N threads (at most -c; default 1)
`;

const VALUED_SHORT = new Set(['n', 'c', 't', 's', 'B', 'p', 'u', 'T', 'v', 'm', 'C', 'H', 'A', 'P', 'g', 'e']);
const BOOLEAN_SHORT = new Set(['k', 'V', 'h', 'i', 'd', 'S', 'q', 'l', 'r']);
const LONG = new Set(['sources', 'identify-header', 'identify-body', 'weights', 'rate', 'json', 'workers', 'help', 'version']);
const LONG_BOOLEAN = new Set(['help', 'version']);

function positiveInt(option: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw createBadArgumentError(option, `an integer from 1 to ${max}, got "${text}"`);
  }
  return Number(text);
}

function positiveNumber(option: string, text: string): number {
  const v = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(v > 0)) throw createBadArgumentError(option, `a positive number, got "${text}"`);
  return v;
}

/** Splits argv into (option, value) pairs in order, ab/getopt style (`-n100`, `-n 100`, `-kq`). */
function tokenize(argv: readonly string[]): { pairs: Array<[string, string]>; positional: string[] } {
  const pairs: Array<[string, string]> = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = (option: string): string => {
      const v = argv[++i];
      if (v === undefined) throw createBadArgumentError(option, 'a value');
      return v;
    };
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      if (!LONG.has(name)) throw createBadArgumentError(`--${name}`, 'a known option (see -h)');
      if (LONG_BOOLEAN.has(name)) pairs.push([`--${name}`, '']);
      else pairs.push([`--${name}`, eq < 0 ? next(`--${name}`) : arg.slice(eq + 1)]);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] ?? '';
        if (VALUED_SHORT.has(letter)) {
          pairs.push([`-${letter}`, j + 1 < arg.length ? arg.slice(j + 1) : next(`-${letter}`)]);
          break;
        }
        if (!BOOLEAN_SHORT.has(letter)) throw createBadArgumentError(`-${letter}`, 'a supported ab option (see -h)');
        pairs.push([`-${letter}`, '']);
      }
    } else {
      positional.push(arg);
    }
  }
  return { pairs, positional };
}

function parseWeights(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of text.split(',')) {
    const m = /^([^=]+)=(\d+(?:\.\d+)?)$/.exec(item.trim());
    if (!m?.[1] || !m[2]) throw createBadArgumentError('--weights', `NAME=WEIGHT[,NAME=WEIGHT...], got "${item}"`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

function parseBodyRegex(option: string, source: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch {
    throw createBadArgumentError(option, `a valid regular expression, got "${source}"`);
  }
  // A regex with a group matches '' alternation with that group present in the result array.
  const groups = (new RegExp(`${source}|`).exec('') ?? []).length - 1;
  if (groups < 1) throw createBadArgumentError(option, 'a regular expression with a capture group (group 1 names the server)');
  return re;
}

/** Validates a URL the way ab does (http only, a path is required) and returns it normalised. */
function parseUrl(text: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  if (!/^http:\/\//i.test(withScheme)) {
    throw createBadArgumentError('URL', `an http:// URL (https is not supported), got "${text}"`);
  }
  if (!withScheme.slice(7).includes('/')) throw createBadArgumentError('URL', `a URL with a path, e.g. http://host/ (got "${text}")`);
  try {
    const u = new URL(withScheme);
    if (!u.hostname) throw new Error('no host');
    return u.href;
  } catch {
    throw createBadArgumentError('URL', `a valid URL, got "${text}"`);
  }
}

/** Parses and validates the command line. Throws a HarnessError (InvalidInput) on any problem. */
export async function parseBenchArgs(argv: readonly string[]): Promise<BenchCommandArgs> {
  const { pairs, positional } = tokenize(argv);
  let requests = 1;
  let concurrency = 1;
  let method: string | undefined;
  let bodyFile: string | undefined;
  const headers: string[] = [];
  const cookies: string[] = [];
  const auth: string[] = [];
  const out: BenchCommandArgs = {
    options: { url: '', requests: 1, concurrency: 1 },
    quiet: false,
    confidence: true,
    percentiles: true,
    csvFile: undefined,
    gnuplotFile: undefined,
    jsonFile: undefined,
    expectedShares: undefined,
    workers: 1,
    info: undefined,
  };
  const o = out.options;
  const setMethod = (m: string, option: string): void => {
    if (method !== undefined && method !== m) throw createBadArgumentError(option, 'one method only (Cannot mix POST with other methods)');
    method = m;
  };
  for (const [option, value] of pairs) {
    switch (option) {
      case '-n': requests = positiveInt(option, value); break;
      case '-c': concurrency = positiveInt(option, value, 20000); break;
      case '-t': o.timeLimitSec = positiveNumber(option, value); requests = AB_TIME_LIMIT_REQUESTS; break;
      case '-s': o.timeoutSec = positiveNumber(option, value); break;
      case '-B': {
        const list = parseSources(value);
        if (!list || list.length !== 1) throw createBadArgumentError(option, `one local IP address, got "${value}"`);
        o.sources = list;
        break;
      }
      case '-p': bodyFile = value; setMethod('POST', option); break;
      case '-u': bodyFile = value; setMethod('PUT', option); break;
      case '-i': setMethod('HEAD', option); break;
      case '-m':
        if (!/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$/.test(value)) throw createBadArgumentError(option, `an HTTP method token, got "${value}"`);
        method = value.toUpperCase();
        break;
      case '-T': o.contentType = value; break;
      case '-v': o.verbosity = positiveInt(option, value === '0' ? '1' : value, 4); break;
      case '-C': cookies.push(`Cookie: ${value}`); break;
      case '-H':
        if (!/^[^:\s]+:/.test(value) || /[\r\n]/.test(value)) throw createBadArgumentError(option, `a header line "Name: value", got "${value}"`);
        headers.push(value);
        break;
      case '-A':
      case '-P': {
        if (!value.includes(':')) throw createBadArgumentError(option, 'user:password');
        const name = option === '-A' ? 'Authorization' : 'Proxy-Authorization';
        auth.push(`${name}: Basic ${Buffer.from(value).toString('base64')}`);
        break;
      }
      case '-k': o.keepAlive = true; break;
      case '-d': out.percentiles = false; break;
      case '-S': out.confidence = false; break;
      case '-q': out.quiet = true; break;
      case '-l': o.variableLength = true; break;
      case '-r': o.continueOnReceiveError = true; break;
      case '-g': out.gnuplotFile = value; break;
      case '-e': out.csvFile = value; break;
      case '-V': case '--version': out.info = 'version'; break;
      case '-h': case '--help': out.info = 'help'; break;
      case '--sources': {
        const list = parseSources(value);
        if (!list) throw createBadArgumentError(option, `addresses as A, A-B or A/len (comma-separated), got "${value}"`);
        o.sources = list;
        break;
      }
      case '--identify-header':
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)) throw createBadArgumentError(option, `a header name, got "${value}"`);
        o.identifyHeader = value;
        break;
      case '--identify-body': o.identifyBodyRegex = parseBodyRegex(option, value); break;
      case '--weights': out.expectedShares = parseWeights(value); break;
      case '--rate': o.rate = positiveNumber(option, value); break;
      case '--json': out.jsonFile = value; break;
      case '--workers': out.workers = positiveInt(option, value, 64); break;
      default: throw createBadArgumentError(option, 'a supported option (see -h)');
    }
  }
  if (out.info) return out;
  if (positional.length !== 1) throw createBadArgumentError('URL', `exactly one URL, got ${positional.length}`);
  o.url = parseUrl(positional[0] ?? '');
  if (concurrency > requests) throw createBadArgumentError('-c', `at most -n (${requests}): cannot use concurrency level greater than total number of requests`);
  if (o.rate && o.timeLimitSec && !pairs.some(([k]) => k === '-n')) requests = Math.max(1, Math.ceil(o.rate * o.timeLimitSec));
  o.requests = requests;
  o.concurrency = concurrency;
  if (method) o.method = method;
  if (bodyFile !== undefined) {
    try {
      o.body = await readFile(bodyFile);
    } catch (e) {
      throw createBadArgumentError(o.method === 'PUT' ? '-u' : '-p', `a readable file, got "${bodyFile}" (${(e as Error).message})`);
    }
  }
  o.headers = [...cookies, ...auth, ...headers];
  const { headerLength } = buildRequest({
    method: o.method ?? 'GET',
    path: new URL(o.url).pathname,
    hostHeader: hostHeaderFor(new URL(o.url)),
    keepAlive: o.keepAlive ?? false,
    headers: o.headers,
    body: o.body,
    contentType: o.contentType,
  });
  if (headerLength >= AB_MAX_REQUEST_HEADER) throw createBadArgumentError('-H', `a request header under ${AB_MAX_REQUEST_HEADER} bytes (Request too long)`);
  o.heartbeatEvery = out.quiet ? 0 : abHeartbeatEvery(requests);
  return out;
}

function reportError(io: BenchIo, err: HarnessError): number {
  printError(err, io.stderr);
  return err.exitCode;
}

/** Whether the per-server table says anything: some response named its server, or shares are expected. */
function hasServerData(result: BenchResult, expected: Record<string, number> | undefined): boolean {
  return expected !== undefined || result.servers.some((s) => s.name !== UNIDENTIFIED && s.name !== NO_RESPONSE);
}

/** The error a run that ended early maps to, or null when the run counts as completed. */
function abortError(result: BenchResult): HarnessError | null {
  const a = result.aborted;
  if (!a || a.kind === 'signal') return null;
  if (a.kind === 'timeout') return createBenchBrokeOffError(result.url, `no socket activity within -s seconds (${a.message})`);
  if (a.kind === 'receive-error') return createBenchBrokeOffError(result.url, a.message);
  if (result.counts.done === 0) return createUnreachableError(result.url, a.message);
  return createBenchBrokeOffError(result.url, `Test aborted after 10 failures: ${a.message}`);
}

/** `lvs-harness bench …`: returns the process exit code. */
export async function benchCommand(argv: string[], io: BenchIo): Promise<number> {
  let args: BenchCommandArgs;
  try {
    args = await parseBenchArgs(argv);
  } catch (e) {
    if (isHarnessError(e)) return reportError(io, e);
    throw e;
  }
  if (args.info === 'help') {
    io.stdout.write(USAGE);
    return ExitCode.Passed;
  }
  if (args.info === 'version') {
    io.stdout.write('lvs-harness bench (ApacheBench 2.3 compatible report, apache/httpd 2.4.x)\n');
    return ExitCode.Passed;
  }
  const o = args.options;
  const heartbeat = (o.heartbeatEvery ?? 0) > 0;
  io.stderr.write(`Benchmarking ${new URL(o.url).hostname} (be patient)${heartbeat ? '\n' : '...'}`);
  const events = {
    heartbeat: (done: number) => io.stderr.write(`Completed ${done} requests\n`),
    diagnostic: (line: string) => io.stderr.write(`${line}\n`),
  };
  const { result, records } =
    args.workers > 1
      ? await runBenchWorkers({ ...o, signal: io.signal }, args.workers, events)
      : await runBenchDetailed({ ...o, signal: io.signal }, events);
  const failure = abortError(result);
  if (failure) {
    if (!heartbeat) io.stderr.write('\n');
    if (result.counts.done > 0) io.stdout.write(`Total of ${result.counts.done} requests completed\n`);
    return reportError(io, failure);
  }
  io.stderr.write(heartbeat ? `Finished ${result.counts.done} requests\n` : '..done\n');
  io.stdout.write(formatAbReport(result, { confidence: args.confidence, percentiles: args.percentiles }));
  if (hasServerData(result, args.expectedShares)) io.stdout.write(`\n${formatServerTable(result.servers, args.expectedShares)}`);
  try {
    if (args.csvFile !== undefined && result.counts.done > 0) await writeFile(args.csvFile, formatPercentileCsv(records));
    if (args.gnuplotFile !== undefined && result.counts.done > 0) await writeFile(args.gnuplotFile, formatGnuplot(records));
    if (args.jsonFile !== undefined) await writeFile(args.jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  } catch (e) {
    return reportError(io, createBadArgumentError('-e/-g/--json', `a writable file (${(e as Error).message})`));
  }
  return result.aborted?.kind === 'signal' ? ExitCode.Aborted : ExitCode.Passed;
}

export interface BenchStepInput {
  url: string;
  requests: number;
  concurrency: number;
  keepAlive: boolean;
  sources?: string[];
  identifyHeader?: string;
  /** Regex source (from a suite file) or RegExp; group 1 names the real server. */
  identifyBodyRegex?: string | RegExp;
  expectedShares?: Record<string, number>;
  signal: AbortSignal;
}

/**
 * A suite's bench step. Receive errors count as failures (ab -r) so one bad real server does not end
 * the step; throws the unreachable HarnessError only when no request completed at all.
 */
export async function runBenchStep(input: BenchStepInput): Promise<{ result: BenchResult; report: string }> {
  if (!Number.isInteger(input.requests) || input.requests < 1) throw createBadArgumentError('bench.requests', 'an integer >= 1');
  if (!Number.isInteger(input.concurrency) || input.concurrency < 1 || input.concurrency > input.requests) {
    throw createBadArgumentError('bench.concurrency', `an integer from 1 to requests (${input.requests})`);
  }
  const url = parseUrl(input.url);
  const regex = typeof input.identifyBodyRegex === 'string'
    ? parseBodyRegex('bench.identify.body', input.identifyBodyRegex)
    : input.identifyBodyRegex;
  const result = (
    await runBenchDetailed({
      url,
      requests: input.requests,
      concurrency: input.concurrency,
      keepAlive: input.keepAlive,
      continueOnReceiveError: true,
      heartbeatEvery: 0,
      signal: input.signal,
      ...(input.sources && input.sources.length > 0 ? { sources: input.sources } : {}),
      ...(input.identifyHeader !== undefined ? { identifyHeader: input.identifyHeader } : {}),
      ...(regex !== undefined ? { identifyBodyRegex: regex } : {}),
    })
  ).result;
  if (result.counts.done === 0) {
    const failure = abortError(result);
    if (failure) throw failure;
  }
  const table = formatServerTable(result.servers, input.expectedShares);
  const report = formatAbReport(result) + (table ? `\n${table}` : '');
  return { result, report };
}
