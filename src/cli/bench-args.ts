/**
 * The command line of `lvs-harness bench`: ab 2.4's options (getopt-style short flags that group and
 * take values) plus the LVS extras. Every option is validated here, before the first packet.
 */
import { readFile } from 'node:fs/promises';
import { AB_TIME_LIMIT_REQUESTS, abHeartbeatEvery } from '../bench/engine.js';
import { AB_MAX_REQUEST_HEADER, buildRequest, hostHeaderFor, requestPath } from '../bench/request.js';
import { parseSources } from '../bench/sources.js';
import { parseBodyRegex, parseUrl } from '../bench/target.js';
import type { BenchOptions } from '../bench/types.js';
import { createBadArgumentError, createUnknownOptionError } from '../core/errors.js';
import type { Threshold } from '../thresholds/parse.js';
import { parseThresholdArguments } from './threshold-arguments.js';
import { shardBenchOptions } from '../shard/bench-shard.js';
import { parseShard, type ShardSpec } from '../shard/shard-spec.js';
import { parseStartAt } from '../shard/start-at.js';
import { parseKeepalivedId } from './keepalived-id.js';

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
  /** --workers: threads the run is split over (1 = the main thread alone; auto: auto-tune.ts). */
  workers: number | 'auto';
  /** --busy-poll: poll without sleeping (auto: auto-tune.ts). */
  busyPoll: boolean | 'auto';
  /** --director-config / --fwmark-rules: the director behind the URL, to warn about persistence. */
  directorConfig: string | undefined;
  fwmarkRules: string | undefined;
  /** --keepalived-id: the director's keepalived config id, when --director-config is a keepalived.conf with `@ID` lines. */
  keepalivedId: string | undefined;
  /** --threshold METRIC:EXPR, repeatable: judged on the run's figures, exit 10 on a breach. */
  thresholds: Threshold[];
  /** --shard i/N: this host's part of the run (src/shard/bench-shard.ts); needs --json. */
  shard: ShardSpec | undefined;
  /** --start-at: epoch ms at which the run begins. */
  startAtMs: number | undefined;
  /** The run as asked for, before --shard took this host's part. */
  whole: BenchOptions | undefined;
  /** -V / -h: print and exit without a run. */
  info: 'version' | 'help' | undefined;
}

export const BENCH_USAGE = `Usage: lvs-harness bench [options] http://hostname[:port]/path
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
    --identify-body REGEX    Regex over the body; group 1 (or the whole match) names the real server
    --weights NAME=W,...     Expected share per real server (weights or fractions)
    --rate R                 Constant arrival rate, requests/s (open model)
    --json FILE              Write the full result as JSON
    --workers N|auto         Split the connections over N threads (at most -c). auto (default):
                             one per CPU, at most 4, for runs without -k of 5000+ requests
                             per thread; one thread otherwise. Runs without -k or --rate of
                             5000+ requests per thread first warm each thread up with 4500
                             requests (3 rounds) to a responder of its own on 127.0.0.1
                             (never the target), before the clock starts
    --busy-poll on|off|auto  Poll the sockets without sleeping (one core at 100%; V8 stays at its
                             baseline compiler meanwhile), so a server on this machine never
                             wakes us. auto (default): on for -k runs on one thread without
                             --rate, against an address of this machine, with 2+ CPUs
    --director-config FILE   The director behind the URL, as \`ipvsadm -S -n\` prints it: warns
                             when the URL is a persistent service and the sources make one
                             client group (every request then follows one template)
    --fwmark-rules FILE      fwmark rules beside it, one a line: MARK tcp|udp VIP PORTS
    --keepalived-id NAME     The director's keepalived config id, when --director-config is a
                             keepalived.conf with @NAME lines (keepalived -i, else its host name)
    --threshold METRIC:EXPR  Fail (exit 10) unless the run meets it, e.g. 'latency.total:p(99)<50',
                             'failed:rate<0.01', 'rps:value>1000', 'share:deviation<5' (with
                             --weights), scoped as 'latency.total{server:web1}:max<200'; repeatable
    --shard i/N              Run part i (0..N-1) of a run split over N hosts: its share of -n,
                             -c and --sources; --json then also keeps every request's times, and
                             \`lvs-harness merge\` turns the N files into the whole run's report
    --start-at TIME          Wait until TIME (ISO with a zone, or epoch seconds; within an hour)
                             before the first request, so shards start together
`;

