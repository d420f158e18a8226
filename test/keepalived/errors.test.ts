/**
 * What keepalived would not read as written is an error naming file:line:column and what was
 * expected (exit 11), never a crash; keepalived -t, where installed, must report the same line.
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isHarnessError } from '../../src/core/errors.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { parseKeepalivedFile } from '../../src/director/keepalived/parse-keepalived.js';
import { tempDir } from '../helpers/temp-dir.js';
import { keepalivedAvailable, keepalivedTest } from './keepalived-binary.js';

const VS = (body: string): string => `virtual_server 127.0.0.100 80 {\n  protocol TCP\n  lb_algo rr\n  lb_kind DR\n${body}\n  real_server 127.0.1.1 80 {\n    weight 1\n  }\n}\n`;

/** Each: the config, where the error must point (line:column), what it must say, and what keepalived -t says of it. */
const CASES: Array<{ what: string; text: string; at: string; says: RegExp; keepalived: 'line' | 'rejects' | 'accepts' }> = [
  { what: 'an unknown scheduler', text: VS('  lvs_sched fastest'), at: '5:13', says: /lvs_sched: expected one of rr wrr .* not 'fastest'/, keepalived: 'line' },
  { what: 'persistence_timeout 0', text: VS('  persistence_timeout 0'), at: '5:23', says: /from 1 to 2678400, not '0'/, keepalived: 'line' },
  { what: 'a timeout over 31 days', text: VS('  persistence_timeout 5000000'), at: '5:23', says: /from 1 to 2678400/, keepalived: 'line' },
  { what: 'a negative weight', text: VS('').replace('weight 1', 'weight -3'), at: '7:12', says: /weight: expected a whole number from 0 to 2147483647, not '-3'/, keepalived: 'line' },
  { what: 'an address with an octet over 255', text: VS('').replace('127.0.1.1', '127.0.1.300'), at: '6:15', says: /real_server: expected an IPv4 address .* not '127.0.1.300'/, keepalived: 'line' },
  { what: 'a virtual server weight 0', text: VS('  weight 0'), at: '5:10', says: /weight: expected a whole number from 1 to 2147483647, not '0'/, keepalived: 'line' },
  { what: 'a misspelt option', text: VS('  persistance_timeout 50'), at: '5:3', says: /persistance_timeout: expected a virtual_server option/, keepalived: 'line' },
  { what: 'an unknown protocol', text: VS('').replace('protocol TCP', 'protocol ICMP'), at: '2:12', says: /TCP, UDP or SCTP, not 'ICMP'/, keepalived: 'line' },
  { what: 'a missing closing brace', text: VS('').replace(/}\n$/, ''), at: '1:31', says: /'\{': expected a '\}' closing this block/, keepalived: 'rejects' },
  { what: 'a stray closing brace', text: `${VS('')}}\n`, at: '10:1', says: /'\}': expected a block to close/, keepalived: 'rejects' },
  // keepalived -t passes this one; the virtual server would program nothing, so the harness refuses it.
  { what: 'a group nobody defined', text: VS('').replace('127.0.0.100 80', 'group nowhere'), at: '1:22', says: /no group 'nowhere'/, keepalived: 'accepts' },
];

describe('keepalived.conf errors', () => {
  const dir = tempDir('lvs-keepalived-errors-');
  const real = keepalivedAvailable();

  for (const c of CASES) {
    it(`${c.what}: file:${c.at}, exit 11${real && c.keepalived !== 'accepts' ? ', and keepalived -t complains too' : ''}`, async () => {
      const file = path.join(dir, `${c.what.replace(/\W+/g, '-')}.conf`);
      writeFileSync(file, c.text);
      const err = await parseKeepalivedFile(file).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isHarnessError(err), String(err)).to.equal(true);
      if (!isHarnessError(err)) return;
      expect(err.exitCode).to.equal(ExitCode.InvalidInput);
      expect(err.message.startsWith(`${file}:${c.at}: `), err.message).to.equal(true);
      expect(err.message).to.match(c.says);
      if (!real || c.keepalived === 'accepts') return;
      const verdict = keepalivedTest(file);
      expect(verdict.status, verdict.lines.join('\n')).not.to.equal(0);
      if (c.keepalived === 'line') expect(verdict.lines.join('\n')).to.include(`Line ${c.at.split(':')[0]})`);
    });
  }

  it('include: globs from the including file\'s folder, a pattern matching nothing is keepalived\'s warning, a loop an error', async () => {
    const root = tempDir('lvs-keepalived-include-');
    mkdirSync(path.join(root, 'conf.d'));
    // includew (and includer, includem, includeb, includea) is an include to keepalived.
    writeFileSync(path.join(root, 'main.conf'), 'include conf.d/*.conf\nincludew missing/*.conf\n');
    writeFileSync(path.join(root, 'conf.d', 'b.conf'), VS('').replace('127.0.0.100 80', '127.0.0.100 81'));
    writeFileSync(path.join(root, 'conf.d', 'a.conf'), VS(''));
    writeFileSync(path.join(root, 'conf.d', 'notes.txt'), 'not a config');
    // Run from elsewhere: the patterns are the including file's, not the working folder's.
    const config = await parseKeepalivedFile(path.join(root, 'main.conf'));
    expect(config.virtualServers.map((v) => v.name)).to.deep.equal(['127.0.0.100 80', '127.0.0.100 81']);
    expect(config.warnings.map((w) => [w.at.line, w.message])).to.deep.equal([[2, "Config files missing 'missing/*.conf'"]]);
    if (real) expect(keepalivedTest(path.join(root, 'main.conf')).lines.join('\n')).to.include("Config files missing 'missing/*.conf'");

    writeFileSync(path.join(root, 'loop.conf'), 'include loop.conf\n');
    const err = await parseKeepalivedFile(path.join(root, 'loop.conf')).catch((e: Error) => e);
    expect((err as Error).message).to.match(/loop\.conf:1:1: include .*: expected no include loop/);
  });
});
