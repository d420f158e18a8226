/**
 * keepalived.conf files as operators write them, which keepalived -t accepts and the parser once
 * refused or misread: each is read as keepalived reads it (lib/parser.c, check_parser.c,
 * check_data.c), and where Debian's keepalived is installed it must accept the fixture too.
 */
import { expect } from 'chai';
import { parseKeepalivedFile } from '../../src/director/keepalived/parse-keepalived.js';
import { keepalivedDirectorConfig } from '../../src/director/keepalived/to-director-config.js';
import { keepalivedAvailable, keepalivedTest } from './keepalived-binary.js';

const FIELD = 'test/fixtures/keepalived/field';

function accepted(file: string): void {
  if (keepalivedAvailable()) expect(keepalivedTest(file)).to.deep.equal({ status: 0, lines: [] });
}

describe('keepalived.conf as operators write it', () => {
  it('ends a line at a comment glued to a value (weight 3# primary), not inside quotes', async () => {
    const file = `${FIELD}/glued-comment.conf`;
    const [vs] = (await parseKeepalivedFile(file)).virtualServers;
    expect(vs).to.deep.include({ scheduler: 'rr', virtualhost: 'www.example.test#1' });
    expect(vs!.realServers.map((rs) => [rs.address, rs.weight])).to.deep.equal([
      ['127.0.1.1', 3],
      ['127.0.1.2', 1],
    ]);
    accepted(file);
  });

  it("applies a virtual server's weight to its real servers that set none, as keepalived programs them", async () => {
    const file = `${FIELD}/vs-weight.conf`;
    const config = await parseKeepalivedFile(file);
    const [service] = keepalivedDirectorConfig(config.virtualServers).services;
    expect(service!.realServers.map((rs) => [rs.address, rs.weight])).to.deep.equal([
      ['127.0.1.1', 5],
      ['127.0.1.2', 10],
      ['127.0.1.3', 0],
    ]);
    accepted(file);
  });
});
