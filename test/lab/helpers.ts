import type { IpvsService, RealServer } from '../../src/model/ipvs.js';
import type { Clock } from '../../src/lab/lab.js';
import { IpvsTable, type Packet } from '../../src/lab/sim/ipvs-table.js';

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(private ms = 1_000_000) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export const A: RealServer = { name: 'A', address: '127.0.0.11', weight: 1 };
export const B: RealServer = { name: 'B', address: '127.0.0.12', weight: 1 };
export const C: RealServer = { name: 'C', address: '127.0.0.13', weight: 1 };

export const VIP = '127.0.0.100';

export function tcpService(overrides: Partial<IpvsService> = {}): IpvsService {
  return {
    protocol: 'tcp',
    vip: VIP,
    port: 80,
    scheduler: 'wrr',
    persistence: null,
    forward: 'route',
    realServers: [],
    ...overrides,
  };
}

export function packet(caddr: string, vport = 80, cport = 40000): Packet {
  return { protocol: 'tcp', caddr, cport, vaddr: VIP, vport };
}

/** Client ports for pickSequence: every connection a port of its own, as a client's stack gives. */
let nextPort = 30000;

/**
 * Opens and closes `count` connections one at a time from distinct clients, each from a new port
 * (a reused one would hit the ended entry: conn_reuse_mode); the real servers picked.
 */
export function pickSequence(table: IpvsTable, count: number, vport = 80): (string | null)[] {
  const picks: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    nextPort = nextPort >= 60000 ? 30000 : nextPort + 1;
    const scheduled = table.schedule(packet(`127.0.1.${i + 1}`, vport, nextPort));
    picks.push(scheduled?.realServer ?? null);
    if (scheduled !== null) table.ended(scheduled.conn, 'fin');
  }
  return picks;
}

export function withWeight(rs: RealServer, weight: number): RealServer {
  return { ...rs, weight };
}
