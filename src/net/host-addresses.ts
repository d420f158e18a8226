/**
 * Whether this host owns the source addresses a run binds: a real client host must have each one on
 * an interface, or every connection from it fails with EADDRNOTAVAIL. On Linux all of 127/8 is
 * local (the `lo` route), whatever `lo` lists.
 */
import os from 'node:os';
import { parseIpv4 } from './ipv4.js';

type Interfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

function ipv4Of(interfaces: Interfaces): Array<{ device: string; info: os.NetworkInterfaceInfo }> {
  return Object.entries(interfaces).flatMap(([device, infos]) => (infos ?? []).filter((i) => i.family === 'IPv4').map((info) => ({ device, info })));
}

function inSubnet(address: string, info: os.NetworkInterfaceInfo): boolean {
  const a = parseIpv4(address);
  const net = parseIpv4(info.address);
  const mask = parseIpv4(info.netmask);
  return a !== null && net !== null && mask !== null && ((a & mask) >>> 0) === ((net & mask) >>> 0);
}

/** The addresses of `sources` this host does not own. */
export function missingAddresses(sources: readonly string[], interfaces: Interfaces = os.networkInterfaces(), platform = process.platform): string[] {
  const owned = new Set(ipv4Of(interfaces).map((i) => i.info.address));
  const loopbackIsLocal = platform === 'linux';
  return sources.filter((a) => !owned.has(a) && !(loopbackIsLocal && parseIpv4(a)! >>> 24 === 127));
}

/**
 * The `ip addr add` lines that give this host the missing addresses: each on the interface whose
 * subnet holds it (with that prefix), else on the first interface that is not loopback, as /32.
 */
export function addAddressCommands(missing: readonly string[], interfaces: Interfaces = os.networkInterfaces()): string[] {
  const all = ipv4Of(interfaces);
  const fallback = all.find((i) => !i.info.internal)?.device ?? 'lo';
  const byDevice = new Map<string, string[]>();
  for (const address of missing) {
    const home = all.find((i) => !i.info.internal && inSubnet(address, i.info));
    const key = home ? `${home.device} ${home.info.cidr?.split('/')[1] ?? '32'}` : `${fallback} 32`;
    byDevice.set(key, [...(byDevice.get(key) ?? []), address]);
  }
  return [...byDevice].map(([key, addresses]) => {
    const [device, prefix] = key.split(' ');
    return addresses.length === 1
      ? `ip addr add ${addresses[0]}/${prefix} dev ${device}`
      : `for a in ${addresses.join(' ')}; do ip addr add $a/${prefix} dev ${device}; done`;
  });
}
