/**
 * The suite file's schema. One YAML file describes one scenario: the VIP, the LVS service it is
 * expected to be, how to probe it, which source addresses stand for users, the traffic, and the
 * checks. Validation happens before any traffic; messages say what was expected.
 */
import { z } from 'zod';
import { FORWARDS, SCHEDULERS } from '../model/ipvs.js';
import { expandSource, expandSources } from '../net/address-pool.js';
import { ipv4, port, portRangeText, shortName } from './fields.js';
import { ftpProbe, ftpRangeConflicts } from './probes/ftp.js';
import { httpProbe } from './probes/http.js';
import { telnetProbe } from './probes/telnet.js';
import { change } from './changes.js';
import { session } from './sessions.js';
import { continuousFields } from './traffic-modes.js';
import { windowProblems } from './window-rules.js';

export const portRange = z.union([port, portRangeText]);

const realServer = z.strictObject({
  name: shortName,
  address: ipv4,
  weight: z.int().min(0).max(65535).default(1),
});

const persistence = z.strictObject({
  timeout: z.int().min(1).max(86400 * 31),
  netmask: ipv4.default('255.255.255.255'),
});

/** `ipvsadm --set tcp tcpfin udp`: how long the director keeps connection entries. */
export const timeouts = z
  .strictObject({
    tcp: z.int().min(1).max(86400 * 31).default(900),
    tcpfin: z.int().min(1).max(86400 * 31).default(120),
    udp: z.int().min(1).max(86400 * 31).default(300),
  })
  .default({ tcp: 900, tcpfin: 120, udp: 300 });

