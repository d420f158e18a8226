/**
 * The Telnet probe against the lab's telnetd over loopback: login, the three ways to name the real
 * server, and the failures a user acts on. This file's ports: 21100-21199.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { isHarnessError } from '../../src/core/errors.js';
import { startTelnetServer, type RunningTelnetServer } from '../../src/lab/sim/telnet-server.js';
import { telnetRunner } from '../../src/probes/telnet-probe.js';
import { telnetProbe, type TelnetProbeSpec } from '../../src/suite/probes/telnet.js';

const HOST = '127.0.21.110';
const LOGIN = { username: 'lab', password: 'lab-secret' };

function probe(fields: Record<string, unknown>): TelnetProbeSpec {
  return telnetProbe.parse({ name: 'telnet', type: 'telnet', port: 21101, login: LOGIN, timeoutSeconds: 1, ...fields });
}

function connectOnce(p: TelnetProbeSpec, source = '127.0.21.150', signal = new AbortController().signal) {
  return telnetRunner(p, HOST)(source, signal);
}

describe('telnet probe against the lab telnetd', function () {
  this.timeout(10_000);
  let withLogin: RunningTelnetServer;
  let noLogin: RunningTelnetServer;
  before(async () => {
    withLogin = await startTelnetServer({ name: 'web1', address: HOST, port: 21101, login: LOGIN });
    noLogin = await startTelnetServer({ name: 'web2', address: HOST, port: 21102, login: null });
  });
  after(() => Promise.all([withLogin.kill(), noLogin.kill()]));

  it('logs in and names the server from the banner, the prompt, a command and a command output regex', async () => {
    const ways = [
      { banner: '(\\w+) telnet \\(lvs-harness lab\\)' },
      { prompt: '^(\\w+)\\$ $' },
      { command: 'hostname' },
      { command: 'echo served by web1', output: 'served by (\\w+)' },
    ];
    for (const identify of ways) {
      const r = await connectOnce(probe({ identify }));
      expect(r.error, JSON.stringify(identify)).to.equal(null);
      expect(r.realServer, JSON.stringify(identify)).to.equal('web1');
      expect(r.connectMs).to.be.a('number');
      expect(r.firstByteMs).to.be.a('number');
      expect(r.bytesReceived).to.be.greaterThan(50);
      // exit counts as a command once the server hung up on it; the identifying command too.
      expect(r.requests).to.equal(identify.command === undefined ? 1 : 2);
    }
  });

  it('binds the session to the client source address', async () => {
    const seen: string[] = [];
    const tap: Server = createServer((s) => {
      seen.push(s.remoteAddress ?? '');
      s.resume();
      s.end('\r\ntap$ ');
    });
    await new Promise<void>((r) => tap.listen(21110, HOST, r));
    try {
      const r = await connectOnce(probe({ port: 21110, login: undefined, identify: { prompt: '(\\w+)\\$' } }), '127.0.21.177');
      expect(r.realServer).to.equal('tap');
      expect(seen).to.deep.equal(['127.0.21.177']);
    } finally {
      await new Promise((r) => tap.close(r));
    }
  });

  it('takes a shell without login when the server offers one', async () => {
    const r = await connectOnce(probe({ port: 21102, login: undefined, identify: { command: 'hostname' } }));
    expect(r).to.include({ realServer: 'web2', error: null, requests: 2 });
  });

  it('names the server from the banner without credentials, and needs credentials for anything else', async () => {
    const banner = await connectOnce(probe({ login: undefined, identify: { banner: '(\\w+) telnet' } }));
    expect(banner).to.include({ realServer: 'web1', error: null });
    const command = await connectOnce(probe({ login: undefined, identify: { command: 'hostname' } }));
    expect(command.error?.code).to.equal('LOGIN_REQUIRED');
  });

  it('reports a refused login without the password', async () => {
    const r = await connectOnce(probe({ login: { username: 'lab', password: 'not-it' }, identify: { command: 'hostname' } }));
    expect(r.realServer).to.equal(null);
    expect(r.error?.code).to.equal('LOGIN_FAILED');
    expect(r.error?.message).to.contain('user lab').and.not.contain('not-it');
  });

  it('reports UNIDENTIFIED when the output does not match, saying where it looked', async () => {
    const r = await connectOnce(probe({ identify: { command: 'echo nobody', output: 'served by (\\w+)' } }));
    expect(r.error).to.deep.equal({ code: 'UNIDENTIFIED', message: 'the output of "echo nobody" did not name its real server (served by (\\w+))' });
  });

  it('reads the password from the variable passwordEnv names, and stops the run when it is unset', async () => {
    process.env.LVS_HARNESS_TEST_TELNET_PW = LOGIN.password;
    const p = probe({ login: { username: 'lab', passwordEnv: 'LVS_HARNESS_TEST_TELNET_PW' }, identify: { command: 'hostname' } });
    try {
      expect((await connectOnce(p)).realServer).to.equal('web1');
    } finally {
      delete process.env.LVS_HARNESS_TEST_TELNET_PW;
    }
    let thrown: unknown;
    try {
      telnetRunner(p, HOST);
    } catch (e) {
      thrown = e;
    }
    expect(isHarnessError(thrown) && thrown.exitCode).to.equal(11);
    expect((thrown as Error).message).to.contain('LVS_HARNESS_TEST_TELNET_PW is not set');
  });

  it('reports a refused connection', async () => {
    const r = await connectOnce(probe({ port: 21199, identify: { command: 'hostname' } }));
    expect(r.error?.code).to.equal('ECONNREFUSED');
    expect(r.connectMs).to.equal(null);
  });
});
