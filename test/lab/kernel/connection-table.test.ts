import { expect } from 'chai';
import connections from '../../../plugins/connections.js';
import { crossCheck, parseConnectionTable } from '../../../src/lab/kernel/connection-table.js';
import type { LabSnapshot } from '../../../src/lab/lab.js';
import type { DataConnection, Observation } from '../../../src/model/observation.js';
import { suiteView } from '../../../src/runner/run-suite.js';

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

  it('checks FTP data connections too, an active one under VIP:20', () => {
    const table = parseConnectionTable(
      [
        'TCP 01:59  FIN_WAIT    10.0.4.1:40010     100.64.0.130:2121  100.64.1.31:2121',
        'TCP 01:59  FIN_WAIT    10.0.4.1:40011     100.64.0.130:10005 100.64.1.31:10005',
        'TCP 01:59  FIN_WAIT    10.0.4.1:40012     100.64.0.130:20    100.64.1.32:20',
      ].join('\n'),
    );
    const data = (port: number, server: [string, number]): DataConnection => ({
      command: 'LIST', mode: 'passive', client: { address: '10.0.4.1', port }, server: { address: server[0], port: server[1] },
      realServer: 'ftp1', identifiedBy: 'reply', bytes: 1, startMs: 0, endMs: 1, error: null,
    });
    const session = { ...obs('10.0.4.1', 40010, 'ftp1'), target: { address: '100.64.0.130', port: 2121 }, data: [data(40011, ['100.64.0.130', 10005]), data(40012, ['100.64.0.130', 20])] };
    const check = crossCheck([session], table, (a) => (a === '100.64.1.31' ? 'ftp1' : 'ftp2'));
    expect(check).to.include({ agreed: 2, disagreed: 1, missing: 0 });
    expect(check.examples).to.deep.equal([{ client: '10.0.4.1:40012', observed: 'ftp1', table: 'ftp2' }]);
  });

  it('fails the connections check on a disagreement with the director, naming the connection', async () => {
    const connectionTable = crossCheck([obs('10.0.0.6', 40002, 'web2')], parseConnectionTable(TABLE), (a) => (a === '100.64.1.1' ? 'web1' : 'web2'));
    const lab: LabSnapshot = { kind: 'kernel', listing: '', connections: TABLE, connectionTable, history: [] };
    const view = suiteView({ file: 's.yaml', name: 's', sources: ['10.0.0.6'], checks: [], spec: { vip: '100.64.0.100', service: {}, probes: [], traffic: {} } } as never, "kernel");
    const verdict = await connections.create({ maxFailed: 0 }, view).verdict({ suite: view, observations: [obs('10.0.0.6', 40002, 'web2')], lab });
    expect(verdict.pass).to.equal(false);
    expect(verdict.seen).to.equal("0 of 1 failed; director's connection table: 0 agree, 1 disagree");
    expect(verdict.examples).to.deep.equal([{ client: '10.0.0.6:40002', detail: "named web2, but the director's table sent it to web1" }]);
  });
});
