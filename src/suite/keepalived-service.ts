/**
 * A suite's `service` taken from a keepalived.conf:
 *
 *   service: { keepalived: ./lb.conf, virtualServer: "127.0.0.100 80", names: { 127.0.1.1: web1 } }
 *
 * The file is read relative to the suite; `virtualServer` (`IP PORT`, `fwmark N` or `group NAME`)
 * is needed only when the file has more than one; `names` gives the real servers the names they
 * answer with (keepalived has none; the default `rs-127-0-1-1` is one an identify regex cannot cut);
 * a fwmark virtual server needs the `ports` its mark covers, and `timeouts` is `ipvsadm --set` as in
 * an inline service, since keepalived sets neither. The result is the inline service it stands for,
 * so everything after the loader reads one shape; the parsed virtual server is kept for the kernel
 * lab, which hands it to a real keepalived.
 */
import path from 'node:path';
import { z } from 'zod';
import { formatProblem, isHarnessError, type SourceLocation } from '../core/errors.js';
import type { KeepalivedVirtualServer } from '../director/keepalived/model.js';
import { parseKeepalivedFile } from '../director/keepalived/parse-keepalived.js';
import { formatWarning } from '../director/keepalived/problems.js';
import { defaultRealServerName, servicesOf } from '../director/keepalived/to-director-config.js';
import { ipv4, shortName } from './fields.js';
import { portRange, timeouts } from './schema.js';

export const keepalivedService = z.strictObject({
  keepalived: z.string().min(1),
  virtualServer: z.string().min(1).optional(),
  names: z.record(ipv4, shortName).optional(),
  ports: z.array(portRange).min(1).optional(),
  timeouts: timeouts.optional(),
});

type KeepalivedServiceRef = z.output<typeof keepalivedService>;

/** What the suite keeps of its keepalived.conf. */
export interface KeepalivedSource {
  file: string;
  virtualServer: KeepalivedVirtualServer;
  /** Real server address -> the name the suite gives it. */
  names: Record<string, string>;
}

/** A problem in suite terms: the suite field it belongs to and what was expected there. */
export interface RefProblem {
  field: 'keepalived' | 'virtualServer' | 'ports' | 'vip';
  expected: string;
}

export type Resolved = { service: Record<string, unknown>; source: KeepalivedSource; warnings: string[] } | { problem: RefProblem };

function at(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}`;
}

function pick(all: readonly KeepalivedVirtualServer[], ref: KeepalivedServiceRef, vip: unknown): KeepalivedVirtualServer | RefProblem {
  const names = all.map((vs) => `"${vs.name}"`).join(', ');
  if (ref.virtualServer !== undefined) {
    const wanted = ref.virtualServer.trim().split(/\s+/).join(' ');
    return all.find((vs) => vs.name === wanted) ?? { field: 'virtualServer', expected: `one of the file's virtual servers: ${names || 'it has none'}` };
  }
  if (all.length === 1) return all[0]!;
  const onVip = all.filter((vs) => vs.endpoints.some((e) => 'address' in e && e.address === vip));
  if (onVip.length === 1) return onVip[0]!;
  return { field: 'virtualServer', expected: all.length === 0 ? 'a keepalived.conf with a virtual_server' : `a virtualServer naming one of ${names}` };
}

function shapeOf(vs: KeepalivedVirtualServer, ref: KeepalivedServiceRef): { shape: Record<string, unknown> } | { problem: RefProblem } {
  const marks = vs.endpoints.flatMap((e) => ('fwmark' in e ? [e.fwmark] : []));
  const ports = vs.endpoints.flatMap((e) => ('port' in e ? [e.port] : []));
  if (marks.length === 1 && ports.length === 0) {
    if (!ref.ports) return { problem: { field: 'ports', expected: `the ports fwmark ${marks[0]} covers (keepalived does not mark packets), e.g. [21, "10001-10100"]` } };
    return { shape: { kind: 'fwmark', fwmark: marks[0], ports: ref.ports } };
  }
  if (marks.length === 0 && ports.length === 1 && ports[0] === 0) return { shape: { kind: 'pcc', port: 0 } };
  if (marks.length === 0 && ports.every((p) => p > 0)) return { shape: { kind: 'ppc', ports: [...new Set(ports)] } };
  return {
    problem: { field: 'virtualServer', expected: `a virtual server the suite can state as one service (${vs.name} at ${at(vs.at)} mixes marks, port 0 and ports)` },
  };
}

export async function resolveKeepalivedService(ref: KeepalivedServiceRef, suiteFile: string, vip: unknown, configId?: string): Promise<Resolved> {
  const file = path.resolve(path.dirname(suiteFile), ref.keepalived);
  try {
    const config = await parseKeepalivedFile(file, configId === undefined ? {} : { configId });
    const vs = pick(config.virtualServers, ref, vip);
    if ('field' in vs) return { problem: vs };
    const addresses = [...new Set(vs.endpoints.flatMap((e) => ('address' in e ? [e.address] : [])))];
    if (addresses.some((a) => a !== vip)) {
      return { problem: { field: 'vip', expected: `the address of virtual_server ${vs.name} (${addresses.join(', ')}, ${at(vs.at)})` } };
    }
    if (vs.protocol !== 'TCP' && addresses.length > 0) {
      return {
        problem: {
          field: 'keepalived',
          expected: `a TCP virtual server: ${vs.name} at ${at(vs.at)} is ${vs.protocol}${vs.protocol === 'UDP' ? " (keepalived's default without `protocol TCP`)" : ''}`,
        },
      };
    }
    const shaped = shapeOf(vs, ref);
    if ('problem' in shaped) return shaped;
    const names = ref.names ?? {};
    const [service] = servicesOf(vs, (a) => names[a] ?? defaultRealServerName(a));
    return {
      service: {
        ...shaped.shape,
        protocol: 'tcp',
        scheduler: service!.scheduler,
        persistence: service!.persistence,
        forward: service!.forward,
        ...(ref.timeouts ? { timeouts: ref.timeouts } : {}),
        realServers: service!.realServers,
      },
      source: { file, virtualServer: vs, names },
      warnings: config.warnings.map(formatWarning),
    };
  } catch (e) {
    const p = isHarnessError(e) ? e.problems[0] : undefined;
    if (!p) throw e;
    return { problem: { field: 'keepalived', expected: `a keepalived.conf the harness reads as keepalived does and the labs can run: ${formatProblem(p)}` } };
  }
}
