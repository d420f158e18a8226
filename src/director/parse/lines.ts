/**
 * What every director parser shares: walking a text line by line with a `fail` that names the file,
 * the line and what was expected (a HarnessError, exit 11), and the numbers and addresses the
 * kernel and ipvsadm print, read strictly (an octet over 255 or a port over 65535 is an error here,
 * not a crash later).
 */
import { isIPv6 } from 'node:net';
import { createDirectorConfigError } from '../../core/errors.js';
import type { Endpoint } from '../model.js';

export type Fail = (expected: string) => never;

/** Calls `each` for every line but blank ones, with a `fail` bound to that line. */
export function eachLine(text: string, file: string, source: string, each: (line: string, fail: Fail, index: number) => void): void {
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    each(line, (expected) => {
      throw createDirectorConfigError(file, index + 1, line, expected, source);
    }, index);
  });
}

export function integer(text: string | undefined, min: number, max: number, fail: Fail, what = 'an integer'): number {
  const n = text !== undefined && /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  return n >= min && n <= max ? n : fail(`${what} from ${min} to ${max}, not ${text ?? 'nothing'}`);
}

/** Upper-case hex as the kernel's seq_show prints it (%X, %08X, %LX). */
export function hex(text: string | undefined, max: number, fail: Fail, what = 'a hex number'): number {
  const n = text !== undefined && /^[0-9A-Fa-f]{1,16}$/.test(text) ? parseInt(text, 16) : NaN;
  return n <= max ? n : fail(`${what} up to ${max.toString(16).toUpperCase()}, not ${text ?? 'nothing'}`);
}

const SUFFIX: Readonly<Record<string, bigint>> = { '': 1n, K: 1000n, M: 1_000_000n, G: 1_000_000_000n, T: 1_000_000_000_000n };
const U64_MAX = 18_446_744_073_709_551_615n;

/**
 * A kernel u64 counter as the model holds it: a number, exact up to 2^53 and rounded to the nearest
 * double above (bytes pass 2^53 after 9 PB); what compares counters exactly refuses a rounded one
 * (src/director/counter-reconcile.ts).
 */
function u64(value: bigint | null, fail: Fail, shape: string, text: string | undefined): number {
  if (value === null) return fail(`${shape}, not ${text ?? 'nothing'}`);
  return value <= U64_MAX ? Number(value) : fail(`a counter up to 18446744073709551615 (u64), not ${text}`);
}

/** ipvsadm's print_largenum: exact with --exact, else cut to K/M/G/T above 1e8 (rounded down). */
export function largeNumber(text: string | undefined, fail: Fail): number {
  const m = /^(\d{1,20})([KMGT]?)$/.exec(text ?? '');
  return u64(m ? BigInt(m[1]!) * SUFFIX[m[2]!]! : null, fail, 'a counter (digits, optionally followed by K, M, G or T)', text);
}

/** /proc/net/ip_vs_stats's `%8LX`/`%16LX` u64 counters. */
export function hexCounter(text: string | undefined, fail: Fail): number {
  const ok = text !== undefined && /^[0-9A-Fa-f]{1,16}$/.test(text);
  return u64(ok ? BigInt(`0x${text}`) : null, fail, 'a hex counter of up to 16 digits', text);
}

export function ipv4(text: string, fail: Fail): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) fail(`an IPv4 address with four octets from 0 to 255, not ${text}`);
  return m!.slice(1).map(Number).join('.');
}

/** The compressed form inet_ntop prints (`fd00::6`), whatever form the text had. */
export function ipv6(text: string, fail: Fail): string {
  if (!isIPv6(text) || text.includes('%')) fail(`an IPv6 address, not ${text}`);
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** `a.b.c.d:port` or `[v6]:port`, as ipvsadm prints and takes them. */
export function endpoint(text: string | undefined, fail: Fail): Endpoint & { family: 'inet' | 'inet6' } {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::(\d+))?$/.exec(text ?? '') ?? fail(`ADDRESS:PORT or [IPv6]:PORT, not ${text ?? 'nothing'}`);
  const port = m[3] === undefined ? 0 : integer(m[3], 0, 65535, fail, 'a port');
  return m[1] !== undefined ? { address: ipv6(m[1], fail), port, family: 'inet6' } : { address: ipv4(m[2]!, fail), port, family: 'inet' };
}

/** /proc's `%08X` IPv4 address (host order) or `%pI6` full-form IPv6 address. */
export function procAddress(text: string | undefined, fail: Fail): string {
  if (text !== undefined && /^[0-9A-Fa-f]{8}$/.test(text)) {
    const n = parseInt(text, 16);
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }
  return text !== undefined && text.includes(':') ? ipv6(text, fail) : fail(`an address as /proc prints it (8 hex digits, or a full IPv6 address), not ${text ?? 'nothing'}`);
}

/** The connection table's size of a version line (`IP Virtual Server version 1.2.1 (size=4096)`), as a reading part. */
export function tableSizeOf(text: string): { tableSize?: number } {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const m = /^IP Virtual Server version \d+\.\d+\.\d+ \(size=(\d{1,10})\)\r?$/.exec(first);
  return m && Number(m[1]) <= 0xffffffff ? { tableSize: Number(m[1]) } : {};
}

/** Splits on runs of blanks, as sscanf's %s does. */
export function fields(line: string): string[] {
  return line.trim().split(/\s+/);
}
