/**
 * IPv4 addresses as unsigned 32-bit numbers in host order: the form the kernel hashes and masks and
 * ipvsadm sorts. The one parser of the project.
 */

export function parseIpv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/** For addresses already validated (by the suite schema or the lab config): a bad one is a bug. */
export function ipv4ToInt(address: string): number {
  const value = parseIpv4(address);
  if (value === null) throw new TypeError(`not an IPv4 address: ${address}`);
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function maskAddress(address: string, netmask: string): string {
  return formatIpv4((ipv4ToInt(address) & ipv4ToInt(netmask)) >>> 0);
}

export function isLoopback(address: string): boolean {
  const a = parseIpv4(address);
  return a !== null && a >>> 24 === 127;
}
