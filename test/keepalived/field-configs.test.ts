/**
 * keepalived.conf files as operators write them, which keepalived -t accepts and the parser once
 * refused or misread: each is read as keepalived reads it (lib/parser.c, check_parser.c,
 * check_data.c), and where Debian's keepalived is installed it must accept the fixture too.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { isHarnessError } from '../../src/core/errors.js';
import { parseKeepalivedFile } from '../../src/director/keepalived/parse-keepalived.js';
import { expandBraces } from '../../src/director/keepalived/glob.js';
import { keepalivedDirectorConfig } from '../../src/director/keepalived/to-director-config.js';
import { parseIpvsadmSave } from '../../src/lab/ipvsadm-save.js';
import { readDirectorConfigFile } from '../../src/lab/director-config-file.js';
import { parseBenchArgs } from '../../src/cli/bench-args.js';
import { tempDir } from '../helpers/temp-dir.js';
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

  it('replaces $NAME and ${NAME} as keepalived defines them: multi-line values, values from included files, unknown names left as written', async () => {
    const file = `${FIELD}/definitions.conf`;
    const config = await parseKeepalivedFile(file);
    const [vs] = config.virtualServers;
    expect(vs!.name).to.equal('127.0.0.100 8080');
    expect(vs!.realServers.map((rs) => [rs.address, rs.port, rs.weight])).to.deep.equal([
      ['127.0.1.1', 8080, 2],
      ['127.0.1.2', 8080, 1],
      ['127.0.1.3', 8080, 7],
      ['127.0.1.4', 8080, 1],
    ]);
    // The multi-line $CHECK became the checker block; its lines point at the reference.
    expect(vs!.realServers[0]!.checkers[0]).to.deep.include({ type: 'TCP_CHECK', connectTimeout: 3 });
    expect(vs!.realServers[0]!.checkers[0]!.at).to.deep.include({ file: path.resolve(file), line: 16, column: 9 });
    expect(vs!.virtualhost).to.equal('$NOBODY_DEFINED');
    // An error inside a replaced value points at the reference; one after it at the text.
    expect(vs!.realServers[2]!.at).to.deep.include({ line: 19, column: 5 });
    accepted(file);
  });

  it('refuses what it would have to guess: ~SEQ, $_RANDOM, ${_ENV ...}, a definition that contains itself', async () => {
    const dir = tempDir('lvs-keepalived-defs-');
    const cases: Array<[string, RegExp]> = [
      ['~SEQ(i, 1, 3) real_server 127.0.1.$i 80 {\n', /:1:1: ~SEQ: expected no ~SEQ or ~LST/],
      ['$X=$_RANDOM\nvirtual_server 127.0.0.100 $X {\n', /:2:28: \$_RANDOM: expected no \$_RANDOM: its value is the director's/],
      ['virtual_server 127.0.0.100 ${_ENV PORT} {\n', /:1:28: \$_ENV: expected no \$_ENV/],
      ['$A=x $A\nvirtual_server $A 80 {\n', /:2:16: \$A: expected a definition that does not contain itself/],
    ];
    for (const [text, says] of cases) {
      const file = path.join(dir, 'c.conf');
      writeFileSync(file, text);
      const err = await parseKeepalivedFile(file).catch((e: unknown) => e);
      expect(isHarnessError(err) && err.exitCode, String(err)).to.equal(11);
      expect(String((err as Error).message)).to.match(says);
    }
  });

  it('keeps @ID lines only for the config id given, @^ID lines only for others, and without one names the line and the option', async () => {
    const file = `${FIELD}/config-id.conf`;
    const on = async (configId: string) => (await parseKeepalivedFile(file, { configId })).virtualServers[0]!.realServers.map((rs) => rs.address);
    expect(await on('lvs1')).to.deep.equal(['127.0.1.1', '127.0.1.3']);
    expect(await on('lvs2')).to.deep.equal(['127.0.1.2', '127.0.1.3']);
    const err = await parseKeepalivedFile(file).catch((e: unknown) => e);
    expect(isHarnessError(err), String(err)).to.equal(true);
    if (!isHarnessError(err)) return;
    expect(err.exitCode).to.equal(11);
    expect(err.message).to.match(/config-id\.conf:7:1: @lvs1: expected the director's keepalived config id \(--keepalived-id NAME\)/);
    expect(err.hint).to.match(/--keepalived-id NAME/);
    // --director-config (run, bench) reads it with the same id.
    const director = await readDirectorConfigFile(file, undefined, 'lvs2');
    expect(director.services[0]!.realServers.map((rs) => rs.address)).to.deep.equal(['127.0.1.2', '127.0.1.3']);
    expect((await parseBenchArgs(['--keepalived-id', 'lvs2', '--director-config', file, 'http://127.0.0.100:8080/'])).keepalivedId).to.equal('lvs2');
    if (keepalivedAvailable()) for (const id of ['lvs1', 'lvs2']) expect(spawnSync('keepalived', ['-t', '-l', '-i', id, '-f', path.resolve(file)]).status).to.equal(0);
  });

  it("includes a brace pattern whole, each alternative in the order written (nested too), and warns as keepalived does of those that name no file", async () => {
    expect(expandBraces('a{b,c{d,e}}f')).to.deep.equal(['abf', 'acdf', 'acef']);
    expect(expandBraces('a{b,c')).to.deep.equal(['a{b,c']);
    expect(expandBraces('a\\{b,c}')).to.deep.equal(['a\\{b,c}']);
    const file = `${FIELD}/brace-include.conf`;
    const config = await parseKeepalivedFile(file);
    expect(config.virtualServers[0]!.realServers.map((rs) => [rs.address, rs.weight])).to.deep.equal([
      ['127.0.1.1', 1],
      ['127.0.1.3', 3],
      ['127.0.1.2', 2],
      ['127.0.1.4', 4],
    ]);
    expect(config.warnings.map((w) => [w.at.line, w.message])).to.deep.equal([[11, 'Some config files missing: "rs/{web{4,5},none}.conf"']]);
    if (!keepalivedAvailable()) return;
    const real = keepalivedTest(file);
    expect(real.status, real.lines.join('\n')).to.equal(0);
    expect(real.lines).to.deep.equal(['(Line 11) Some config files missing: "rs/{web{4,5},none}.conf".']);
  });
});
