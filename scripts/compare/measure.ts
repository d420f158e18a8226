/**
 * Runs one load tool and returns what the comparison needs: requests per second as the tool itself
 * reports it, and CPU seconds (user + system) of the tool and of the server-side processes during
 * the run. On these small machines client and server share the CPUs, so CPU per request is the
 * figure that explains a requests/s ratio.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measured {
  rps: number;
  requests: number;
  /** CPU seconds of the load tool (null when /usr/bin/time is missing). */
  toolCpu: number | null;
  /** CPU seconds of the watched server processes (nginx worker, proxy). */
  serverCpu: number;
  stdout: string;
}

const TIME = '/usr/bin/time';
const TICKS_PER_SEC = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds of a process and its current children (nginx's work happens in its worker). */
export function processCpu(pid: number): number {
  const ticks = (p: string): number => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
  };
  let total = 0;
  const visit = (p: string): void => {
    if (!existsSync(`/proc/${p}`)) return;
    total += ticks(p);
    for (const child of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').split(' ').filter(Boolean)) visit(child);
  };
  visit(String(pid));
  return total / TICKS_PER_SEC;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export type Parser = (stdout: string) => { rps: number; requests: number };

/** Runs `command args` under /usr/bin/time (when present) while watching `serverPids`. */
export async function measure(command: string, args: string[], parse: Parser, serverPids: readonly number[]): Promise<Measured> {
  const timeFile = join(tmpdir(), `lvs-harness-time-${process.pid}-${Date.now()}`);
  const timed = existsSync(TIME);
  const serverBefore = serverPids.reduce((s, p) => s + processCpu(p), 0);
  let stdout: string;
  let serverCpu: number;
  let toolCpu: number | null = null;
  try {
    stdout = timed ? await run(TIME, ['-f', '%U %S', '-o', timeFile, command, ...args]) : await run(command, args);
    serverCpu = serverPids.reduce((s, p) => s + processCpu(p), 0) - serverBefore;
    if (timed) {
      const [user = NaN, system = NaN] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()?.split(' ').map(Number) ?? [];
      toolCpu = user + system;
    }
  } finally {
    await rm(timeFile, { force: true });
  }
  return { ...parse(stdout), toolCpu, serverCpu, stdout };
}

const number = (re: RegExp, text: string, what: string): number => {
  const m = re.exec(text);
  if (!m?.[1]) throw new Error(`no "${what}" in the output:\n${text}`);
  return Number(m[1]);
};

/** The sum of the counts a tool prints only when they are not zero (0 when no line matches; `re` is /g). */
const countIfPrinted = (re: RegExp, text: string): number => [...text.matchAll(re)].reduce((sum, m) => sum + Number(m[1] ?? 0), 0);

/**
 * Throws unless every response was a good one, as far as the tool tells. A figure for error pages is no
 * figure: a server that answers 403 (nginx's `nobody` worker and a 0700 folder, once) is cheaper per
 * request than the file.
 */
function allGood(tool: string, failures: Record<string, number>, out: string): void {
  const bad = Object.entries(failures).filter(([, n]) => n > 0);
  if (bad.length) {
    throw new Error(`${tool}: ${bad.map(([what, n]) => `${n} ${what}`).join(', ')}; a figure counts only when every response is a 2xx (for lvs-harness, from a named real server):\n${out}`);
  }
}

/** ab's report, and ours (the same lines). */
export const parseAb: Parser = (out) => {
  allGood('ab report', {
    'failed requests': number(/Failed requests:\s+(\d+)/, out, 'Failed requests'),
    'non-2xx responses': countIfPrinted(/Non-2xx responses:\s+(\d+)/g, out),
  }, out);
  return {
    rps: number(/Requests per second:\s+([\d.]+)/, out, 'Requests per second'),
    requests: number(/Complete requests:\s+(\d+)/, out, 'Complete requests'),
  };
};

/** lvs-harness: ab's report, plus its per-real-server table naming a real server for every response. */
export const parseHarness: Parser = (out) => {
  const parsed = parseAb(out);
  const table = out.indexOf('Per real server');
  allGood('lvs-harness', {
    // The table is left out when no response named its real server.
    'responses, no real server identified': table < 0 ? parsed.requests : countIfPrinted(/^\((?:unidentified|no response)\)\s+(\d+)/gm, out.slice(table)),
  }, out);
  return parsed;
};

/** wrk: its "Non-2xx or 3xx" line counts only statuses from 400 up; the server was checked to answer 200. */
export const parseWrk: Parser = (out) => {
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  allGood('wrk', {
    '4xx or 5xx responses': countIfPrinted(/Non-2xx or 3xx responses:\s+(\d+)/g, out),
    'socket errors': socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  }, out);
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/, out, 'Requests/sec'),
    requests: number(/(\d+) requests in/, out, 'requests in'),
  };
};

/** autocannon --json: total requests over the run's duration (its per-second mean drops the tail). */
export const parseAutocannon: Parser = (out) => {
  const r = JSON.parse(out.slice(out.indexOf('{'))) as {
    requests: { total: number };
    duration: number;
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  allGood('autocannon', { 'non-2xx responses': r.non2xx, errors: r.errors, timeouts: r.timeouts }, out);
  return { rps: r.requests.total / r.duration, requests: r.requests.total };
};
