import { expect } from 'chai';
import { formatConnections } from '../../src/director/ipvsadm-views.js';
import { IpvsTable, type LabConnection } from '../../src/lab/sim/ipvs-table.js';
import { ScheduleHistory } from '../../src/lab/sim/history.js';
import { readTableState } from '../../src/lab/sim/table-reading.js';
import { A, B, FakeClock, tcpService, VIP } from './helpers.js';

/** What the kernel lists for one entry, kept by the test itself: state, when it entered it, its timeout. */
interface Expected {
  proto: 'TCP' | 'UDP';
  source: string;
  virtual: string;
  destination: string;
  state: string;
  since: number;
  timeout: number;
  conn: LabConnection;
}

/** `ipvsadm -Lcn`'s line: "%-3s %02d:%02d  %-11s %-18s %-18s %s" (ipvsadm.c print_conn). */
function line(e: Expected, now: number): string {
  const left = Math.max(0, Math.floor((e.since + e.timeout * 1000 - now) / 1000));
  const mmss = `${String(Math.floor(left / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
  return `${e.proto} ${mmss}  ${e.state.padEnd(11)} ${e.source.padEnd(18)} ${e.virtual.padEnd(18)} ${e.destination}`;
}

const TIMEOUTS: Record<string, number> = { SYN_RECV: 60, ESTABLISHED: 900, FIN_WAIT: 120, TIME_WAIT: 120, CLOSE: 10, UDP: 300 };

describe('lab connection table after many closed connections', () => {
  it("lists thousands of FIN_WAIT, TIME_WAIT, CLOSE, UDP and open entries as the kernel's -Lcn would, through expiry and reuse of their storage", () => {
    const clock = new FakeClock();
    const t = IpvsTable.fromConfig(
      {
        services: [
          tcpService({ port: 80, scheduler: 'rr', realServers: [A, B] }),
          tcpService({ port: 81, scheduler: 'rr', forward: 'masq', realServers: [A, B] }),
          { ...tcpService({ port: 53, scheduler: 'rr', realServers: [A] }), protocol: 'udp' },
        ],
        fwmarkRules: [],
      },
      { clock },
    );
    const expected: Expected[] = [];
    let n = 0;
    const connect = (count: number): void => {
      for (let i = 0; i < count; i++, n++) {
        const udp = n % 97 === 0;
        const vport = udp ? 53 : 80 + (n % 2);
        const caddr = `127.1.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
        const cport = 20000 + (n % 40000);
        const s = t.schedule({ protocol: udp ? 'udp' : 'tcp', caddr, cport, vaddr: VIP, vport })!;
        const e: Expected = {
          proto: udp ? 'UDP' : 'TCP',
          source: `${caddr}:${cport}`,
          virtual: `${VIP}:${vport}`,
          destination: `${s.address}:${s.port}`,
          state: udp ? 'UDP' : 'SYN_RECV',
          since: clock.now(),
          timeout: 0,
          conn: s.conn,
        };
        expected.push(e);
        if (!udp && n % 5 !== 0) {
          t.established(s.conn);
          Object.assign(e, { state: 'ESTABLISHED' });
        }
        if (!udp && n % 10 !== 0) {
          const how = n % 7 === 0 ? 'reset' : 'fin';
          t.ended(s.conn, how);
          Object.assign(e, { state: how === 'reset' ? 'CLOSE' : vport === 81 ? 'TIME_WAIT' : 'FIN_WAIT', since: clock.now() });
        }
        e.timeout = TIMEOUTS[e.state]!;
        if (n % 50 === 49) clock.advance(1);
      }
    };
    const listing = (): string => formatConnections(readTableState(t.state(), clock.now()));
    const want = (): string => {
      const now = clock.now();
      // An entry is gone once its timeout has passed; an open one stays (its sockets decide).
      const live = expected.filter((e) => e.state === 'SYN_RECV' || e.state === 'ESTABLISHED' || e.since + e.timeout * 1000 > now);
      return `IPVS connection entries\npro expire state       source             virtual            destination\n${live.map((e) => `${line(e, now)}\n`).join('')}`;
    };

    connect(1000);
    expect(listing()).to.equal(want());
    // All closed TCP entries expire; their storage is then reused from the middle (a ring).
    clock.advance(150);
    expect(listing()).to.equal(want());
    connect(700);
    clock.advance(30);
    expect(listing()).to.equal(want());
    // More than the first storage holds while the oldest are still there: it grows in order.
    connect(3000);
    expect(listing()).to.equal(want());
    // Part of the entries that were there when it grew have expired: the oldest must go first.
    clock.advance(25);
    expect(listing()).to.equal(want());
    clock.advance(100);
    expect(listing()).to.equal(want());
    const counted = t.state().services.flatMap((s) => s.dests).reduce((k, d) => k + d.activeConns + d.inactConns, 0);
    expect(counted).to.equal(readTableState(t.state(), clock.now()).connections!.length);
  });
});

describe('lab schedule history', () => {
  const decision = (i: number) => ({
    atMs: 1000 + i,
    service: i % 2 ? 'TCP  127.0.0.100:80' : 'UDP  127.0.0.100:53',
    caddr: `127.1.0.${i % 250}`,
    cport: 30000 + i,
    templateKey: i % 3 ? null : `TCP 127.1.0.${i % 250}:0 127.0.0.100:0`,
    realServer: i % 4 ? 'A' : null,
    scheduled: i % 5 !== 0,
  });
  const record = (i: number) => {
    const { caddr, cport, ...rest } = decision(i);
    return { seq: i, client: `${caddr}:${cport}`, ...rest };
  };

  it('lists every decision in order while under its limit, past its first storage', () => {
    const h = new ScheduleHistory(5000);
    for (let i = 1; i <= 2500; i++) h.add(decision(i));
    expect(h.list()).to.deep.equal(Array.from({ length: 2500 }, (_, k) => record(k + 1)));
  });

  it('keeps the last `limit` decisions once full, their seq still counting from the first', () => {
    const h = new ScheduleHistory(1500);
    for (let i = 1; i <= 4321; i++) h.add(decision(i));
    expect(h.list()).to.deep.equal(Array.from({ length: 1500 }, (_, k) => record(4321 - 1500 + k + 1)));
  });
});
