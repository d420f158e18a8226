/**
 * The FTP probe against the lab FTP server on loopback, without a director: both modes, binding to
 * the source address, the server saying 150 before it connects back (active), faults, secrets.
 */
import { expect } from 'chai';
import { ftpSession } from '../../src/probes/ftp-probe.js';
import type { RunningRealServer } from '../../src/lab/sim/real-server.js';
import { startFtpServer } from '../../src/lab/sim/ftp-server.js';
import { ftpProbe } from '../../src/suite/probes/ftp.js';

const SERVER = '127.0.7.1';
const SOURCE = '127.0.7.50';

function probe(mode: 'passive' | 'active', port: number, extra: Record<string, unknown> = {}) {
  return ftpProbe.parse({
    name: mode,
    type: 'ftp',
    port,
    mode,
    passivePorts: `${port + 10}-${port + 14}`,
    login: { username: 'tester', password: 'do-not-leak' },
    identify: { file: 'whoami.txt' },
    transfers: { list: true, retr: 'whoami.txt', stor: 3000 },
    timeoutSeconds: 2,
    ...extra,
  });
}

async function server(port: number, resetDataAfterBytes?: number): Promise<RunningRealServer> {
  return startFtpServer({ name: 'ftp7', address: SERVER, port, passive: { from: port + 10, to: port + 14 }, advertise: SERVER, resetDataAfterBytes });
}

describe('FTP probe', function () {
  this.timeout(20_000);
  let running: RunningRealServer | null = null;
  afterEach(async () => {
    await running?.kill();
    running = null;
  });

  for (const [mode, port] of [['passive', 22200], ['active', 22300]] as const) {
    it(`runs a ${mode} session: every data connection bound to the source and on the control's server`, async () => {
      running = await server(port);
      const r = await ftpSession(probe(mode, port), SERVER, SOURCE, new AbortController().signal);
      expect(r.error).to.equal(null);
      expect(r.realServer).to.equal('ftp7');
      expect(r.data!.map((d) => d.command)).to.deep.equal(['RETR', 'LIST', 'RETR', 'STOR', 'RETR']);
      for (const d of r.data!) {
        expect(d).to.deep.include({ mode, realServer: 'ftp7', error: null });
        expect(d.client.address).to.equal(SOURCE);
        expect(d.client.port).to.be.a('number');
        expect(d.server.address).to.equal(SERVER);
      }
      expect(r.data![0]!.identifiedBy).to.equal('content');
      expect(r.data![3]!.bytes).to.equal(3000);
      if (mode === 'passive') expect(r.data!.every((d) => d.server.port! >= port + 10 && d.server.port! <= port + 14)).to.equal(true);
      // The lab server says 150 before it connects back, so this also shows the client holds 150 back.
      if (mode === 'active') expect(r.data!.every((d) => d.client.port !== r.clientPort)).to.equal(true);
    });
  }

  it('identifies the server from the greeting and keeps the password out of the result', async () => {
    running = await server(22400);
    const p = probe('passive', 22400, { identify: { greeting: 'server (\\w+) ready' }, transfers: { list: false } });
    const r = await ftpSession(p, SERVER, SOURCE, new AbortController().signal);
    expect(r).to.deep.include({ realServer: 'ftp7', error: null, data: [] });
    expect(JSON.stringify(r)).not.to.contain('do-not-leak');
  });

  it('records a data connection the server resets mid-transfer, and stops the session', async () => {
    running = await server(22500, 1000);
    const r = await ftpSession(probe('active', 22500, { identify: { greeting: 'server (\\w+) ready' } }), SERVER, SOURCE, new AbortController().signal);
    expect(r.data!.map((d) => d.command)).to.deep.equal(['LIST', 'RETR', 'STOR']);
    expect(r.data![2]!.error!.code).to.match(/^(ECONNRESET|FTP_426)$/);
    expect(r.error).to.deep.equal(r.data![2]!.error);
  });
});
