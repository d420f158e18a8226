import { expect } from 'chai';
import { formatServerTable } from '../../src/bench/server-table.js';
import type { LatencySummary, ServerAggregate } from '../../src/bench/types.js';

const ms = (p50: number, p99: number, mean = p50): LatencySummary => ({ count: 1, mean, p50, p90: p99, p99, max: p99 });
const none: LatencySummary = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };

describe('per-real-server table', () => {
  it('gives each server its share next to the expected one, and its connect, first-byte and total latency', () => {
    const servers: ServerAggregate[] = [
      { name: 'web1', requests: 750, errors: 0, connect: ms(0.081, 0.312), firstByte: ms(0.29, 1.13), total: ms(0.372, 2.627, 0.476) },
      { name: 'web2', requests: 250, errors: 3, connect: ms(0.1, 0.4), firstByte: ms(0.3, 1.2), total: ms(0.4, 2.7, 0.5) },
      { name: '(no response)', requests: 2, errors: 2, connect: ms(0.1, 0.1), firstByte: none, total: ms(1, 1) },
    ];
    expect(formatServerTable(servers, { web1: 3, web2: 1, web3: 0 }).split('\n')).to.deep.equal([
      'Per real server (ms, p50/p99 and mean; connect and first byte from the start of the connection, total to its last byte)',
      'Real server    Requests  Share  Expected      Connect   First byte        Total  Total mean  Errors',
      'web1                750  74.9%     75.0%  0.081/0.312  0.290/1.130  0.372/2.627       0.476       0',
      'web2                250  25.0%     25.0%  0.100/0.400  0.300/1.200  0.400/2.700       0.500       3',
      '(no response)         2   0.2%         -  0.100/0.100            -  1.000/1.000       1.000       2',
      'web3                  0   0.0%      0.0%            -            -            -           -       0',
      '',
    ]);
  });

  it('leaves out the Expected column without expected shares, and prints nothing for no servers', () => {
    const one: ServerAggregate = { name: 'rs', requests: 1, errors: 0, connect: ms(1, 1), firstByte: ms(2, 2), total: ms(3, 3) };
    expect(formatServerTable([one]).split('\n')[1]).to.equal('Real server  Requests   Share      Connect   First byte        Total  Total mean  Errors');
    expect(formatServerTable([])).to.equal('');
  });
});