const service = z
  .strictObject({
    kind: z.enum(['pcc', 'ppc', 'fwmark']),
    protocol: z.enum(['tcp']).default('tcp'),
    port: z.int().min(0).max(65535).optional(),
    ports: z.array(portRange).min(1).optional(),
    fwmark: z.int().min(1).max(0xffffffff).optional(),
    scheduler: z.enum(SCHEDULERS).default('wlc'),
    persistence: persistence.nullable().default(null),
    forward: z.enum(FORWARDS).default('route'),
    timeouts,
    realServers: z.array(realServer).min(1),
  })
  .superRefine((s, ctx) => {
    const need = (path: string, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (s.kind === 'pcc') {
      if (s.port !== 0) need('port', '0 for a PCC (all ports) service');
      if (!s.persistence) need('persistence', 'a persistence timeout: IPVS refuses a non-persistent port-0 service');
      if (s.ports) need('ports', 'no ports list for a PCC service (port 0 covers every port)');
    }
    if (s.kind === 'ppc') {
      if (!s.ports) need('ports', 'the list of service ports, e.g. [8080, 2323]; each is its own IPVS service');
      if (s.ports?.some((p) => typeof p !== 'number')) need('ports', 'single ports for a PPC service (ranges only for fwmark)');
      if (s.port !== undefined) need('port', 'no port for a PPC service: list them under ports');
    }
    if (s.kind === 'fwmark') {
      if (s.fwmark === undefined) need('fwmark', 'the firewall mark number (1 or more)');
      if (!s.ports) need('ports', 'the ports and ranges the mark covers, e.g. [2121, "10001-10100"]');
    }
    if (s.kind !== 'fwmark' && s.fwmark !== undefined) need('fwmark', 'no fwmark unless kind is fwmark');
    const seen = new Set<string>();
    s.realServers.forEach((rs, i) => {
      for (const key of [`name:${rs.name}`, `address:${rs.address}`]) {
        if (seen.has(key)) {
          ctx.addIssue({ code: 'custom', path: ['realServers', i], message: `a real server ${key.split(':')[0]} not used twice` });
        }
        seen.add(key);
      }
    });
  });

/** One schema per protocol, told apart by `type`. */
const probe = z.discriminatedUnion('type', [httpProbe, telnetProbe, ftpProbe]);

const sources = z.union([z.string(), z.array(z.string()).min(1)]).superRefine((v, ctx) => {
  const list = typeof v === 'string' ? [v] : v;
  let itemsValid = true;
  list.forEach((item, i) => {
    const r = expandSource(item);
    if (typeof r === 'string') {
      itemsValid = false;
      ctx.addIssue({ code: 'custom', path: typeof v === 'string' ? [] : [i], message: r });
    }
  });
  const all = expandSources(list);
  if (itemsValid && typeof all === 'string') ctx.addIssue({ code: 'custom', path: [], message: all });
});

const traffic = z.strictObject({
  rounds: z.int().min(1).max(100).default(1),
  connections: z.int().min(1).max(1000).default(1),
  concurrency: z.int().min(1).max(1024).default(8),
  order: z.enum(['shuffled', 'sequential']).default('shuffled'),
  seed: z.int().default(1),
  pauseSeconds: z.number().min(0).max(3600).default(0),
  maxSeconds: z.number().positive().max(86400).default(300),
  ...continuousFields,
});

const bench = z.strictObject({
  probe: z.string(),
  requests: z.int().min(1).max(10_000_000).default(1000),
  concurrency: z.int().min(1).max(20000).default(10),
  keepAlive: z.boolean().default(false),
});

/** A check entry: `pcc` or `{ weights: { significance: 0.01 } }`; options are checked by the plugin's own schema. */
const check = z.union([z.string(), z.record(z.string(), z.unknown())]);

export const suiteSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    vip: ipv4,
    service,
    probes: z.array(probe).min(1),
    clients: z.strictObject({ sources }),
    traffic: traffic.default(traffic.parse({})),
    checks: z.array(check).default([]),
    bench: bench.optional(),
    sessions: z.array(session).max(16).default([]),
    changes: z.array(change).max(100).default([]),
    /** metric -> threshold expressions, as k6 has them; parsed in src/thresholds (load-suite.ts). */
    thresholds: z.record(z.string(), z.array(z.string()).min(1)).optional(),
  })
  .superRefine((s, ctx) => {
    const names = new Set<string>();
    s.probes.forEach((p, i) => {
      if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['probes', i, 'name'], message: 'a probe name not used twice' });
      names.add(p.name);
      if (s.service.kind === 'ppc' && !s.service.ports?.includes(p.port)) {
        ctx.addIssue({ code: 'custom', path: ['probes', i, 'port'], message: `one of the service ports (${s.service.ports?.join(', ')})` });
      }
    });
    for (const i of ftpRangeConflicts(s.probes)) {
      ctx.addIssue({ code: 'custom', path: ['probes', i, 'passivePorts'], message: 'the passive range other FTP probes on this port give' });
    }
    const httpProbes = s.probes.filter((p) => p.type === 'http').map((p) => p.name);
    if (s.bench && !httpProbes.includes(s.bench.probe)) {
      ctx.addIssue({ code: 'custom', path: ['bench', 'probe'], message: `the name of an HTTP probe (${httpProbes.join(', ') || 'none'})` });
    }
    for (const p of windowProblems(s)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    const perRound = s.probes.length * s.traffic.connections;
    if (perRound * s.traffic.rounds > 1_000_000 / Math.max(1, poolSize(s.clients.sources))) {
      ctx.addIssue({ code: 'custom', path: ['traffic'], message: 'at most 1,000,000 connections in a run (clients x probes x rounds x connections)' });
    }
  });

function poolSize(v: string | string[]): number {
  const all = expandSources(typeof v === 'string' ? [v] : v);
  return typeof all === 'string' ? 0 : all.length;
}

export type SuiteInput = z.input<typeof suiteSchema>;
export type SuiteSpec = z.output<typeof suiteSchema>;
export type ProbeSpec = SuiteSpec['probes'][number];
export type HttpProbeSpec = Extract<ProbeSpec, { type: 'http' }>;
export type ServiceSpec = SuiteSpec['service'];
