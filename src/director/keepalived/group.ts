/**
 * A `virtual_server_group NAME { ... }` block: entries `IP [PORT]`, `IP-LAST [PORT]` (the last
 * octet's range, both ends included: 10.0.0.1-10), `IP-IP [PORT]`, `IP/LEN [PORT]` and `fwmark N`,
 * each address range expanded to one service per address, as keepalived programs them.
 */
import { formatIpv4, parseIpv4 } from '../../net/ipv4.js';
import type { Statement } from './blocks.js';
import type { KeepalivedEndpoint } from './model.js';
import { keepalivedError, type KeepalivedWarning } from './problems.js';
import type { Token } from './tokens.js';
import { argsOf, named, readInt, readIpv4, readPort } from './values.js';

/** A bound on what one entry may expand to: a /20 is already 4096 IPVS services. */
const MAX_RANGE = 4096;

function addressRange(t: Token): number[] {
  const [base, tail] = t.text.includes('/') ? t.text.split('/') : t.text.split('-');
  const first = parseIpv4(readIpv4({ ...t, text: base! }, 'virtual_server_group'))!;
  let last = first;
  if (t.text.includes('/')) {
    const len = readInt({ ...t, text: tail! }, 'prefix length', 0, 32);
    const size = 2 ** (32 - len);
    last = Math.floor(first / size) * size + size - 1;
    if (first % size !== 0) throw keepalivedError(t, 'virtual_server_group', `a network address for /${len}, not ${base}`);
  } else if (tail !== undefined) {
    last = tail.includes('.') ? parseIpv4(readIpv4({ ...t, text: tail }, 'range end'))! : first - (first % 256) + readInt({ ...t, text: tail }, 'range end', 0, 255);
  }
  if (last < first) throw keepalivedError(t, 'virtual_server_group', `a range whose end is not below its start (${t.text})`);
  if (last - first + 1 > MAX_RANGE) throw keepalivedError(t, 'virtual_server_group', `at most ${MAX_RANGE} addresses in one entry`);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

export function readGroup(s: Statement, warnings: KeepalivedWarning[]): { name: string; endpoints: KeepalivedEndpoint[] } {
  const [nameToken] = argsOf(s, 1, 1, 'a group name: virtual_server_group NAME { ... }');
  const endpoints: KeepalivedEndpoint[] = [];
  for (const e of s.block ?? []) {
    if (named(e) === 'fwmark') {
      const [mark] = argsOf(e, 1, 2, 'a mark and an optional inet|inet6');
      endpoints.push({ fwmark: readInt(mark!, 'fwmark', 1, 0xffffffff) });
      continue;
    }
    const [port] = argsOf(e, 0, 1, 'an address or range and an optional port');
    const p = readPort(port, 'virtual_server_group port');
    for (const a of addressRange(e.keyword)) endpoints.push({ address: formatIpv4(a), port: p });
  }
  if (endpoints.length === 0) warnings.push({ at: s.keyword, message: `virtual server group ${nameToken!.text} has no entries - removing` });
  return { name: nameToken!.text, endpoints };
}
