import { expect } from 'chai';
import type http from 'node:http';
import { autoWarmUp } from '../../src/bench/auto-tune.js';
import { WARM_UP_REQUESTS, warmUp } from '../../src/bench/warm-up.js';
import { benchCommand } from '../../src/cli/bench-command.js';
import { close, httpServer, sink } from './helpers.js';

describe('bench JIT warm-up', function () {
  this.timeout(30000);

  it('drives the engine through its own responder', async () => {
    expect(await warmUp({ concurrency: 10 })).to.include({ done: WARM_UP_REQUESTS, good: WARM_UP_REQUESTS, bad: 0 });
  });

  it('stops at once with the run\'s signal', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await warmUp({ concurrency: 10, signal: ac.signal })).to.include({ done: 0 });
  });

  it('is on for connection-per-request runs of 5000+ requests per thread', () => {
    expect(autoWarmUp({ requests: 20000, concurrency: 10 }, 2)).to.equal(true);
    expect(autoWarmUp({ requests: 9999, concurrency: 10 }, 2)).to.equal(false);
    expect(autoWarmUp({ requests: 20000, concurrency: 10, keepAlive: true }, 1)).to.equal(false);
    expect(autoWarmUp({ requests: 20000, concurrency: 10, rate: 500 }, 1)).to.equal(false);
  });

  it('sends the target only the counted requests', async () => {
    let seen = 0;
    const { server, url }: { server: http.Server; url: string } = await httpServer((_req, res) => {
      seen++;
      res.end('counted\n');
    });
    try {
      const stdout = sink();
      const code = await benchCommand(['-q', '--workers', '1', '-n', '5000', '-c', '4', url], { stdout, stderr: sink(), signal: new AbortController().signal });
      expect(code).to.equal(0);
      expect(stdout.text()).to.match(/^Complete requests: {6}5000$/m);
      expect(seen).to.equal(5000);
    } finally {
      await close(server);
    }
  });
});
