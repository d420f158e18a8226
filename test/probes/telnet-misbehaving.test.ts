/**
 * The Telnet probe against hand-written servers that do what real telnetds do and ours does not:
 * negotiation split across segments, other prompts, no echo; and against broken ones: silent, hanging
 * up, resetting, flooding. Every failure must name what the probe waited for, and never hang.
 * This file's ports: 21200-21299.
 */
import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { telnetRunner } from '../../src/probes/telnet-probe.js';
import { telnetProbe, type TelnetProbeSpec } from '../../src/suite/probes/telnet.js';

const HOST = '127.0.21.210';
const SOURCE = '127.0.21.250';
const PASSWORD = 'hunter2-secret';
const bytes = (...b: number[]): string => String.fromCharCode(...b);
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Script = (s: Socket) => Promise<void> | void;

/**
 * Runs `session` against a server that runs `script` on each connection on `port`, then closes the
 * server and destroys its sockets, whatever happened.
 */
async function against<T>(port: number, script: Script, session: () => Promise<T>): Promise<T> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.setEncoding('latin1');
    s.setDefaultEncoding('latin1');
    s.on('error', () => undefined);
    void Promise.resolve(script(s)).catch(() => s.destroy());
  });
  await new Promise<void>((r) => server.listen(port, HOST, r));
  try {
    return await session();
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  }
}

/** Resolves with the next line the client sends (bounded by the probe's own timeout on its side). */
function line(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const onData = (d: string): void => {
      got += d.replace(/\xff[\xfb-\xfe]./gs, '');
      const end = got.search(/\r\n|\n/);
      if (end >= 0) {
        s.off('data', onData);
        resolve(got.slice(0, end));
      }
    };
    s.on('data', onData);
  });
}

/** Asks for a login and a password as most telnetds do; resolves with the password sent. */
async function askLogin(s: Socket): Promise<string> {
  s.write('login: ');
  await line(s);
  s.write('Password: ');
  return line(s);
}

function probe(port: number, fields: Record<string, unknown> = {}): TelnetProbeSpec {
  return telnetProbe.parse({
    name: 'telnet',
    type: 'telnet',
    port,
    login: { username: 'ops', password: PASSWORD },
    identify: { command: 'hostname' },
    timeoutSeconds: 0.3,
    ...fields,
  });
}

const connectOnce = (p: TelnetProbeSpec, signal = new AbortController().signal) => telnetRunner(p, HOST)(SOURCE, signal);

describe('telnet probe against misbehaving servers', function () {
  this.timeout(10_000);

  it('copes with split negotiation, escaped IAC, other prompts, no echo and CR NUL line ends', async () => {
    const dialect = { loginPrompt: 'Username: $', passwordPrompt: 'Passcode: $', shellPrompt: '\\]# $' };
    const [byCommand, byBanner] = await against(
      21201,
      async (s) => {
        s.write(bytes(255, 251, 1, 255));
        await pause(15);
        s.write(bytes(253, 24, 255, 250, 24, 1, 255));
        await pause(15);
        s.write(bytes(240) + 'Welcome to db' + bytes(255, 255) + '3\r\0\r\nUser');
        await pause(15);
        s.write('name: ');
        if ((await line(s)) !== 'ops') return void s.end('bad user\r\n');
        s.write('Passcode: ');
        if ((await line(s)) !== PASSWORD) return void s.end('Authentication failed\r\n');
        s.write('\r\nLast login: never\r\n[db3 ~]# ');
        if ((await line(s)) !== 'hostname') return void s.end();
        s.write('db3\r\n');
        await pause(15);
        s.write('[db3 ~]# ');
        await line(s);
        s.end();
      },
      async () => [
        await connectOnce(probe(21201, dialect)),
        await connectOnce(probe(21201, { ...dialect, identify: { banner: 'Welcome to (\\S+)' } })),
      ],
    );
    expect(byCommand.error, byCommand.error?.message).to.equal(null);
    expect(byCommand.realServer).to.equal('db3');
    expect(byBanner.error).to.equal(null);
    expect(byBanner.realServer, 'IAC IAC is a literal 0xFF').to.equal('db\xff3');
  });

  it('ends a session whose server never shows a prompt in ETIMEDOUT naming the awaited prompt', async () => {
    const t0 = performance.now();
    const r = await against(21202, (s) => void s.write(bytes(255, 253, 1) + 'stuck telnetd banner\r\n'), () => connectOnce(probe(21202)));
    expect(performance.now() - t0).to.be.within(250, 1500);
    expect(r.realServer).to.equal(null);
    expect(r.connectMs).to.be.a('number');
    expect(r.error?.code).to.equal('ETIMEDOUT');
    expect(r.error?.message).to.equal(
      'timed out after 0.3 s waiting for the login or shell prompt (/[Ll]ogin[: ]*$/ or /[$#>%] ?$/); ' +
        'last text received: "stuck telnetd banner\\r\\n"',
    );
  });

  it('never quotes the password, even from a server that echoes it and goes silent', async () => {
    const r = await against(21203, async (s) => void s.write(`${await askLogin(s)}\r\n`), () => connectOnce(probe(21203)));
    expect(r.error?.code).to.equal('ETIMEDOUT');
    expect(r.error?.message).to.contain('the shell prompt after the password').and.contain('***');
    expect(JSON.stringify(r)).not.to.contain(PASSWORD);
  });

  it('reports a server that hangs up mid-login with what the probe waited for', async () => {
    const hangsUp: Script = async (s) => {
      s.write('login: ');
      await line(s);
      s.end();
    };
    const r = await against(21204, hangsUp, () => connectOnce(probe(21204)));
    expect(r.error).to.deep.equal({
      code: 'ECONNRESET',
      message: 'the server closed the connection while the probe waited for the password prompt; last text received: ""',
    });
  });

  it('reports a server that resets the connection mid-login with what the probe waited for', async () => {
    const resets: Script = async (s) => {
      await askLogin(s);
      s.resetAndDestroy();
    };
    const r = await against(21205, resets, () => connectOnce(probe(21205)));
    expect(r.error?.code).to.equal('ECONNRESET');
    expect(r.error?.message).to.match(/reset .* while the probe waited for the shell prompt after the password/);
  });

  it('stops reading a server that floods text without a prompt', async () => {
    const r = await against(21206, (s) => void s.write('x'.repeat(100_000)), () => connectOnce(probe(21206, { timeoutSeconds: 5 })));
    expect(r.error?.code).to.equal('PROTOCOL');
    expect(r.error?.message).to.contain('without the login or shell prompt');
  });

  it('returns at once when the run is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const t0 = performance.now();
    const r = await against(21207, () => undefined, () => connectOnce(probe(21207, { timeoutSeconds: 10 }), controller.signal));
    expect(performance.now() - t0).to.be.lessThan(1000);
    expect(r.error?.code).to.equal('ABORTED');
  });
});
