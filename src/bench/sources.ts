/**
 * `--sources`: the local addresses new connections bind to, round-robin. IPVS schedules per connection
 * and persistence keys on the client address, so many sources are what makes a distribution test real.
 * Accepts `A`, `A-B` (IPv4 range), `A/len` (IPv4 CIDR; network and broadcast are skipped for len < 31)
 * and comma-separated lists of those. Returns null on a malformed value (the CLI turns that into a
 * bad-argument error).
 */
import { isIP } from 'node:net';

/** Refuse ranges that would allocate an absurd list. */
export const MAX_SOURCES = 65536;

function v4ToInt(a: string): number | null {
  if (isIP(a) !== 4) return null;
  return a.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseSources(spec: string): string[] | null {
  const out: string[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (!item) return null;
    if (item.includes('/')) {
      const [base = '', lenText = ''] = item.split('/');
      const len = Number(lenText);
      const start = v4ToInt(base);
      if (start === null || !/^\d+$/.test(lenText) || len < 16 || len > 32) return null;
      const size = 2 ** (32 - len);
      const network = start - (start % size);
      const first = len < 31 ? network + 1 : network;
      const last = len < 31 ? network + size - 2 : network + size - 1;
      for (let n = first; n <= last; n++) out.push(intToV4(n));
    } else if (item.includes('-') && isIP(item) === 0) {
      const [a = '', b = ''] = item.split('-');
      const lo = v4ToInt(a.trim());
      const hi = v4ToInt(b.trim());
      if (lo === null || hi === null || hi < lo || hi - lo >= MAX_SOURCES) return null;
      for (let n = lo; n <= hi; n++) out.push(intToV4(n));
    } else if (isIP(item) !== 0) {
      out.push(item);
    } else {
      return null;
    }
    if (out.length > MAX_SOURCES) return null;
  }
  return out.length > 0 ? out : null;
}
