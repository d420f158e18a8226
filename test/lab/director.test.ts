/**
 * The director's relaying, against plain TCP real servers on loopback: bytes both ways under
 * backpressure, half-close, resets relayed as resets, the client's address seen by the real server.
 * It runs on the raw handles (raw-splice.ts) and, in a child mocha, again on the net.Socket fallback.
 * This file's ports: 18300-18399.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { startDirector, type RunningDirector } from '../../src/lab/sim/director.js';
import { IpvsTable } from '../../src/lab/sim/ipvs-table.js';
import { A, tcpService, VIP } from './helpers.js';

const FALLBACK = process.env.LVS_HARNESS_NET_SOCKETS === '1';
/** The child mocha (FALLBACK) runs while this one still listens: another port. */
const PORT = FALLBACK ? 18302 : 18301;
const CLIENT = '127.0.4.1';

/** Connects to the VIP from CLIENT; resolves once connected. */
function dial(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: VIP, port: PORT, localAddress: CLIENT, allowHalfOpen: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the socket receives until its FIN, or the error that ended it. */
function received(socket: Socket): Promise<{ bytes: Buffer; error: string | null }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('end', () => resolve({ bytes: Buffer.concat(chunks), error: null }));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ bytes: Buffer.concat(chunks), error: err.code ?? err.message }));
  });
}

const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe(`director relaying on ${FALLBACK ? 'net.Socket (the fallback)' : 'raw libuv handles'}`, function () {
  this.timeout(10_000);
  let server: Server;
  let director: RunningDirector;
  let table: IpvsTable;
  /** What the real server does with each accepted connection (set per test). */
  let onAccept: (socket: Socket) => void = () => undefined;

  before(async () => {
    server = createServer({ allowHalfOpen: true }, (socket) => onAccept(socket));
    await new Promise<void>((resolve) => server.listen(PORT, A.address, resolve));
    const config = { services: [tcpService({ port: PORT, scheduler: 'rr', forward: 'masq', realServers: [A] })], fwmarkRules: [] };
    table = IpvsTable.fromConfig(config);
    director = await startDirector(config, table, []);
  });
  after(async () => {
    await director.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('relays megabytes both ways byte for byte, and the real server sees the client address', async () => {
    const up = Buffer.alloc(3 << 20, 'u');
    up.write('first', 0);
    const down = Buffer.alloc(5 << 20, 'd');
    down.write('last', down.length - 4);
    let seenFrom = '';
    const serverGot = new Promise<Buffer>((resolve) => {
      onAccept = (socket) => {
        seenFrom = socket.remoteAddress ?? '';
        void received(socket).then((r) => resolve(r.bytes));
        socket.end(down);
      };
    });
    const client = await dial();
    const clientGot = received(client);
    client.end(up);
    expect(digest(await serverGot)).to.equal(digest(up));
    const got = await clientGot;
    expect(got.error).to.equal(null);
    expect(digest(got.bytes)).to.equal(digest(down));
    expect(seenFrom).to.equal(CLIENT);
  });

  it('keeps the other direction open after a half-close by the client', async () => {
    onAccept = (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      // The answer is written only after the client's FIN arrived, then the server closes.
      socket.once('end', () => socket.end(`got ${Buffer.concat(chunks).toString()}`));
    };
    const client = await dial();
    const answer = received(client);
    client.end('question');
    expect(await answer).to.deep.equal({ bytes: Buffer.from('got question'), error: null });
  });

  it('relays a real server reset as a reset, and lists the entry as CLOSE', async () => {
    onAccept = (socket) => socket.once('data', () => socket.resetAndDestroy());
    const client = await dial();
    const result = received(client);
    client.write('hello');
    expect((await result).error).to.equal('ECONNRESET');
    expect(table.state().entries.filter((e) => e.source.startsWith(CLIENT)).at(-1)?.state).to.equal('CLOSE');
  });

  it('relays a client reset to the real server as a reset', async () => {
    const serverResult = new Promise<string | null>((resolve) => {
      onAccept = (socket) => {
        void received(socket).then((r) => resolve(r.error));
        socket.once('data', () => client.resetAndDestroy());
      };
    });
    const client = await dial();
    client.on('error', () => undefined);
    client.write('hello');
    expect(await serverResult).to.equal('ECONNRESET');
  });

  if (!FALLBACK) {
    it('passes the same tests on the net.Socket fallback (LVS_HARNESS_NET_SOCKETS=1)', async function () {
      this.timeout(60_000);
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'node_modules/mocha/bin/mocha.js', '--no-config', '--exit', '--reporter', 'dot', 'test/lab/director.test.ts'],
          { env: { ...process.env, LVS_HARNESS_NET_SOCKETS: '1' } },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
        );
      });
      expect(out).to.match(/4 passing/);
    });
  }
});
