import { expect } from 'chai';
import type { Observation } from '../../src/model/observation.js';
import { SummaryTally } from '../../src/runner/summarise.js';

function obs(seq: number, round: number, startMs: number, endMs: number, realServer: string | null, error: string | null = null): Observation {
  return {
    seq,
    round,
    probe: 'web',
    protocol: 'http',
    client: { address: `127.0.0.${2 + (seq % 2)}`, port: 40000 + seq },
    target: { address: '127.0.0.100', port: 8080 },
    realServer,
    startMs,
    endMs,
    timings: { connectMs: 1, firstByteMs: 2, totalMs: endMs - startMs },
    requests: 1,
    bytes: { sent: 10, received: 20 },
    status: error ? null : 200,
    error: error ? { code: error, message: error } : null,
  };
}

describe('summarise', () => {
  it('counts per server, client and reason, and rates over busy time without the pauses', () => {
    const tally = new SummaryTally();
    for (const o of [obs(0, 0, 0, 100, 'web1'), obs(1, 0, 100, 200, 'web2'), obs(2, 1, 5000, 5100, 'web1'), obs(3, 1, 5100, 5200, null, 'ECONNRESET')]) tally.add(o);
    const s = tally.summary();
    expect(s).to.deep.include({ connections: 4, failed: 1, clients: 2, errors: { ECONNRESET: 1 } });
    expect(s.byRealServer).to.deep.equal({ web1: 2, web2: 1, '(unknown)': 1 });
    expect(s.byClient['127.0.0.2']).to.deep.equal({ web1: 2 });
    // Two rounds of 200 ms busy each: 4 connections in 0.4 s, the 4.8 s pause left out.
    expect(s.byProbe.web).to.deep.equal({ protocol: 'http', connections: 4, failed: 1, perSecond: 10 });
  });
});
