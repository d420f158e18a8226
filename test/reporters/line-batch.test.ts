import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineBatch } from '../../src/reporters/line-batch.js';
import { tempDir } from '../helpers/temp-dir.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('line batches for ndjson files', () => {
  it('writes lines within a fraction of a second without being ended, and every line when ended', async () => {
    const file = path.join(tempDir('lvs-line-batch-'), 'lines.ndjson');
    const batch = new LineBatch(file);
    batch.add('{"n":1}\n');
    batch.add('{"n":2}\n');
    expect(readFileSync(file, 'utf8')).to.equal(''); // waiting for more
    await pause(400);
    expect(readFileSync(file, 'utf8')).to.equal('{"n":1}\n{"n":2}\n'); // the file follows the run
    for (let n = 3; n <= 20_000; n++) batch.add(`{"n":${n}}\n`);
    batch.end();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).to.have.length(20_000);
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).to.deep.equal(Array.from({ length: 20_000 }, (_, i) => i + 1));
  });

  it('leaves every flushed line in the file when the process exits at once (a second Ctrl-C)', () => {
    const file = path.join(tempDir('lvs-line-batch-'), 'lines.ndjson');
    const module = new URL('../../src/reporters/line-batch.ts', import.meta.url).href;
    const script = `import { LineBatch } from '${module}'; const b = new LineBatch(process.argv[1]); for (let n = 1; n <= 1000; n++) b.add('{"n":' + n + '}\\n'); b.flush(); process.exit(13);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file], { encoding: 'utf8' });
    expect(child.status, child.stderr).to.equal(13);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).to.have.length(1000);
  });
});
