/**
 * A real server's health checker block (HTTP_GET, SSL_GET, TCP_CHECK, MISC_CHECK, ...): what decides
 * whether keepalived puts the server in the table is kept (where it connects, which URLs and status
 * codes, how often and how patiently); the rest is read for shape only. Timing options a checker
 * does not set come from its real server, then its virtual server, as keepalived.conf(5) says.
 */
import type { Statement } from './blocks.js';
import type { KeepalivedChecker, KeepalivedUrl } from './model.js';
import { keepalivedError, type KeepalivedWarning } from './problems.js';
import { argsOf, named, readInt, readIpv4, readPort, readSeconds } from './values.js';

export const CHECKERS = ['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'MISC_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'UDP_CHECK', 'PING_CHECK', 'FILE_CHECK', 'BFD_CHECK'];

/** Options every checker knows (keepalived.conf(5), "All checkers have the following options"). */
const GENERIC = ['bind_if', 'fwmark', 'alpha', 'warmup', 'log_all_failures'];
const SPECIFIC: Record<string, string[]> = {
  HTTP_GET: ['http_protocol', 'fast_recovery', 'virtualhost', 'url'],
  SSL_GET: ['http_protocol', 'fast_recovery', 'virtualhost', 'url', 'enable_sni'],
  MISC_CHECK: ['misc_timeout', 'misc_dynamic', 'user'],
  SMTP_CHECK: ['helo_name', 'host'],
  DNS_CHECK: ['type', 'name'],
  UDP_CHECK: ['payload', 'require_reply', 'min_reply_length', 'max_reply_length'],
  FILE_CHECK: ['track_file', 'weight'],
  BFD_CHECK: ['name', 'weight'],
};
const URL_OPTIONS = ['virtualhost', 'regex', 'regex_no_match', 'regex_options', 'regex_stack', 'regex_min_offset', 'regex_max_offset'];

/** Timing a checker inherits. */
export interface CheckerDefaults {
  connectTimeout?: number;
  delayLoop?: number;
  retry?: number;
  delayBeforeRetry?: number;
}

const TIMING = ['connect_timeout', 'delay_loop', 'retry', 'nb_get_retry', 'delay_before_retry'];

/** Reads `s` into `into` when it is a timing option; false when it is not one. */
export function readTiming(s: Statement, into: CheckerDefaults): boolean {
  if (!TIMING.includes(named(s))) return false;
  const [v] = argsOf(s, 1, 1, 'one value');
  switch (named(s)) {
    case 'connect_timeout':
      into.connectTimeout = readSeconds(v!, 'connect_timeout');
      return true;
    case 'delay_loop':
      into.delayLoop = readSeconds(v!, 'delay_loop');
      return true;
    case 'retry':
    case 'nb_get_retry':
      into.retry = readInt(v!, named(s), 0, 0xffffffff);
      return true;
    case 'delay_before_retry':
      into.delayBeforeRetry = readSeconds(v!, 'delay_before_retry');
      return true;
    default:
      return false;
  }
}

export function readChecker(s: Statement, inherited: CheckerDefaults, warnings: KeepalivedWarning[]): KeepalivedChecker {
  const type = named(s);
  const own: CheckerDefaults = {};
  const checker: KeepalivedChecker = { type, at: s.keyword, urls: [] };
  for (const o of s.block ?? []) {
    const key = named(o);
    if (readTiming(o, own)) continue;
    if (key === 'connect_ip' || key === 'bindto') {
      const address = readIpv4(argsOf(o, 1, 1, 'one address')[0]!, key);
      if (key === 'connect_ip') checker.connectIp = address;
    } else if (key === 'connect_port' || key === 'bind_port') {
      const p = readPort(argsOf(o, 1, 1, 'one port')[0], key);
      if (key === 'connect_port') checker.connectPort = p;
    } else if (key === 'misc_path' && type === 'MISC_CHECK') checker.miscPath = o.args.map((a) => a.text).join(' ');
    else if (key === 'url' && (type === 'HTTP_GET' || type === 'SSL_GET')) checker.urls.push(readUrl(o, warnings));
    else if (!GENERIC.includes(key) && !(SPECIFIC[type] ?? []).includes(key)) warnings.push({ at: o.keyword, message: `Unknown keyword '${key}'` });
  }
  return { ...checker, ...withoutUndefined({ ...inherited, ...withoutUndefined(own) }) };
}

function readUrl(s: Statement, warnings: KeepalivedWarning[]): KeepalivedUrl {
  const url: KeepalivedUrl = { path: '/' };
  let hasPath = false;
  for (const o of s.block ?? []) {
    const key = named(o);
    if (key === 'path') {
      url.path = argsOf(o, 1, 1, 'one path such as /health')[0]!.text;
      hasPath = true;
    } else if (key === 'status_code') {
      url.statusCodes = argsOf(o, 1, 100, 'status codes or ranges such as 200 or 200-299').map((t) => {
        const [from, to = from] = t.text.split('-');
        readInt({ ...t, text: from! }, 'status_code', 100, 999);
        readInt({ ...t, text: to! }, 'status_code', Number(from), 999);
        return t.text;
      });
    } else if (key === 'digest') url.digest = argsOf(o, 1, 1, 'one MD5 digest')[0]!.text;
    else if (!URL_OPTIONS.includes(key)) warnings.push({ at: o.keyword, message: `Unknown keyword '${key}'` });
  }
  if (!hasPath) throw keepalivedError(s.keyword, 'url', 'a path inside it (path /health)');
  return url;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
