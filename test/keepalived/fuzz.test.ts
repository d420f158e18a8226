/**
 * Mutations of the keepalived fixtures (characters and whole words dropped, doubled, swapped for
 * braces, quotes, comment marks, `$` definitions, `@ID` prefixes, digits and keywords): every one
 * is read or refused with a HarnessError naming file:line:column, never a crash.
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isHarnessError } from '../../src/core/errors.js';
import { parseKeepalivedFile } from '../../src/director/keepalived/parse-keepalived.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURES = ['suites/keepalived/pcc-lb.conf', ...['defaults', 'group', 'checker-down'].map((f) => `test/fixtures/keepalived/${f}.conf`)].map((f) =>
  readFileSync(f, 'utf8'),
);
const PIECES = ['{', '}', '"', '!', '#', '\\', '$P=8080\n', '$P', '${P}', '@lvs1 ', '~SEQ', ' ', '\n', '0', '-1', '65536', '4294967296', '999.1.1.1', '127.0.0.1-300', 'fwmark', 'group', 'include', 'real_server', 'virtual_server', 'weight', 'lb_algo sh', 'sh-port', 'url {'];
const MUTATIONS = 3000;

/** mulberry32: a seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, rnd: () => number): string {
  let out = text;
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    const at = Math.floor(rnd() * out.length);
    const len = 1 + Math.floor(rnd() * 12);
    const piece = PIECES[Math.floor(rnd() * PIECES.length)]!;
    const kind = rnd();
    if (kind < 0.3) out = out.slice(0, at) + out.slice(at + len);
    else if (kind < 0.6) out = out.slice(0, at) + piece + out.slice(at);
    else if (kind < 0.8) out = out.slice(0, at) + piece + out.slice(at + len);
    else out = out.slice(0, at) + out.slice(at, at + len) + out.slice(at);
  }
  return out;
}

describe('keepalived.conf parser under mutation', function () {
  this.timeout(120_000);

  it(`reads or refuses ${MUTATIONS} mutated configs with file:line:column, and crashes on none`, async () => {
    const dir = tempDir('lvs-keepalived-fuzz-');
    const rnd = random(11);
    const file = path.join(dir, 'fuzz.conf');
    let read = 0;
    let refused = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const text = mutate(FIXTURES[i % FIXTURES.length]!, rnd);
      writeFileSync(file, text);
      try {
        await parseKeepalivedFile(file);
        read++;
      } catch (e) {
        if (!isHarnessError(e) || !/:\d+:\d+: /.test(e.message)) throw new Error(`mutation ${i} crashed: ${String(e)}\n--- config ---\n${text}`);
        refused++;
      }
    }
    console.log(`    ${read} read, ${refused} refused with a position, 0 crashes`);
    expect(read + refused).to.equal(MUTATIONS);
    expect(refused).to.be.greaterThan(MUTATIONS / 10);
  });
});
