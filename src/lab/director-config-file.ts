/**
 * `--director-config FILE [--fwmark-rules FILE]`: an operator's own director, read once before any
 * traffic (a bad line stops the run with exit 11), then given to each suite's lab with the real
 * servers named as the suite names them, so the suite's checks judge the operator's director.
 */
import { readFile } from 'node:fs/promises';
import { createBadArgumentError } from '../core/errors.js';
import type { DirectorConfig } from '../model/ipvs.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { parseFwmarkRules } from './fwmark-rules.js';
import { parseIpvsadmSave } from './ipvsadm-save.js';

/**
 * For a suite, the config to start its lab with. `translate` maps a dump address to the suite's
 * address space (the kernel lab runs suites on guest addresses; the dump is written like the suite).
 */
export type DirectorConfigOverride = (suite: LoadedSuite, translate?: (address: string) => string) => DirectorConfig;

async function readText(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw createBadArgumentError(option, `a readable file (${(e as Error).message})`);
  }
}

/** The dump and its fwmark rules as one DirectorConfig, the real servers named by their addresses. */
export async function readDirectorConfigFile(file: string, rulesFile?: string): Promise<DirectorConfig> {
  return {
    ...parseIpvsadmSave(await readText(file, '--director-config'), file),
    fwmarkRules: rulesFile === undefined ? [] : parseFwmarkRules(await readText(rulesFile, '--fwmark-rules'), rulesFile),
  };
}

export async function readDirectorConfig(file: string, rulesFile?: string): Promise<DirectorConfigOverride> {
  const config = await readDirectorConfigFile(file, rulesFile);
  return (suite, translate = (a) => a) => {
    const names = new Map(suite.spec.service.realServers.map((rs) => [rs.address, rs.name]));
    return {
      ...config,
      services: config.services.map((s) => ({
        ...s,
        realServers: s.realServers.map((rs) => ({ ...rs, name: names.get(translate(rs.address)) ?? rs.address })),
      })),
    };
  };
}
