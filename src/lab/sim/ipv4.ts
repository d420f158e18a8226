/**
 * IPv4 addresses as unsigned 32-bit numbers in host order, the form the kernel hashes, masks and
 * ipvsadm compares. The lab is IPv4-only (loopback), so no IPv6 here.
 */

export function ipv4ToInt(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4) throw new TypeError(`not an IPv4 address: ${address}`);
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new TypeError(`not an IPv4 address: ${address}`);
    value = value * 256 + octet;
  }
  return value;
}

export function intToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function maskAddress(address: string, netmask: string): string {
  return intToIpv4((ipv4ToInt(address) & ipv4ToInt(netmask)) >>> 0);
}
