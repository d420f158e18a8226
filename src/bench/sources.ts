/**
 * `--sources`: the local addresses new connections bind to, round-robin. IPVS schedules per connection
 * and persistence keys on the client address, so many sources are what makes a distribution test real.
 * Comma-separated pools in the suite's syntax; null on a malformed value (the CLI turns that into a
 * bad-argument error).
 */
import { expandSources } from '../net/address-pool.js';

export function parseSources(spec: string): string[] | null {
  const r = expandSources(spec.split(',').map((s) => s.trim()));
  return typeof r === 'string' || r.length === 0 ? null : r;
}
