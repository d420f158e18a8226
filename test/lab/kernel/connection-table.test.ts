import { expect } from 'chai';
import { crossCheck, parseConnectionTable } from '../../../src/lab/kernel/connection-table.js';
import type { Observation } from '../../../src/model/observation.js';

const TABLE = [
  'IPVS connection entries',
  'pro expire state       source             virtual            destination',
  'TCP 16:39  ASSURED     10.0.0.5:0         100.64.0.100:0     100.64.1.2:0',
  'TCP 01:59  FIN_WAIT    10.0.0.5:40001     100.64.0.100:8080  100.64.1.2:8080',
  'TCP 01:59  FIN_WAIT    10.0.0.6:40002     100.64.0.100:8080  100.64.1.1:8080',
  'IP  05:59  NONE        10.0.0.7:0         0.0.0.1:0          100.64.1.1:0',
].join('\n');

function obs(address: string, port: number | null, realServer: string): Observation {
  return {
    seq: 0, round: 0, probe: 'http', protocol: 'http', client: { address, port }, target: { address: '100.64.0.100', port: 8080 },
    realServer, startMs: 0, endMs: 1, timings: { connectMs: 1, firstByteMs: 1, totalMs: 1 }, requests: 1,
    bytes: { sent: 1, received: 1 }, status: 200, error: null,
  };
}

describe('kernel lab: connection table cross-check', () => {
  it('parses entries, templates included', () => {
    const entries = parseConnectionTable(TABLE);
    expect(entries).to.have.length(4);
    expect(entries[3]).to.deep.equal({ protocol: 'IP', state: 'NONE', source: '10.0.0.7:0', virtual: '0.0.0.1:0', destination: '100.64.1.1:0' });
  });

  it('counts agreement, disagreement and expired entries by client address and port', () => {
    const names: Record<string, string> = { '100.64.1.1': 'web1', '100.64.1.2': 'web2' };
    const check = crossCheck(
      [obs('10.0.0.5', 40001, 'web2'), obs('10.0.0.6', 40002, 'web2'), obs('10.0.0.8', 40003, 'web1'), obs('10.0.0.9', null, 'web1')],
      parseConnectionTable(TABLE),
      (a) => names[a] ?? a,
    );
    expect(check).to.deep.equal({
      agreed: 1,
      disagreed: 1,
      missing: 1,
      withoutPort: 1,
      examples: [{ client: '10.0.0.6:40002', observed: 'web2', table: 'web1' }],
    });
  });
});
