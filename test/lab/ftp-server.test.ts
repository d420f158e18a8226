/**
 * The lab's FTP pieces on loopback: the server's replies as a raw client sees them, the director's
 * FTP service port and its listener cap.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { expect } from 'chai';
import { startFtpServer } from '../../src/lab/sim/ftp-server.js';
import type { RunningRealServer } from '../../src/lab/sim/real-server.js';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import { MAX_LISTENERS, startDirector } from '../../src/lab/sim/director.js';
import type { DirectorConfig } from '../../src/model/ipvs.js';

const RS = '127.0.7.11';
const VIP = '127.0.7.100';

/** A control connection that returns each reply line to a command. */
async function control(port: number, from: string): Promise<{ ask(line: string): Promise<string>; socket: Socket }> {
  const socket = connect({ host: RS, port, localAddress: from });
  socket.setEncoding('utf8');
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let rest = '';
  socket.on('data', (chunk: string) => {
    rest += chunk;
    const parts = rest.split('\r\n');
    rest = parts.pop()!;
    for (const l of parts) (waiters.shift() ?? ((x: string) => lines.push(x)))(l);
  });
  const next = (): Promise<string> => new Promise((resolve) => (lines.length > 0 ? resolve(lines.shift()!) : waiters.push(resolve)));
  await next();
  return { socket, ask: (line) => (socket.write(`${line}\r\n`), next()) };
}

describe('lab FTP server', function () {
  this.timeout(10_000);
  let server: RunningRealServer;
  before(async () => {
    server = await startFtpServer({ name: 'ftp9', address: RS, port: 22700, passive: { from: 22710, to: 22712 }, advertise: VIP });
  });
  after(() => server.kill());

  it('wants a login before any data command', async () => {
    const c = await control(22700, '127.0.7.60');
    expect(await c.ask('EPSV')).to.match(/^530 /);
    expect(await c.ask('PASS x')).to.match(/^503 /);
    expect(await c.ask('USER u')).to.match(/^331 /);
    expect(await c.ask('PASS x')).to.match(/^230 /);
    c.socket.destroy();
  });

  it('announces the VIP in PASV (as pasv_address) and only a port in EPSV', async () => {
    const c = await control(22700, '127.0.7.61');
    await c.ask('USER u');
    await c.ask('PASS x');
    expect(await c.ask('PASV')).to.match(/^227 Entering Passive Mode \(127,0,7,100,88,\d+\)$/);
    expect(await c.ask('EPSV')).to.match(/^229 Entering Extended Passive Mode \(\|\|\|2271[0-2]\|\)$/);
    c.socket.destroy();
  });

  it('refuses PORT/EPRT to another address than the control connection came from', async () => {
    const c = await control(22700, '127.0.7.62');
    await c.ask('USER u');
    await c.ask('PASS x');
    expect(await c.ask('EPRT |1|127.0.7.63|40000|')).to.match(/^500 /);
    expect(await c.ask('PORT 127,0,7,62,156,64')).to.match(/^200 /);
    c.socket.destroy();
  });

  it('resets a data connection no session expects', async () => {
    const stray = connect({ host: RS, port: 22711, localAddress: '127.0.7.64' });
    const [err] = (await Promise.race([once(stray, 'error'), once(stray, 'close')])) as [Error | boolean];
    expect(err === false ? 'closed cleanly' : 'reset').to.equal('reset');
  });
});

describe('director: FTP service port and listener cap', () => {
  const ppc = (port: number): DirectorConfig => ({
    services: [{ protocol: 'tcp', vip: VIP, port, scheduler: 'rr', persistence: { timeout: 60, netmask: '255.255.255.255' }, forward: 'route', realServers: [
      { name: 'a', address: '127.0.7.21', weight: 1 },
      { name: 'b', address: '127.0.7.22', weight: 1 },
    ] }],
    fwmarkRules: [],
  });

  it('treats the configured FTP port as the kernel treats 21: data to VIP:>=1024 shares its template', () => {
    const table = IpvsTable.fromConfig(ppc(22021), { ftpServicePort: 22021 });
    for (let i = 1; i <= 6; i++) {
      const caddr = `127.0.8.${i}`;
      const ctl = table.schedule({ protocol: 'tcp', caddr, cport: 40000, vaddr: VIP, vport: 22021 })!;
      const data = table.schedule({ protocol: 'tcp', caddr, cport: 40001, vaddr: VIP, vport: 22105 })!;
      expect(data.realServer).to.equal(ctl.realServer);
      expect(data.port).to.equal(22105);
    }
    expect(table.history().filter((r) => r.scheduled)).to.have.length(6);
    expect(IpvsTable.fromConfig(ppc(22021)).lookup({ protocol: 'tcp', vaddr: VIP, vport: 22105 })).to.equal(null);
  });

  it(`refuses to listen on more than ${MAX_LISTENERS} ports, saying why`, async () => {
    const config: DirectorConfig = { ...ppc(0), fwmarkRules: [] };
    const table = IpvsTable.fromConfig(config);
    const ports = Array.from({ length: MAX_LISTENERS + 1 }, (_, i) => 22000 + i);
    try {
      await startDirector(config, table, ports);
      expect.fail('started');
    } catch (e) {
      expect((e as { code: string }).code).to.equal('LAB_START_FAILED');
      expect((e as Error).message).to.match(/more than 256; use smaller passive ranges/);
    }
  });
});
