/**
 * Prints issue 13's table: every hardening case (test/cli/hardening-cases.ts and the scenarios of
 * test/cli/hardening-scenarios.ts), run through the real command line, with its exit code and the
 * first line of its message. `npx tsx scripts/cli-cases-table.ts`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASES, canRunUnprivileged, caseContext, runCli } from '../test/cli/hardening-cases.js';
import { SCENARIOS } from '../test/cli/hardening-scenarios.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lvs-harness-table-'));
const setup = await caseContext(dir);
const rows: string[] = ['| point | case | exit | first line of the message |', '|---|---|---|---|'];
const cell = (s: string): string => s.replaceAll(dir, '$TMP').replaceAll('|', '\\|');
try {
  const unprivileged = canRunUnprivileged();
  for (const c of CASES) {
    if (c.unprivileged && !unprivileged) {
      rows.push(`| ${c.point} | ${cell(c.name)} | - | skipped: nobody cannot read this clone |`);
      continue;
    }
    const r = await runCli(c.args(setup.ctx), { unprivileged: c.unprivileged });
    rows.push(`| ${c.point} | ${cell(c.name)}${c.unprivileged ? ' (as nobody)' : ''} | ${r.code ?? `killed by ${r.signal}`} | \`${cell(r.firstLine)}\` |`);
  }
  for (const s of SCENARIOS) {
    const r = await s.run(path.join(dir, `scenario-${SCENARIOS.indexOf(s)}`));
    const code = r.code ?? `killed by ${r.outcomes[0]?.signal} (a shell shows 128+N)`;
    rows.push(`| ${s.point} | ${cell(s.name)} | ${code} | \`${cell(r.line)}\` |`);
  }
} finally {
  await setup.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(rows.join('\n'));
