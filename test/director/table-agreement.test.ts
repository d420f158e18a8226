import { expect } from 'chai';
import connections from '../../plugins/connections.js';
import type { DirectorSnapshot } from '../../src/director/model.js';
import { legsOf, tableAgreement as crossCheck } from '../../src/director/table-agreement.js';
import { parseDirectorText } from '../../src/director/parse/index.js';
import type { DataConnection, Observation } from '../../src/model/observation.js';
import { suiteView } from '../../src/runner/run-suite.js';
import { judge } from '../helpers/judge.js';

const TITLES = ['IPVS connection entries', 'pro expire state       source             virtual            destination'];
const TABLE = [
  ...TITLES,
  'TCP 16:39  ASSURED     10.0.0.5:0         100.64.0.100:0     100.64.1.2:0',
  'TCP 01:59  FIN_WAIT    10.0.0.5:40001     100.64.0.100:8080  100.64.1.2:8080',
  'TCP 01:59  FIN_WAIT    10.0.0.6:40002     100.64.0.100:8080  100.64.1.1:8080',
  'IP  05:59  NONE        10.0.0.7:0         0.0.0.1:0          100.64.1.1:0',
].join('\n');

function parseConnectionTable(text: string) {
  return parseDirectorText(text, 'ipvsadm -Lcn', 'ipvsadm-connections').connections!;
}

function obs(address: string, port: number | null, realServer: string): Observation {
  return {
    seq: 0, round: 0, probe: 'http', protocol: 'http', client: { address, port }, target: { address: '100.64.0.100', port: 8080 },
    realServer, startMs: 0, endMs: 1, timings: { connectMs: 1, firstByteMs: 1, totalMs: 1 }, requests: 1,
    bytes: { sent: 1, received: 1 }, status: 200, error: null,
  };
}

describe("observed connections against the director's connection table", () => {
  it("reads the kernel's -Lcn, templates included", () => {
    const entries = parseConnectionTable(TABLE);
    expect(entries).to.have.length(4);
    expect(entries[3]).to.deep.equal({
      protocol: 'IP', state: 'NONE', client: { address: '10.0.0.7', port: 0 }, virtual: { address: '0.0.0.1', port: 0 },
      destination: { address: '100.64.1.1', port: 0 }, expiresSeconds: 359, template: true,
    });
  });

  it('counts agreement, disagreement and expired entries by client address and port', () => {
    const names: Record<string, string> = { '100.64.1.1': 'web1', '100.64.1.2': 'web2' };
    const check = crossCheck(
      [obs('10.0.0.5', 40001, 'web2'), obs('10.0.0.6', 40002, 'web2'), obs('10.0.0.8', 40003, 'web1'), obs('10.0.0.9', null, 'web1')].flatMap(legsOf),
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
        ...TITLES,
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
    const check = crossCheck(legsOf(session), table, (a) => (a === '100.64.1.31' ? 'ftp1' : 'ftp2'));
    expect(check).to.include({ agreed: 2, disagreed: 1, missing: 0 });
    expect(check.examples).to.deep.equal([{ client: '10.0.4.1:40012', observed: 'ftp1', table: 'ftp2' }]);
  });

  it('fails the connections check on a disagreement with the director, naming the connection', async () => {
    const after: DirectorSnapshot = {
      source: { kind: 'kernel', description: 'test' }, readAtMs: 0, config: { services: [], fwmarkRules: [] }, services: null,
      connections: parseConnectionTable(TABLE), totals: null, timeouts: null, sysctls: null, texts: {},
    };
    const service = { persistence: null, realServers: [{ name: 'web1', address: '100.64.1.1', weight: 1 }, { name: 'web2', address: '100.64.1.2', weight: 1 }] };
    const view = suiteView({ file: 's.yaml', name: 's', sources: ['10.0.0.6'], checks: [], spec: { vip: '100.64.0.100', service, probes: [], traffic: {} } } as never, 'kernel');
    const verdict = await judge(connections.create({ maxFailed: 0 }, view), [obs('10.0.0.6', 40002, 'web2')], { suite: view, lab: null, director: { before: null, after } });
    expect(verdict.pass).to.equal(false);
    expect(verdict.seen).to.equal("0 of 1 failed; director's connection table: 0 agree, 1 disagree");
    expect(verdict.examples).to.deep.equal([{ client: '10.0.0.6:40002', detail: "named web2, but the director's table sent it to web1" }]);
  });
});
