/**
 * IPv4 addresses as unsigned 32-bit numbers in host order: the form the kernel hashes and masks and
 * ipvsadm sorts. The one parser of the project.
 */

/** Dotted quad, 1-3 digits per octet, each at most 255, surrounding blanks ignored. */
export function parseIpv4(text: string): number | null {
  // By hand, not a regex: the checks and the lab mask every connection's client address.
  const s = text.trim();
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return null;
      octet = octet * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && octet <= 255 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return null;
  }
  return dots === 3 && digits > 0 && octet <= 255 ? value * 256 + octet : null;
}

/** For addresses already validated (by the suite schema or the lab config): a bad one is a bug. */
export function ipv4ToInt(address: string): number {
  const value = parseIpv4(address);
  if (value === null) throw new TypeError(`not an IPv4 address: ${address}`);
  return value;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * The address's group under `netmask`, in canonical form. When the mask keeps a canonical address
 * whole (a /32 netmask), the same string comes back rather than a new one: the checks key per-client
 * Maps on it for every connection, and a string seen before keeps its hash and compares by identity.
 */
export function maskAddress(address: string, netmask: string): string {
  const value = ipv4ToInt(address);
  const masked = (value & ipv4ToInt(netmask)) >>> 0;
  return masked === value && address.length === dottedLength(value) ? address : formatIpv4(masked);
}

/** The length of formatIpv4(value): a parsed address of that length has no blanks and no leading zeros. */
function dottedLength(value: number): number {
  let n = 3;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const octet = (value >>> shift) & 255;
    n += octet >= 100 ? 3 : octet >= 10 ? 2 : 1;
  }
  return n;
}

export function isLoopback(address: string): boolean {
  const a = parseIpv4(address);
  return a !== null && a >>> 24 === 127;
}
