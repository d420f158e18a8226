/**
 * Finds the check plugin a suite names: a built-in by name, or a plugin file by a path relative to
 * the suite (`./checks/my-check.js`) whose default export is a defineCheck() object. When it cannot,
 * it says why, so a plugin file that fails to load is reported with its own error.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInChecks } from '../../plugins/index.js';
import type { CheckPlugin } from '../model/plugin.js';
import type { CheckResolver } from '../suite/load-suite.js';

export const resolveCheck: CheckResolver = async (ref, suiteDir) => {
  const builtIn = builtInChecks.get(ref);
  if (builtIn) return builtIn;
  if (!/\.(m?js|ts)$/.test(ref)) {
    return { expected: `a built-in check (${[...builtInChecks.keys()].join(', ')}) or a plugin file path (.js, .mjs, .ts), not "${ref}"` };
  }
  let mod: { default?: CheckPlugin };
  try {
    mod = (await import(pathToFileURL(path.resolve(suiteDir, ref)).href)) as { default?: CheckPlugin };
  } catch (e) {
    return { expected: `a plugin file that loads (${ref}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)})` };
  }
  const plugin = mod.default;
  return plugin && typeof plugin.name === 'string' && typeof plugin.create === 'function'
    ? plugin
    : { expected: `a plugin file whose default export is defineCheck({ name, description, options, create }) (${ref})` };
};
