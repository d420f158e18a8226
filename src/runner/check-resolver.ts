/**
 * Finds the check plugin a suite names: a built-in by name, or a plugin file by a path relative to
 * the suite (`./checks/my-check.js`) whose default export is a defineCheck() object.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInChecks } from '../../plugins/index.js';
import type { CheckPlugin } from '../model/plugin.js';
import type { CheckResolver } from '../suite/load-suite.js';

export const resolveCheck: CheckResolver = async (ref, suiteDir) => {
  const builtIn = builtInChecks.get(ref);
  if (builtIn) return builtIn;
  if (!/\.(m?js|ts)$/.test(ref)) return undefined;
  try {
    const mod = (await import(pathToFileURL(path.resolve(suiteDir, ref)).href)) as { default?: CheckPlugin };
    const plugin = mod.default;
    return plugin && typeof plugin.name === 'string' && typeof plugin.create === 'function' ? plugin : undefined;
  } catch {
    return undefined;
  }
};
