/**
 * The lab's telnetd over loopback, byte for byte as a raw client sees it, and behind the embedded
 * director. This file's ports: 21000-21099.
 */
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { startEmbeddedLab, type EmbeddedLab } from '../../src/lab/embedded-lab.js';
import { startTelnetServer, type RunningTelnetServer } from '../../src/lab/sim/telnet-server.js';
import { A, B, tcpService, VIP } from './helpers.js';
import { httpGet } from './http-client.js';

const LOGIN = { username: 'lab', password: 'p4ss' };

/** A raw client: everything received as latin1, read until a regex matches (bounded by a timeout). */
class RawClient {
  text = '';
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (this.text += d));
    socket.on('close', () => (this.closed = true));
  }

  static open(host: string, port: number, localAddress: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, localAddress }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  async until(re: RegExp | 'close', timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!(re === 'close' ? this.closed : re.test(this.text))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(re)}; got ${JSON.stringify(this.text)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.text;
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`, 'latin1');
  }
}

describe('lab telnet server', function () {
  this.timeout(10_000);

  describe('with credentials', () => {
    let server: RunningTelnetServer;
    before(async () => {
      server = await startTelnetServer({ name: 'web1', address: '127.0.21.1', port: 21001, login: LOGIN });
    });
    after(() => server.kill());

    it('negotiates, names itself in the banner, logs in, answers hostname and echo, and logs out on exit', async () => {
      const c = await RawClient.open('127.0.21.1', 21001, '127.0.21.50');
      const greeting = await c.until(/login: $/);
      expect(greeting.slice(0, 12)).to.equal('\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f');
      expect(greeting.slice(12)).to.equal('\r\nweb1 telnet (lvs-harness lab)\r\n\r\nlogin: ');
      // A client's negotiation answers ahead of the username must not end up in it.
      c.socket.write('\xff\xfd\x01\xff\xfc\x18', 'latin1');
      c.send('lab');
      await c.until(/Password: $/);
      c.send('p4ss');
      await c.until(/web1\$ $/);
      expect(c.text).not.to.contain('p4ss');
      c.text = '';
      c.send('hostname');
      expect(await c.until(/web1\$ $/)).to.equal('hostname\r\nweb1\r\nweb1$ ');
      c.text = '';
      c.send('echo hello  there');
      expect(await c.until(/web1\$ $/)).to.equal('echo hello  there\r\nhello there\r\nweb1$ ');
      c.text = '';
      c.send('uptime');
      expect(await c.until(/web1\$ $/)).to.contain('sh: uptime: not found');
      c.text = '';
      c.send('exit');
      expect(await c.until('close')).to.equal('exit\r\nlogout\r\n');
    });

    it('refuses a wrong password, asks again, and hangs up after three tries', async () => {
      const c = await RawClient.open('127.0.21.1', 21001, '127.0.21.51');
      await c.until(/login: $/);
      for (let i = 0; i < 3; i++) {
        c.text = '';
        c.send('lab');
        await c.until(/Password: $/);
        c.send('wrong');
        await c.until(/Login incorrect\r\n/);
      }
      await c.until('close');
      expect(c.text).not.to.contain('login: ');
    });

    it('takes CR NUL and a bare LF as line ends, even split across segments', async () => {
      const c = await RawClient.open('127.0.21.1', 21001, '127.0.21.52');
      await c.until(/login: $/);
      c.socket.write('lab\r');
      await new Promise((r) => setTimeout(r, 20));
      c.socket.write('\0');
      await c.until(/Password: $/);
      c.socket.write('p4ss\n');
      await c.until(/web1\$ $/);
      expect(c.text).not.to.match(/Password: \r\nPassword/);
      c.socket.destroy();
    });

    it('drops every open session when killed', async () => {
      const other = await startTelnetServer({ name: 'web9', address: '127.0.21.9', port: 21009, login: null });
      const c = await RawClient.open('127.0.21.9', 21009, '127.0.21.53');
      expect(await c.until(/web9\$ $/)).to.contain('web9 telnet (lvs-harness lab)');
      await other.kill();
      await c.until('close');
    });
  });

  describe('behind the embedded director (PCC)', () => {
    let lab: EmbeddedLab;
    before(async () => {
      lab = await startEmbeddedLab({
        config: {
          services: [tcpService({ port: 0, scheduler: 'rr', persistence: { timeout: 300, netmask: '255.255.255.255' }, realServers: [A, B] })],
          fwmarkRules: [],
        },
        listenPorts: [21010, 21011],
        httpPorts: [21010],
        telnetPorts: [{ port: 21011, login: null }],
      });
    });
    after(() => lab.close());

    it('serves telnet from the real server that served the client over HTTP', async () => {
      for (let i = 1; i <= 4; i++) {
        const client = `127.0.21.${100 + i}`;
        const web = await httpGet(VIP, 21010, client);
        const c = await RawClient.open(VIP, 21011, client);
        await c.until(/\$ $/);
        c.text = '';
        c.send('hostname');
        expect(await c.until(/\$ $/)).to.equal(`hostname\r\n${web.realServer}\r\n${web.realServer}$ `);
        c.send('exit');
        await c.until('close');
      }
    });

    it('lists the telnet port beside the HTTP port', () => {
      expect(lab.describe()).to.match(/A\s+127\.0\.0\.11\s+ports 21010, 21011/);
    });
  });
});
