/**
 * `ipvsadm -L` without -n prints host and service names (getnameinfo, getservbyport). A name cannot be
 * turned back into the address it stood for without asking the resolver the director asked, so it is
 * kept as the address; a service name becomes its port through this host's /etc/services, as ipvsadm
 * itself would read it. Bracketed names are IPv6 endpoints.
 */
import { readFileSync } from 'node:fs';
import type { Endpoint } from '../model.js';
import { endpoint, integer, type Fail } from './lines.js';

let services: Map<string, number> | null = null;

function servicePorts(): Map<string, number> {
  if (services !== null) return services;
  services = new Map();
  let text = '';
  try {
    text = readFileSync('/etc/services', 'utf8');
  } catch {
    // No services file: only numeric ports can be read.
  }
  for (const line of text.split('\n')) {
    const [name, portProto, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\/(tcp|udp|sctp)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    for (const n of [name, ...aliases]) services.set(`${n}/${m[2]}`, Number(m[1]));
  }
  return services;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/;

export function resolveNamedEndpoint(text: string | undefined, protocol: string, fail: Fail): Endpoint & { family: 'inet' | 'inet6' } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):([A-Za-z0-9_.+-]+)$/.exec(text ?? '') ?? fail(`HOST:PORT, not ${text ?? 'nothing'}`);
  const host = m[1] ?? m[2]!;
  if (!HOST.test(host)) fail(`a host name, not ${host}`);
  const portText = m[3]!;
  const port = /^\d+$/.test(portText)
    ? integer(portText, 0, 65535, fail, 'a port')
    : (servicePorts().get(`${portText}/${protocol}`) ?? servicePorts().get(`${portText}/tcp`) ?? fail(`a port number or a service name of /etc/services, not ${portText} (run ipvsadm with -n)`));
  return { address: host, port, family: m[1] !== undefined ? 'inet6' : 'inet' };
}

/** Numeric when it looks numeric (so a bad number is an error about the number), named otherwise. */
export function listedEndpoint(text: string | undefined, protocol: string, fail: Fail): Endpoint & { family: 'inet' | 'inet6' } {
  return /^(?:[\d.]+|\[[0-9A-Fa-f:.]*\])(?::\d*)?$/.test(text ?? '') ? endpoint(text, fail) : resolveNamedEndpoint(text, protocol, fail);
}
