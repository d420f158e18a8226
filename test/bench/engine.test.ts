import { expect } from 'chai';
import { execFile } from 'node:child_process';
import type http from 'node:http';
import type net from 'node:net';
import { runBench, runBenchDetailed } from '../../src/bench/engine.js';
import { decodeHistogram, mergeEncoded } from '../../src/bench/histograms.js';
import { close, closedPort, httpServer, tcpServer } from './helpers.js';

describe('bench engine on loopback servers', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => close(s)));
  });
  const serve = async (handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void): Promise<string> => {
    const { server, url } = await httpServer(handler);
    servers.push(server);
    return url;
  };

  it('counts like ab and attributes requests to the server named by X-Real-Server', async () => {
    const url = await serve((_req, res, n) => {
      res.setHeader('X-Real-Server', n % 3 === 0 ? 'rs-a' : 'rs-b');
      res.end('hello world\n');
    });
    const r = await runBench({ url, requests: 300, concurrency: 5 });
    expect(r.counts.done).to.equal(300);
    expect(r.counts.bad).to.equal(0);
    expect(r.documentLength).to.equal(12);
    expect(r.bytes.htmlRead).to.equal(300 * 12);
    expect(r.bytes.totalRead % 300).to.equal(0);
    expect(r.servers.map((s) => [s.name, s.requests])).to.deep.equal([['rs-a', 100], ['rs-b', 200]]);
    expect(r.servers[0]?.total.p99).to.be.greaterThan(0);
    expect(r.ab?.percentiles).to.have.length(9);
    expect(r.statusCodes).to.deep.equal({ 200: 300 });
    expect(JSON.parse(JSON.stringify(r))).to.deep.equal(r); // JSON-safe
    expect(decodeHistogram(r.histograms.total).totalCount).to.equal(300);
    expect(mergeEncoded([r.histograms.total, r.histograms.total]).totalCount).to.equal(600);
  });

  it('sends exactly ab\'s request', async () => {
    let seen = '';
    const { server, url } = await tcpServer((s) => {
      s.once('data', (d) => {
        seen = d.toString('latin1');
        s.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
    });
    servers.push(server);
    await runBench({ url: `${url}x?y=1`, requests: 1, concurrency: 1, keepAlive: true, headers: ['X-A: 1', 'Accept: text/html'] });
    const port = new URL(url).port;
    expect(seen).to.equal(`GET /x?y=1 HTTP/1.0\r\nConnection: Keep-Alive\r\nX-A: 1\r\nAccept: text/html\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: ApacheBench/2.3\r\n\r\n`);
  });

  it('identifies servers from the body with --identify-body', async () => {
    const url = await serve((_req, res, n) => res.end(`<p>served by web${n % 2}</p>`));
    const r = await runBench({ url, requests: 20, concurrency: 2, identifyBodyRegex: /served by (\w+)/ });
    expect(r.servers.map((s) => [s.name, s.requests])).to.deep.equal([['web0', 10], ['web1', 10]]);
  });

  it('takes Document Length from the first response and counts later lengths as Length failures', async () => {
    const url = await serve((_req, res, n) => res.end(n === 0 ? 'fourteen bytes' : 'twelve bytes'));
    const r = await runBench({ url, requests: 60, concurrency: 1 });
    expect(r.documentLength).to.equal(14);
    expect(r.counts.done).to.equal(60);
    expect(r.counts.bad).to.equal(59);
    expect(r.counts.errLength).to.equal(59);
    const variable = await runBench({ url, requests: 20, concurrency: 2, variableLength: true });
    expect(variable.counts.bad).to.equal(0);
  });

  it('counts non-2xx separately from Failed requests', async () => {
    const url = await serve((_req, res, n) => {
      res.statusCode = n % 2 ? 503 : 200;
      res.end('same');
    });
    const r = await runBench({ url, requests: 40, concurrency: 4 });
    expect(r.counts.errResponse).to.equal(20);
    expect(r.counts.bad).to.equal(0);
    expect(r.statusCodes).to.deep.equal({ 200: 20, 503: 20 });
  });

  it('reuses connections with -k when the response says Keep-Alive', async () => {
    const peers = new Set<string>();
    const url = await serve((req, res) => {
      peers.add(`${req.socket.remotePort}`);
      res.setHeader('Content-Length', '5');
      res.end('hello');
    });
    const r = await runBench({ url, requests: 200, concurrency: 4, keepAlive: true });
    expect(r.counts.done).to.equal(200);
    expect(r.counts.doneKeepAlive).to.equal(200);
    expect(r.counts.bad).to.equal(0);
    expect(peers.size).to.be.at.most(4);
  });

  it('aborts on a reset without -r and counts Receive/Length/Exceptions like ab with -r', async () => {
    let n = 0;
    const { server, url } = await tcpServer((s) => {
      s.once('data', () => {
        if (n++ % 2 === 0) s.end('HTTP/1.0 200 OK\r\n\r\nbody');
        else s.resetAndDestroy();
      });
    });
    servers.push(server);
    const strict = await runBench({ url, requests: 10, concurrency: 1 });
    expect(strict.aborted?.kind).to.equal('receive-error');
    expect(strict.aborted && 'message' in strict.aborted ? strict.aborted.message : '').to.match(/Connection reset by peer \(104\)/);
    n = 0;
    const lenient = await runBench({ url, requests: 10, concurrency: 1, continueOnReceiveError: true });
    expect(lenient.aborted).to.equal(null);
    expect(lenient.counts.done).to.equal(10);
    // Same numbers as ab 2.4.71 -r on this server: "Failed requests: 14 (Connect: 0, Receive: 5,
    // Length: 4, Exceptions: 5)" and "Document Length: 0 bytes" (a failure while good == 1 resets doclen).
    expect(lenient.counts.errReceive).to.equal(5);
    expect(lenient.counts.errLength).to.equal(4);
    expect(lenient.counts.errExcept).to.equal(5);
    expect(lenient.counts.bad).to.equal(14);
    expect(lenient.documentLength).to.equal(0);
  });

  it('ends a run when the server never answers (-s), or counts per-request timeouts with -r', async () => {
    const { server, url, sockets } = await tcpServer(() => undefined);
    servers.push(server);
    const t0 = Date.now();
    const r = await runBench({ url, requests: 3, concurrency: 1, timeoutSec: 0.3 });
    expect(r.aborted?.kind).to.equal('timeout');
    expect(Date.now() - t0).to.be.below(3000);
    const lenient = await runBench({ url, requests: 2, concurrency: 2, timeoutSec: 0.2, continueOnReceiveError: true });
    expect(lenient.counts.errReceive).to.equal(2);
    expect(lenient.counts.done).to.equal(2);
    for (const s of sockets) s.destroy();
  });

  it('gives up after ab\'s 10 connect failures when nothing listens', async () => {
    const port = await closedPort();
    const r = await runBench({ url: `http://127.0.0.1:${port}/`, requests: 5, concurrency: 1 });
    expect(r.aborted?.kind).to.equal('connect-failures');
    expect(r.counts.done).to.equal(0);
    expect(r.counts.errConnect).to.equal(12);
  });

  it('stops on the AbortSignal and reports what completed', async () => {
    const url = await serve((_req, res) => setTimeout(() => res.end('slow'), 20));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const r = await runBench({ url, requests: 10000, concurrency: 2, signal: ac.signal });
    expect(r.aborted).to.deep.equal({ kind: 'signal' });
    expect(r.counts.done).to.be.greaterThan(2).and.below(10000);
    expect(r.timeTakenSec).to.be.within(0.1, 2);
  });

  it('binds new connections to --sources round-robin', async function () {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(req.socket.remoteAddress ?? '');
      res.end('x');
    });
    const r = await runBench({ url, requests: 6, concurrency: 1, sources: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] });
    expect(r.counts.done).to.equal(6);
    expect(seen.map((a) => a.replace('::ffff:', ''))).to.deep.equal(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.2', '127.0.0.3', '127.0.0.4']);
  });

  it('paces requests with --rate and measures from the intended send time', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const t0 = Date.now();
    const r = await runBench({ url, requests: 50, concurrency: 5, rate: 250 });
    const elapsed = Date.now() - t0;
    expect(r.counts.done).to.equal(50);
    expect(elapsed).to.be.within(150, 1500); // 50 requests at 250/s ≈ 200 ms
    expect(r.rate).to.equal(250);
  });

  it('busy-polls through a slow response only while the run lasts', async () => {
    // Content-Length lets Node keep an HTTP/1.0 connection alive.
    const url = await serve((_req, res) => setTimeout(() => res.setHeader('Content-Length', 5).end('slow\n'), 40));
    // CPU time of this process over wall time: near 1 while the loop spins, near 0 while it sleeps.
    const busyShare = async (work: () => Promise<unknown>): Promise<number> => {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      await work();
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / 1000 / (performance.now() - t0);
    };
    // The first run pays for compiling the engine's paths: CPU that is neither sleeping nor polling.
    await runBench({ url, requests: 4, concurrency: 1, keepAlive: true });
    const sleeping = await busyShare(() => runBench({ url, requests: 4, concurrency: 1, keepAlive: true }));
    let counts: unknown;
    const polling = await busyShare(async () => {
      counts = (await runBench({ url, requests: 4, concurrency: 1, keepAlive: true, busyPoll: true })).counts;
    });
    const after = await busyShare(() => new Promise((resolve) => setTimeout(resolve, 100)));
    expect(counts).to.include({ done: 4, good: 4, bad: 0, doneKeepAlive: 4 });
    // Compared with each other, not with fixed shares: on a machine busy with other work the spinning
    // thread gets less than a core, but still many times the CPU of a sleeping one.
    expect(polling, `CPU share while busy polling, against ${sleeping.toFixed(3)} sleeping`).to.be.above(3 * sleeping);
    expect(after, `CPU share once the run is over, against ${polling.toFixed(3)} polling`).to.be.below(polling / 4);
  });

  it('posts a body and counts header+body in Total body sent', async () => {
    const bodies: string[] = [];
    const url = await serve((req, res) => {
      let b = '';
      req.on('data', (d: Buffer) => (b += d.toString()));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.headers['content-type']} ${b}`);
        res.end('ok');
      });
    });
    const { result, records } = await runBenchDetailed({ url, requests: 4, concurrency: 1, body: Buffer.from('a=1'), contentType: 'application/x-www-form-urlencoded' });
    expect(bodies).to.deep.equal(Array(4).fill('POST application/x-www-form-urlencoded a=1'));
    expect(result.sendBody).to.equal(true);
    expect(result.bytes.totalPosted % 4).to.equal(0);
    expect(records.length).to.equal(4);
  });
});

describe('bench engine on net.Socket (LVS_HARNESS_NET_SOCKETS=1, the fallback of raw-tcp.ts)', () => {
  it('gives the same counts through the command line', async function () {
    this.timeout(30000);
    const { server, url } = await httpServer((_req, res, n) => {
      res.setHeader('X-Real-Server', n % 2 ? 'rs-b' : 'rs-a');
      res.end('hello world\n');
    });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/cli/bin.ts', 'bench', '-q', '-n', '200', '-c', '4', url],
          { env: { ...process.env, LVS_HARNESS_NET_SOCKETS: '1' } },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        );
      });
      expect(out).to.match(/^Complete requests: +200$/m);
      expect(out).to.match(/^Failed requests: +0$/m);
      expect(out).to.match(/^rs-a +100 /m);
    } finally {
      await close(server);
    }
  });
});
