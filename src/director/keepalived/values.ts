/**
 * Reading one statement's values as keepalived reads them (read_unsigned_strvec, read_timer,
 * inet_stosockaddr): a value keepalived would reject (it then ignores the line) is an error here,
 * naming the value and the range keepalived accepts.
 */
import { formatIpv4, parseIpv4 } from '../../net/ipv4.js';
import type { Statement } from './blocks.js';
import { keepalivedError } from './problems.js';
import type { Token } from './tokens.js';

/** The statement's keyword as written, for messages. */
export function named(s: Statement): string {
  return s.keyword.text;
}

/** The arguments, checked to be `min`..`max` many. */
export function argsOf(s: Statement, min: number, max: number, shape: string): Token[] {
  if (s.args.length < min || s.args.length > max) throw keepalivedError(s.args[max] ?? s.keyword, named(s), shape);
  return s.args;
}

export function readInt(t: Token, what: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(t.text) || Number(t.text) < min || Number(t.text) > max) {
    throw keepalivedError(t, what, `a whole number from ${min} to ${max}, not '${t.text}' (keepalived ignores the line)`);
  }
  return Number(t.text);
}

/** keepalived's timers are seconds with up to microseconds. */
export function readSeconds(t: Token, what: string): number {
  if (!/^\d+(\.\d{1,6})?$/.test(t.text)) throw keepalivedError(t, what, `a time in seconds such as 3 or 0.5, not '${t.text}'`);
  return Number(t.text);
}

export function readIpv4(t: Token, what: string): string {
  if (t.text.includes(':')) throw keepalivedError(t, what, 'an IPv4 address (the harness reads IPv4 keepalived configs only)');
  const value = parseIpv4(t.text);
  if (value === null) throw keepalivedError(t, what, `an IPv4 address such as 10.0.0.1, not '${t.text}' (keepalived skips it)`);
  return formatIpv4(value);
}

export function readPort(t: Token | undefined, what: string): number {
  return t === undefined ? 0 : readInt(t, what, 0, 65535);
}

/** keepalived's on/off words for options such as `inhibit_on_failure <BOOL>`; none means on. */
export function readBool(s: Statement): boolean {
  const [t] = argsOf(s, 0, 1, 'at most one value (true/false, on/off, yes/no)');
  if (t === undefined) return true;
  const word = t.text.toLowerCase();
  if (['true', 'on', 'yes'].includes(word)) return true;
  if (['false', 'off', 'no'].includes(word)) return false;
  throw keepalivedError(t, named(s), `true/false, on/off or yes/no, not '${t.text}'`);
}
