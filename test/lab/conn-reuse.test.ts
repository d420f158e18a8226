import { expect } from 'chai';
import { connect } from 'node:net';
import { startEmbeddedLab, type EmbeddedLab } from '../../src/lab/embedded-lab.js';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import type { ForwardMethod } from '../../src/model/ipvs.js';
import { A, B, FakeClock, packet, tcpService, VIP } from './helpers.js';

/**
 * conn_reuse_mode as ip_vs_in_hook (6.1) applies it: a SYN from a client address:port whose ended
 * entry is still listed. This file's ports: 18800-18899 (VIP side), client ports 41000-41099.
 */

const CLIENT = '127.0.12.1';

function table(forward: ForwardMethod, persistence: { timeout: number; netmask: string } | null = null): { table: IpvsTable; clock: FakeClock } {
  const clock = new FakeClock();
  const t = IpvsTable.fromConfig({ services: [tcpService({ scheduler: 'rr', forward, persistence, realServers: [A, B] })], fwmarkRules: [] }, { clock });
  return { table: t, clock };
}

/** Connects from CLIENT:cport, ends it (`how`), drains its server, connects again from the same port. */
function reuseAfterDrain(t: IpvsTable, how: 'fin' | 'reset', cport = 41000): { first: string; second: string | null } {
  const first = t.schedule(packet(CLIENT, 80, cport))!;
  t.established(first.conn);
  t.ended(first.conn, how);
  t.editDest(tcpService(), first.address, { weight: 0 });
  return { first: first.realServer, second: t.schedule(packet(CLIENT, 80, cport))?.realServer ?? null };
}

describe('conn_reuse_mode: a new connection from a client port with an ended entry', () => {
  const cases: { forward: ForwardMethod; how: 'fin' | 'reset'; state: string; rescheduledBy: number[] }[] = [
    { forward: 'masq', how: 'fin', state: 'TIME_WAIT', rescheduledBy: [1, 2, 3] },
    { forward: 'route', how: 'reset', state: 'CLOSE', rescheduledBy: [1, 2, 3] },
    // DR sees no replies: the entry waits in FIN_WAIT, rescheduled only with bit 2 (NOOUTPUT).
    { forward: 'route', how: 'fin', state: 'FIN_WAIT', rescheduledBy: [2, 3] },
    { forward: 'tunnel', how: 'fin', state: 'FIN_WAIT', rescheduledBy: [2, 3] },
  ];
  for (const c of cases) {
    it(`${c.forward}, entry in ${c.state}: rescheduled with conn_reuse_mode ${c.rescheduledBy.join('/')}, else back to the drained server`, () => {
      for (const mode of [0, 1, 2, 3]) {
        const { table: t } = table(c.forward);
        t.setSysctls({ conn_reuse_mode: mode });
        const first = t.schedule(packet(CLIENT, 80, 41001))!;
        t.established(first.conn);
        t.ended(first.conn, c.how);
        expect(t.state().entries.find((e) => e.source === `${CLIENT}:41001`)!.state).to.equal(c.state);
        t.editDest(tcpService(), first.address, { weight: 0 });
        const again = t.schedule(packet(CLIENT, 80, 41001))!;
        const expected = c.rescheduledBy.includes(mode) ? (first.realServer === 'A' ? 'B' : 'A') : first.realServer;
        expect(again.realServer, `conn_reuse_mode=${mode}`).to.equal(expected);
        // One entry for the client port either way: the old one expired or taken over.
        const entries = t.state().entries.filter((e) => e.source === `${CLIENT}:41001`);
        expect(entries.map((e) => e.state), `conn_reuse_mode=${mode}`).to.deep.equal(['SYN_RECV']);
        const last = t.history().at(-1)!;
        expect(last.scheduled, `conn_reuse_mode=${mode}`).to.equal(c.rescheduledBy.includes(mode));
      }
    });
  }

  it('a fresh client port is scheduled whatever the mode', () => {
    const { table: t } = table('masq');
    t.setSysctls({ conn_reuse_mode: 0 });
    const { first } = reuseAfterDrain(t, 'fin', 41002);
    expect(t.schedule(packet(CLIENT, 80, 41003))!.realServer).not.to.equal(first);
  });

  it('expire_nodest_conn=1 reschedules a reused port whose server has weight 0, even with conn_reuse_mode=0', () => {
    const { table: t } = table('route');
    t.setSysctls({ conn_reuse_mode: 0, expire_nodest_conn: 1 });
    const { first, second } = reuseAfterDrain(t, 'fin', 41004);
    expect(second).to.equal(first === 'A' ? 'B' : 'A');
  });

  it('an entry controlled by a template is never rescheduled by conn_reuse_mode', () => {
    const { table: t } = table('masq', { timeout: 300, netmask: '255.255.255.255' });
    // expire_quiescent_template=1 would move a client scheduled afresh: the reused entry keeps it.
    t.setSysctls({ conn_reuse_mode: 3, expire_quiescent_template: 1 });
    const { first, second } = reuseAfterDrain(t, 'fin', 41005);
    expect(second).to.equal(first);
    expect(t.history().at(-1)!.templateKey).to.match(/^TCP 127\.0\.12\.1:0 /);
  });

  it('an entry gone after its timeout no longer matches: the port is scheduled afresh', () => {
    const { table: t, clock } = table('masq');
    t.setSysctls({ conn_reuse_mode: 0 });
    const first = t.schedule(packet(CLIENT, 80, 41006))!;
    t.established(first.conn);
    t.ended(first.conn, 'fin');
    t.editDest(tcpService(), first.address, { weight: 0 });
    clock.advance(121);
    expect(t.schedule(packet(CLIENT, 80, 41006))!.realServer).not.to.equal(first.realServer);
  });
});

