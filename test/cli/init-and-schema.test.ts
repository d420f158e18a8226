/** `lvs-harness init` and the shipped JSON Schema of suite files. */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { suiteJsonSchema } from '../../src/suite/json-schema.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ROOT, runCli } from './hardening-cases.js';

describe('init and the suite JSON Schema', function () {
  this.timeout(120_000);

  it('schema/suite.schema.json is what the zod schema generates now (run `npm run schema` after a schema change)', () => {
    expect(readFileSync(path.join(ROOT, 'schema/suite.schema.json'), 'utf8')).to.equal(suiteJsonSchema());
  });

  it('the schema describes the suite fields an editor should complete', () => {
    const schema = JSON.parse(suiteJsonSchema());
    expect(schema.required).to.include.members(['vip', 'service', 'probes', 'clients']);
    expect(schema.properties.service.properties.kind.enum).to.deep.equal(['pcc', 'ppc', 'fwmark']);
    expect(schema.properties.probes.items.oneOf ?? schema.properties.probes.items.anyOf).to.have.length(3);
    expect(schema.additionalProperties).to.equal(false);
  });

  it('init writes a starter suite that points at the schema and passes against the embedded lab', async () => {
    const dir = tempDir('lvs-harness-init-');
    const file = path.join(dir, 'my-suite.yaml');
    const init = await runCli(['init', file]);
    expect(init.code, init.stderr).to.equal(0);
    const text = readFileSync(file, 'utf8');
    const schemaLine = /^# yaml-language-server: \$schema=(.+)$/m.exec(text);
    expect(schemaLine, text).to.not.equal(null);
    expect(existsSync(path.resolve(dir, schemaLine![1]!))).to.equal(true);
    const run = await runCli(['run', '--results', dir, file], { timeoutMs: 90_000 });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/PASS pcc:/).and.to.match(/PASS weights:/);
    // A second init keeps the file the user may have edited.
    const again = await runCli(['init', file]);
    expect(again.code).to.equal(11);
    expect(again.firstLine).to.match(/my-suite\.yaml: expected a file that does not exist yet/);
    expect(readFileSync(file, 'utf8')).to.equal(text);
  });
});
