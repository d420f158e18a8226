/**
 * A client that comes back at the persistence timeout's edge: the director saw its SYN some time
 * after the client sent it, so a switch is a violation only when the template certainly still lived
 * then (the return connected before the previous start plus the timeout). Seen in a 1,000,000-
 * connection run: two clients back 999.9 s after their previous connection, under a 1,000 s timeout,
 * on a machine so loaded that connects took over 100 ms.
 */
import { expect } from 'chai';
import { analyseStickiness } from '../../src/analysis/stickiness.js';
import type { Observation } from '../../src/model/observation.js';

const TIMEOUT_MS = 1_000_000;

function connection(seq: number, startMs: number, connectMs: number | null, realServer: string): Observation {
  return {
    seq, round: 0, probe: 'http', protocol: 'http', client: { address: '127.0.7.1', port: 40000 + seq },
    target: { address: '127.0.0.151', port: 8080 }, realServer, startMs, endMs: startMs + 50,
    timings: { connectMs, firstByteMs: null, totalMs: 50 }, requests: 1, bytes: { sent: 10, received: 10 }, status: 200, error: null,
  };
}

function judge(second: Observation) {
  return analyseStickiness([connection(0, 0, 1, 'web1'), second], (o) => o.client.address, TIMEOUT_MS);
}

describe('stickiness at the persistence timeout', () => {
  it('fails a switch whose connection reached the director before the template could expire', () => {
    const r = judge(connection(1, TIMEOUT_MS - 100, 10, 'web2'));
    expect(r.violatedKeys).to.equal(1);
    expect(r.expiredCount).to.equal(0);
  });

  it('allows a switch sent inside the timeout but connected after it: the director may have seen it late', () => {
    const r = judge(connection(1, TIMEOUT_MS - 100, 150, 'web2'));
    expect(r.violatedKeys).to.equal(0);
    expect(r.expiredCount).to.equal(1);
  });

  it('without a connect time, bounds the arrival by the connection end', () => {
    expect(judge(connection(1, TIMEOUT_MS - 50, null, 'web2')).violatedKeys).to.equal(1);
    expect(judge(connection(1, TIMEOUT_MS - 49, null, 'web2')).expiredCount).to.equal(1);
  });

  it('counts a stay at the edge as shown stickiness only when the template certainly lived', () => {
    expect(judge(connection(1, TIMEOUT_MS - 100, 10, 'web1')).longestStayMs).to.equal(TIMEOUT_MS - 150);
    expect(judge(connection(1, TIMEOUT_MS - 100, 150, 'web1')).longestStayMs).to.equal(0);
  });
});