describe('conn_reuse_mode on loopback: a client binding the same source port twice, against a drained server', function () {
  this.timeout(15_000);
  let lab: EmbeddedLab;
  let port = 18800;
  let clientPort = 41020;

  /** One HTTP/1.0 request from CLIENT:localPort; the real server closes first, as HTTP/1.0 does. */
  function askFrom(localPort: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: VIP, port, localAddress: CLIENT, localPort });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.once('error', reject);
      socket.once('close', () => {
        const m = /x-real-server: (\w+)/i.exec(text);
        if (m) resolve(m[1]!);
        else reject(new Error(`no answer: ${JSON.stringify(text)}`));
      });
      socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
      socket.write('GET / HTTP/1.0\r\n\r\n');
    });
  }

  async function start(forward: ForwardMethod, mode: number): Promise<void> {
    port++;
    lab = await startEmbeddedLab({
      config: { services: [tcpService({ port, scheduler: 'rr', forward, realServers: [A, B] })], fwmarkRules: [] },
      listenPorts: [port],
      httpPorts: [port],
    });
    await lab.changes!.apply({ kind: 'sysctl', values: { conn_reuse_mode: mode } });
  }
  afterEach(() => lab.close());

  for (const [forward, mode, back] of [
    ['masq', 0, true],
    ['masq', 1, false],
    ['route', 1, true],
    ['route', 2, false],
  ] as const) {
    it(`${forward}, conn_reuse_mode=${mode}: the reused port ${back ? 'reaches the drained server again' : 'is rescheduled to the other one'}`, async () => {
      await start(forward, mode);
      const cport = clientPort++;
      const first = await askFrom(cport);
      await lab.changes!.apply({ kind: 'weight', server: first, to: 0 });
      // A client with another port goes to the other server: the drain itself works.
      const other = first === 'A' ? 'B' : 'A';
      expect(await askFrom(clientPort + 50)).to.equal(other);
      const second = await askFrom(cport);
      expect(second).to.equal(back ? first : other);
      const history = (await lab.snapshot()).history.filter((h) => h.client === `${CLIENT}:${cport}`);
      expect(history.map((h) => h.scheduled)).to.deep.equal([true, !back]);
    });
  }
});
