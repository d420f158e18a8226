/**
 * ApacheBench 2.4's results block (`output_results()` in apache/httpd 2.4.x support/ab.c), line for line,
 * from a BenchResult. Pure: no I/O, no clock. The text starts at "Server Software:"; ab's preceding
 * "Benchmarking … (be patient)" and the two blank lines are progress output and stay on stderr here.
 */
import type { AbRow, BenchResult } from './types.js';
import { roundMs } from './ab-stats.js';
import { cFixed, cInt } from './c-format.js';

export interface AbReportOptions {
  /** ab -S turns this off: the short min/avg/max table without sd, median or warnings. */
  confidence?: boolean;
  /** ab -d turns this off: no "Percentage of the requests served" table. */
  percentiles?: boolean;
}

/** Formats ab's report. `result.ab` carries the exact table numbers (see ab-stats.ts). */
export function formatAbReport(result: BenchResult, opts: AbReportOptions = {}): string {
  const confidence = opts.confidence ?? true;
  const showPercentiles = opts.percentiles ?? true;
  const c = result.counts;
  const b = result.bytes;
  const out: string[] = [];
  const line = (label: string, value: string): void => {
    out.push(`${label.padEnd(24, ' ')}${value}`);
  };

  line('Server Software:', result.serverSoftware);
  line('Server Hostname:', result.hostname);
  line('Server Port:', String(result.port & 0xffff));
  out.push('');
  line('Document Path:', result.path);
  line('Document Length:', result.variableLength ? 'Variable' : `${result.documentLength} bytes`);
  out.push('');
  line('Concurrency Level:', String(result.concurrency));
  line('Time taken for tests:', `${cFixed(result.timeTakenSec, 3)} seconds`);
  line('Complete requests:', String(c.done));
  line('Failed requests:', String(c.bad));
  if (c.bad) {
    out.push(`   (Connect: ${c.errConnect}, Receive: ${c.errReceive}, Length: ${c.errLength}, Exceptions: ${c.errExcept})`);
  }
  if (c.epipe) line('Write errors:', String(c.epipe));
  if (c.errResponse) line('Non-2xx responses:', String(c.errResponse));
  if (result.keepAlive) line('Keep-Alive requests:', String(c.doneKeepAlive));
  line('Total transferred:', `${b.totalRead} bytes`);
  if (result.sendBody) line('Total body sent:', String(b.totalPosted));
  line('HTML transferred:', `${b.htmlRead} bytes`);

  const t = result.timeTakenSec;
  if (t && c.done) {
    line('Requests per second:', `${cFixed(c.done / t, 2)} [#/sec] (mean)`);
    line('Time per request:', `${cFixed((result.concurrency * t * 1000) / c.done, 3)} [ms] (mean)`);
    line('Time per request:', `${cFixed((t * 1000) / c.done, 3)} [ms] (mean, across all concurrent requests)`);
    line('Transfer rate:', `${cFixed(b.totalRead / 1024 / t, 2)} [Kbytes/sec] received`);
    if (result.sendBody) {
      line('', `${cFixed(b.totalPosted / 1024 / t, 2)} kb/s sent`);
      line('', `${cFixed((b.totalRead + b.totalPosted) / 1024 / t, 2)} kb/s total`);
    }
  }

  const ab = result.ab;
  if (c.done > 0 && ab) {
    out.push('', 'Connection Times (ms)');
    const rows: Array<[string, AbRow, string]> = [
      ['Connect:    ', ab.connect, 'the initial connection time'],
      ['Processing: ', ab.processing, 'the processing time'],
      ['Waiting:    ', ab.waiting, 'the waiting time'],
      ['Total:      ', ab.total, 'the total time'],
    ];
    if (confidence) {
      out.push('              min  mean[+/-sd] median   max');
      for (const [label, r] of rows) out.push(label + confidenceRow(r));
      for (const [, r, what] of rows) out.push(...saneWarning(what, r));
    } else {
      out.push('              min   avg   max');
      // "%5ld %5ld%5ld": ab's missing space before max is reproduced.
      for (const [label, r] of rows) {
        out.push(`${label}${cInt(roundMs(r.min), 5)} ${cInt(roundMs(r.mean), 5)}${cInt(roundMs(r.max), 5)}`);
      }
    }
    if (showPercentiles && c.done > 1 && ab.percentiles.length > 0) {
      out.push('', 'Percentage of the requests served within a certain time (ms)');
      for (const { percent, us } of ab.percentiles) {
        if (percent >= 100) out.push(` 100%  ${cInt(roundMs(us), 5)} (longest request)`);
        else out.push(`  ${percent}%  ${cInt(roundMs(us), 5)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** `"%5ld %4ld %5.1f %6ld %7ld"` over one row. */
function confidenceRow(r: AbRow): string {
  return `${cInt(roundMs(r.min), 5)} ${cInt(roundMs(r.mean), 4)} ${cFixed(r.sd / 1000, 1, 5)} ${cInt(roundMs(r.median), 6)} ${cInt(roundMs(r.max), 7)}`;
}

/** ab's SANE macro: compares the rounded mean and median (ms) with the sd (ms). */
export function saneWarning(what: string, r: AbRow): string[] {
  const sd = r.sd / 1000;
  const d = Math.abs(roundMs(r.mean) - roundMs(r.median));
  if (d > 2 * sd) {
    return [
      `ERROR: The median and mean for ${what} are more than twice the standard`,
      '       deviation apart. These results are NOT reliable.',
    ];
  }
  if (d > sd) {
    return [
      `WARNING: The median and mean for ${what} are not within a normal deviation`,
      '        These results are probably not that reliable.',
    ];
  }
  return [];
}
