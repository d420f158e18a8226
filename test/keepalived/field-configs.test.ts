/**
 * keepalived.conf files as operators write them, which keepalived -t accepts and the parser once
 * refused or misread: each is read as keepalived reads it (lib/parser.c, check_parser.c,
 * check_data.c), and where Debian's keepalived is installed it must accept the fixture too.
 */
import { expect } from 'chai';
import { isHarnessError } from '../../src/core/errors.js';
import { parseKeepalivedFile } from '../../src/director/keepalived/parse-keepalived.js';
import { keepalivedDirectorConfig } from '../../src/director/keepalived/to-director-config.js';
import { parseIpvsadmSave } from '../../src/lab/ipvsadm-save.js';
import { keepalivedAvailable, keepalivedTest } from './keepalived-binary.js';

const FIELD = 'test/fixtures/keepalived/field';

function accepted(file: string): void {
  if (keepalivedAvailable()) expect(keepalivedTest(file)).to.deep.equal({ status: 0, lines: [] });
}

function thrown(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return e;
  }
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

  it('refuses NAT port mapping at the real_server, as it refuses it in an ipvsadm dump, instead of moving the server to the service port', async () => {
    const file = `${FIELD}/nat-port.conf`;
    const config = await parseKeepalivedFile(file);
    // keepalived's view keeps the port it programs; only the labs' tables cannot hold it.
    expect(config.virtualServers[0]!.realServers.map((rs) => rs.port)).to.deep.equal([8080, 9999]);
    const err = thrown(() => keepalivedDirectorConfig(config.virtualServers));
    const dump = thrown(() => parseIpvsadmSave('-A -t 127.0.0.100:8080 -s rr\n-a -t 127.0.0.100:8080 -r 127.0.1.2:9999 -m -w 1\n', 'dump'));
    expect(isHarnessError(err) && isHarnessError(dump), String(err)).to.equal(true);
    if (!isHarnessError(err) || !isHarnessError(dump)) return;
    expect(err.message).to.match(/nat-port\.conf:9:5: real_server 127\.0\.1\.2 9999: expected the real server port to be 0 or the service port 8080 .*no port mapping/);
    expect([err.code, err.exitCode]).to.deep.equal([dump.code, dump.exitCode]);
    accepted(file);
    // The same server on the service's port is what the labs run.
    const samePort = await parseKeepalivedFile(file).then((c) => {
      c.virtualServers[0]!.realServers[1]!.port = 8080;
      return keepalivedDirectorConfig(c.virtualServers);
    });
    expect(samePort.services[0]!.realServers.map((rs) => rs.address)).to.deep.equal(['127.0.1.1', '127.0.1.2']);
  });
});
