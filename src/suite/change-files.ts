/**
 * Reads the files a suite's `apply:` changes name (ipvsadm -S -n dumps, relative to the suite file)
 * when the suite loads, so a missing file or a bad line stops the run before any traffic: a missing
 * file as a suite problem at the change, a bad line as the dump's own file:line error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SuiteProblem } from '../core/errors.js';
import { parseIpvsadmSave } from '../lab/ipvsadm-save.js';
import type { DirectorConfig } from '../model/ipvs.js';
import type { PlannedChange } from './changes.js';

export async function readChangeFiles(
  changes: readonly PlannedChange[],
  suiteFile: string,
  problem: (path: (string | number)[], expected: string) => SuiteProblem,
): Promise<{ configs: Record<string, DirectorConfig>; problems: SuiteProblem[] }> {
  const configs: Record<string, DirectorConfig> = {};
  const problems: SuiteProblem[] = [];
  for (const [i, c] of changes.entries()) {
    if (c.action.kind !== 'apply' || configs[c.action.file] !== undefined) continue;
    const file = path.resolve(path.dirname(suiteFile), c.action.file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      problems.push(problem(['changes', i, 'apply'], `a readable ipvsadm -S -n dump, relative to the suite (${(e as Error).message})`));
      continue;
    }
    configs[c.action.file] = parseIpvsadmSave(text, file);
  }
  return { configs, problems };
}
