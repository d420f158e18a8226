/**
 * Real-format director output that stopped live runs (review of the live-director reading path):
 * every state name of the kernel's state tables, u64 counters as ipvsadm's print_largenum prints
 * them, est_cpulist's cpulist, mixed-family tunnel servers, and the connection table's size. The
 * fixtures in test/fixtures/director/field follow the kernel's and ipvsadm 1.31's print formats.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isHarnessError } from '../../src/core/errors.js';
import { parseDirectorText } from '../../src/director/parse/index.js';

const DIR = 'test/fixtures/director/field';
const fixture = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isHarnessError(e)) return e.message;
    throw e;
  }
  throw new Error('no error');
}

const LCN_HEAD = 'IPVS connection entries\npro expire state       source             virtual            destination\n';

describe('director parsers: real-format output of the field', () => {
  it('reads every SCTP state of sctp_state_name_table, TCP\'s SYNACK and LAST_ACK, and a template\'s ASSURED, from -Lcn and /proc/net/ip_vs_conn', () => {
    const sctp = ['NONE', 'INIT1', 'INIT', 'C-SENT', 'C-REPLIED', 'C-WAIT', 'COOKIE', 'C-ECHOED', 'ESTABLISHED', 'S-SENT', 'S-RECEIVED', 'S-ACK-SENT', 'REJECTED', 'CLOSED'];
    const listed = parseDirectorText(fixture('ipvsadm-Lcn-sctp.txt'), 'lcn').connections!;
    expect(listed.map((c) => c.state)).to.deep.equal([...sctp, 'ASSURED', 'SYN_RECV', 'SYNACK', 'LAST_ACK']);
    expect(listed[14]).to.deep.include({ protocol: 'SCTP', template: true });
    expect(listed[15]).to.deep.include({ client: { address: '2001:db8::9', port: 4444 }, destination: { address: '10.0.1.1', port: 80 } });
    const proc = parseDirectorText(fixture('proc-net-ip_vs_conn-sctp.txt'), 'conn').connections!;
    expect(proc.map((c) => c.state)).to.deep.equal(sctp);
    expect(proc[3]).to.deep.include({ protocol: 'SCTP', state: 'C-SENT', expiresSeconds: 60, client: { address: '10.9.0.8', port: 40003 } });
  });

  it("refuses a state the kernel does not print for the entry's protocol, and the kernel's fault markers", () => {
    for (const [protocol, state] of [['TCP', 'C-SENT'], ['SCTP', 'SYN_RECV'], ['UDP', 'ESTABLISHED'], ['IP', 'UDP'], ['TCP', 'ERR!'], ['SCTP', 'BUG!'], ['TCP', 'ESTABLISHE'], ['TCP', 'established']]) {
      const line = `${protocol!.padEnd(3)} 00:59  ${state!.padEnd(11)} 10.9.0.5:40000     10.0.0.100:80      10.0.1.1:80\n`;
      expect(errorOf(() => parseDirectorText(LCN_HEAD + line, 'c')), `${protocol} ${state}`).to.match(new RegExp(`^c:3: .*expected a ${protocol} connection state as the kernel names it \\(.*\\), not ${state!.replace(/[!]/g, '\\$&')}$`));
    }
  });
});
