/**
 * `--director-config FILE [--fwmark-rules FILE]`: an operator's own director, read once before any
 * traffic (a bad line stops the run with exit 11), then given to each suite's lab with the real
 * servers named as the suite names them, so the suite's checks judge the operator's director.
 * FILE is an `ipvsadm -S -n` dump (every line an ipvsadm option) or else a keepalived.conf.
 */
import { readFile } from 'node:fs/promises';
import { createBadArgumentError, createDirectorMismatchError } from '../core/errors.js';
import type { KeepalivedVirtualServer } from '../director/keepalived/model.js';
import { parseKeepalivedFile } from '../director/keepalived/parse-keepalived.js';
import { formatWarning } from '../director/keepalived/problems.js';
import { keepalivedDirectorConfig } from '../director/keepalived/to-director-config.js';
import { unnamedServerName } from '../director/server-names.js';
import type { DirectorConfig } from '../model/ipvs.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { parseFwmarkRules } from './fwmark-rules.js';
import { parseIpvsadmSave } from './ipvsadm-save.js';

/**
 * For a suite, the config to start its lab with. `translate` maps a dump address to the suite's
 * address space (the kernel lab runs suites on guest addresses; the dump is written like the suite).
 * It throws (exit 11) when the dump cannot be the suite's director.
 */
export type DirectorConfigOverride = ((suite: LoadedSuite, translate?: (address: string) => string) => DirectorConfig) & {
  /** Set when FILE is a keepalived.conf: the kernel lab then runs keepalived with these. */
  keepalived?: readonly KeepalivedVirtualServer[];
};

/** ipvsadm -S writes nothing but option lines; a keepalived.conf's first line that is not a comment is a keyword. */
function isIpvsadmDump(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '' && !/^\s*[#!]/.test(l));
  return first === undefined || first.trim().startsWith('-');
}

async function readText(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw createBadArgumentError(option, `a readable file (${(e as Error).message})`);
  }
}

/** Traffic to the suite's VIP would reach no service of the dump, or no server the suite knows. */
function mismatch(config: DirectorConfig, suite: LoadedSuite, translate: (address: string) => string): string | null {
  const vips = [...new Set([...config.services.flatMap((s) => (s.vip === undefined ? [] : [s.vip])), ...config.fwmarkRules.map((r) => r.vip)])];
  if (vips.length > 0 && !vips.some((vip) => translate(vip) === suite.spec.vip)) {
    return `its services are on ${vips.join(', ')}, the suite's VIP is ${suite.spec.vip}`;
  }
  const addresses = [...new Set(config.services.flatMap((s) => s.realServers.map((rs) => rs.address)))];
  const known = new Set(suite.spec.service.realServers.map((rs) => rs.address));
  if (addresses.length > 0 && !addresses.some((a) => known.has(translate(a)))) {
    return `none of its real servers (${addresses.join(', ')}) is one the suite names (${[...known].join(', ')})`;
  }
  return null;
}

/** A dump or keepalived.conf and its fwmark rules; `warn` hears keepalived's warnings, in its words, with file and line. */
async function readConfig(
  file: string,
  rulesFile: string | undefined,
  warn: (message: string) => void,
  configId?: string,
): Promise<{ config: DirectorConfig; keepalived?: KeepalivedVirtualServer[] }> {
  const text = await readText(file, '--director-config');
  const keepalived = isIpvsadmDump(text) ? undefined : await parseKeepalivedFile(file, configId === undefined ? {} : { configId });
  keepalived?.warnings.forEach((w) => warn(formatWarning(w)));
  // An empty director would let every check fail for the wrong reason, or a dump read as a conf pass silently.
  if (keepalived && keepalived.virtualServers.length === 0) throw createBadArgumentError('--director-config', `${file} to be an ipvsadm -S -n dump or a keepalived.conf with a virtual_server (it has none)`);
  const config: DirectorConfig = {
    ...(keepalived ? keepalivedDirectorConfig(keepalived.virtualServers) : parseIpvsadmSave(text, file)),
    fwmarkRules: rulesFile === undefined ? [] : parseFwmarkRules(await readText(rulesFile, '--fwmark-rules'), rulesFile),
  };
  return keepalived ? { config, keepalived: keepalived.virtualServers } : { config };
}

/** The director FILE describes, its real servers named by their addresses. */
export async function readDirectorConfigFile(file: string, rulesFile?: string, configId?: string): Promise<DirectorConfig> {
  return (await readConfig(file, rulesFile, () => {}, configId)).config;
}

/**
 * The services the suite's traffic can reach: those on its VIP, and fwmark services whose mark a rule
 * for its VIP sets (all of them when no rule says where a mark belongs). A whole director's dump then
 * gives each suite's lab its own part, as the director would route it, and not every other service's
 * real servers to start.
 */
function reachedServices(config: DirectorConfig, vip: string, translate: (address: string) => string): DirectorConfig['services'] {
  const marks = new Set(config.fwmarkRules.filter((r) => translate(r.vip) === vip).map((r) => r.mark));
  return config.services.filter((s) => (s.vip === undefined ? config.fwmarkRules.length === 0 || marks.has(s.fwmark!) : translate(s.vip) === vip));
}

/** `configId`: `--keepalived-id`, for a keepalived.conf's `@ID` lines. */
export async function readDirectorConfig(file: string, rulesFile?: string, warn: (message: string) => void = () => {}, configId?: string): Promise<DirectorConfigOverride> {
  const { config, keepalived } = await readConfig(file, rulesFile, warn, configId);
  const override = (suite: LoadedSuite, translate = (a: string) => a): DirectorConfig => {
    const wrong = mismatch(config, suite, translate);
    if (wrong !== null) throw createDirectorMismatchError(file, suite.file, wrong);
    const names = new Map(suite.spec.service.realServers.map((rs) => [rs.address, rs.name]));
    return {
      ...config,
      services: reachedServices(config, suite.spec.vip, translate).map((s) => ({
        ...s,
        realServers: s.realServers.map((rs) => ({ ...rs, name: names.get(translate(rs.address)) ?? unnamedServerName(rs.address) })),
      })),
      // `ipvsadm -S` does not dump `--set`: the connection timeouts stay the suite's.
      timeouts: config.timeouts ?? { ...suite.spec.service.timeouts },
    };
  };
  return keepalived ? Object.assign(override, { keepalived }) : override;
}