const VALUED_SHORT = new Set(['n', 'c', 't', 's', 'B', 'p', 'u', 'T', 'v', 'm', 'C', 'H', 'A', 'P', 'g', 'e']);
const BOOLEAN_SHORT = new Set(['k', 'V', 'h', 'i', 'd', 'S', 'q', 'l', 'r']);
const LONG = new Set([
  'sources', 'identify-header', 'identify-body', 'weights', 'rate', 'json', 'workers', 'busy-poll', 'help', 'version', 'threshold',
  'director-config', 'fwmark-rules', 'shard', 'start-at', 'keepalived-id',
]);
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
      if (!LONG.has(name)) throw createUnknownOptionError('bench', `--${name}`);
      if (LONG_BOOLEAN.has(name)) pairs.push([`--${name}`, '']);
      else pairs.push([`--${name}`, eq < 0 ? next(`--${name}`) : arg.slice(eq + 1)]);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] ?? '';
        if (VALUED_SHORT.has(letter)) {
          pairs.push([`-${letter}`, j + 1 < arg.length ? arg.slice(j + 1) : next(`-${letter}`)]);
          break;
        }
        if (!BOOLEAN_SHORT.has(letter)) throw createUnknownOptionError('bench', `-${letter}`);
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
    workers: 'auto',
    busyPoll: 'auto',
    directorConfig: undefined,
    fwmarkRules: undefined,
    keepalivedId: undefined,
    thresholds: [],
    shard: undefined,
    startAtMs: undefined,
    whole: undefined,
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
      case '--director-config': out.directorConfig = value; break;
      case '--fwmark-rules': out.fwmarkRules = value; break;
      case '--keepalived-id': out.keepalivedId = parseKeepalivedId(value); break;
      case '--shard': out.shard = parseShard(value); break;
      case '--start-at': out.startAtMs = parseStartAt(value); break;
      case '--workers':
        if (value !== 'auto' && !/^([1-9]|[1-5]\d|6[0-4])$/.test(value)) throw createBadArgumentError(option, `auto or an integer from 1 to 64, got "${value}"`);
        out.workers = value === 'auto' ? 'auto' : Number(value);
        break;
      case '--busy-poll':
        if (value !== 'on' && value !== 'off' && value !== 'auto') throw createBadArgumentError(option, `on, off or auto, got "${value}"`);
        out.busyPoll = value === 'auto' ? 'auto' : value === 'on';
        break;
      case '--threshold': {
        const [t] = parseThresholdArguments([value]);
        if (t?.scope.probe !== undefined) throw createBadArgumentError(`--threshold '${value}'`, 'no {probe:} scope: a bench has one target; scope by {server:NAME}');
        if (t) out.thresholds.push(t);
        break;
      }
      default: throw createBadArgumentError(option, 'a supported option (see -h)');
    }
  }
  if (out.info) return out;
  if (out.fwmarkRules !== undefined && out.directorConfig === undefined) throw createBadArgumentError('--fwmark-rules', 'a --director-config beside it');
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
  const url = new URL(o.url);
  const requestHeader = (headers: readonly string[]): number =>
    buildRequest({
      method: o.method ?? 'GET',
      path: requestPath(url),
      hostHeader: hostHeaderFor(url),
      keepAlive: o.keepAlive ?? false,
      headers,
      body: o.body,
      contentType: o.contentType,
    }).headerLength;
  const headerLength = requestHeader(o.headers);
  if (headerLength >= AB_MAX_REQUEST_HEADER) {
    // ab's buffer holds the request line (path and query) and every header line; the URL is at fault
    // when it overflows without the header lines given with -H, -C and -A.
    const culprit = requestHeader([]) >= AB_MAX_REQUEST_HEADER ? 'URL' : '-H';
    throw createBadArgumentError(culprit, `a request header (request line and header lines) under ${AB_MAX_REQUEST_HEADER} bytes, got ${headerLength} (Request too long)`);
  }
  o.heartbeatEvery = out.quiet ? 0 : abHeartbeatEvery(requests);
  if (out.shard) {
    if (out.jsonFile === undefined) throw createBadArgumentError('--shard', '--json FILE beside it: merge reads each shard from its JSON');
    out.whole = { ...o };
    Object.assign(o, shardBenchOptions(o, out.shard));
    o.heartbeatEvery = out.quiet ? 0 : abHeartbeatEvery(o.requests);
  }
  return out;
}
