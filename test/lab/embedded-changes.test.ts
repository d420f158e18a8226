import { expect } from 'chai';
import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startEmbeddedLab, type EmbeddedLab } from '../../src/lab/embedded-lab.js';
import { A, B, tcpService, VIP } from './helpers.js';
import { httpGet, outcome } from './http-client.js';

/** This file's ports: 18700-18799. */
const PERSIST = { timeout: 300, netmask: '255.255.255.255' };

/** A raw keep-alive HTTP connection: each `ask` sends one request and resolves with the answer's server, or the error. */
async function rawHttp(port: number, localAddress: string): Promise<{ socket: Socket; ask(timeoutMs?: number): Promise<string> }> {
  const socket = connect({ host: VIP, port, localAddress });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', () => undefined);
  const ask = (timeoutMs = 600): Promise<string> =>
    new Promise((resolve) => {
      text = '';
      const done = (what: string): void => {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(what);
      };
      const timer = setTimeout(() => done(socket.destroyed ? 'closed' : 'silent'), timeoutMs);
      const poll = setInterval(() => {
        const m = /x-real-server: (\w+)/i.exec(text);
        if (m && text.includes('\r\n\r\n')) done(m[1]!);
        else if (socket.destroyed) done('reset');
      }, 10);
      socket.write(`GET / HTTP/1.1\r\nHost: lab\r\nConnection: keep-alive\r\n\r\n`);
    });
  return { socket, ask };
}

describe('embedded lab: changes under traffic', function () {
  this.timeout(15_000);
  let lab: EmbeddedLab;
  let port = 18700;

  beforeEach(async () => {
    port++;
    lab = await startEmbeddedLab({
      config: { services: [tcpService({ port: 0, scheduler: 'rr', persistence: PERSIST, realServers: [A, B] })], fwmarkRules: [] },
      listenPorts: [port],
      httpPorts: [port],
    });
  });
  afterEach(() => lab.close());

  /** The client address whose template is on `server`, found by asking. */
  async function clientOn(server: string): Promise<string> {
    for (let i = 1; i <= 4; i++) {
      const client = `127.0.11.${i}`;
      if ((await httpGet(VIP, port, client)).realServer === server) return client;
    }
    throw new Error(`no client on ${server}`);
  }

  it('weight 0 keeps sticky clients on the quiescent server (expire_quiescent_template=0) and sends new ones elsewhere', async () => {
    const sticky = await clientOn('B');
    await lab.changes!.apply({ kind: 'weight', server: 'B', to: 0 });
    expect((await httpGet(VIP, port, sticky)).realServer).to.equal('B');
    for (let i = 10; i < 14; i++) expect((await httpGet(VIP, port, `127.0.11.${i}`)).realServer).to.equal('A');
  });

  it('with expire_quiescent_template=1 a template to a weight-0 server dies at its next use', async () => {
    const sticky = await clientOn('B');
    const commands = await lab.changes!.apply({ kind: 'sysctl', values: { expire_quiescent_template: 1 } });
    expect(commands).to.deep.equal(['sysctl -w net.ipv4.vs.expire_quiescent_template=1']);
    await lab.changes!.apply({ kind: 'weight', server: 'B', to: 0 });
    expect((await httpGet(VIP, port, sticky)).realServer).to.equal('A');
  });

  it('removing a server: its open connection hangs with expire_nodest_conn=0 (packets dropped), and is reset at the next packet with 1', async () => {
    const sticky = await clientOn('B');
    const held = await rawHttp(port, sticky);
    expect(await held.ask()).to.equal('B');
    const commands = await lab.changes!.apply({ kind: 'remove', server: 'B' });
    expect(commands).to.deep.equal([`ipvsadm -d -t ${VIP}:0 -r ${B.address}`]);
    expect(await held.ask(), 'expire_nodest_conn=0').to.equal('silent');
    await lab.changes!.apply({ kind: 'sysctl', values: { expire_nodest_conn: 1 } });
    expect(await held.ask(), 'expire_nodest_conn=1').to.equal('reset');
    // Its template died with the dest: the client is scheduled afresh, on the server that is left.
    expect((await httpGet(VIP, port, sticky)).realServer).to.equal('A');
  });

  it('stop (reset) makes the server refuse, so its clients are reset until start brings it back', async () => {
    const sticky = await clientOn('B');
    await lab.changes!.apply({ kind: 'stop', server: 'B', mode: 'reset' });
    expect(await outcome(httpGet(VIP, port, sticky))).to.equal('ECONNRESET');
    await lab.changes!.apply({ kind: 'start', server: 'B' });
    expect((await httpGet(VIP, port, sticky)).realServer).to.equal('B');
  });

  it('stop (blackhole) leaves its clients unanswered, open connections included, until start', async () => {
    const sticky = await clientOn('B');
    const held = await rawHttp(port, sticky);
    expect(await held.ask()).to.equal('B');
    await lab.changes!.apply({ kind: 'stop', server: 'B', mode: 'blackhole' });
    expect(await held.ask()).to.equal('silent');
    expect(await outcome(httpGet(VIP, port, sticky, false, 500))).to.match(/no answer/);
    await lab.changes!.apply({ kind: 'start', server: 'B' });
    expect((await httpGet(VIP, port, sticky)).realServer).to.equal('B');
    held.socket.destroy();
  });

  it('add starts a new real server and puts it in every service; apply makes a dump the table, keeping what stays', async () => {
    const added = await lab.changes!.apply({ kind: 'add', server: 'C', address: '127.0.0.13', weight: 5 });
    expect(added).to.deep.equal([`ipvsadm -a -t ${VIP}:0 -r 127.0.0.13 -w 5`]);
    const agent = new Agent({ keepAlive: false });
    const seen = new Set<string>();
    for (let i = 20; i < 27; i++) seen.add((await httpGet(VIP, port, `127.0.11.${i}`, agent)).realServer);
    expect([...seen].sort()).to.deep.equal(['A', 'B', 'C']);
    const config = { services: [tcpService({ port: 0, scheduler: 'wrr', persistence: PERSIST, realServers: [{ ...A, name: A.address, weight: 2 }, { ...B, name: B.address }] })], fwmarkRules: [] };
    const applied = await lab.changes!.apply({ kind: 'apply', file: 'new.ipvsadm', config });
    expect(applied).to.deep.equal([
      `ipvsadm -E -t ${VIP}:0 -s wrr -p 300 -M 255.255.255.255`,
      `ipvsadm -e -t ${VIP}:0 -r ${A.address} -w 2`,
      `ipvsadm -d -t ${VIP}:0 -r 127.0.0.13`,
    ]);
    expect((await lab.snapshot()).listing).to.match(/wrr persistent 300/).and.not.to.contain('127.0.0.13');
  });

  it('refuses reload: there is no keepalived in the embedded lab', () => {
    expect(lab.changes!.unsupported({ kind: 'reload' })).to.match(/no keepalived/);
    expect(lab.changes!.unsupported({ kind: 'remove', server: 'A' })).to.equal(null);
  });
});
