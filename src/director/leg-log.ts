/**
 * Every TCP connection the clients made, as its two ends and the real server it named: what the
 * director's connection table and counters are compared with after the traffic. It cannot be folded
 * as the traffic flows (the table is read afterwards), so it is the one record that grows with
 * connections, kept at 24 bytes a leg: six integers, addresses and names stored once.
 */
import { Interned } from '../core/interned.js';
import type { Observation } from '../model/observation.js';
import { legsOf, type Leg } from './table-agreement.js';

const FIELDS = 6;
const NONE = -1;

class Names {
  private readonly interned = new Interned<string>();

  of(name: string | null): number {
    return name === null ? NONE : this.interned.of(name);
  }

  at(i: number): string | null {
    return i === NONE ? null : this.interned.values[i]!;
  }
}

export class LegLog {
  private data = new Int32Array(FIELDS * 1024);
  private n = 0;
  private readonly addresses = new Names();
  private readonly servers = new Names();

  /** Each connection's legs: the control connection, then its FTP data connections. */
  add(o: Observation): void {
    legsOf(o).forEach((leg, i) => this.push(leg, i > 0));
  }

  get size(): number {
    return this.n;
  }

  /** In the order added; `data` marks FTP data connections. */
  *legs(): Generator<Leg & { data: boolean }> {
    const d = this.data;
    for (let k = 0; k < this.n; k++) {
      const at = k * FIELDS;
      yield {
        client: { address: this.addresses.at(d[at]!)!, port: port(d[at + 1]!) },
        server: { address: this.addresses.at(d[at + 2]!), port: port(d[at + 3]!) },
        realServer: this.servers.at(d[at + 4]!),
        data: d[at + 5] === 1,
      };
    }
  }

  private push(leg: Leg, data: boolean): void {
    if ((this.n + 1) * FIELDS > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.n * FIELDS;
    this.data[at] = this.addresses.of(leg.client.address);
    this.data[at + 1] = leg.client.port ?? NONE;
    this.data[at + 2] = this.addresses.of(leg.server.address);
    this.data[at + 3] = leg.server.port ?? NONE;
    this.data[at + 4] = this.servers.of(leg.realServer);
    this.data[at + 5] = data ? 1 : 0;
    this.n++;
  }
}

function port(v: number): number | null {
  return v === NONE ? null : v;
}
