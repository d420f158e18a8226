/**
 * Reads a suite file: YAML syntax, then the schema, then each check's own options. Every problem
 * found is reported at once with file, line, column, field and what was expected; nothing is sent
 * to the target before this succeeds.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { createInvalidSuiteError, type SuiteProblem } from '../core/errors.js';
import type { CheckPlugin } from '../model/plugin.js';
import { expandSources } from '../net/address-pool.js';
import { keepalivedService, resolveKeepalivedService, type KeepalivedSource } from './keepalived-service.js';
import { formatPath, locate, type FieldPath } from './locate.js';
import { suiteSchema, type SuiteSpec } from './schema.js';
import { readChangeFiles } from './change-files.js';
import type { DirectorConfig } from '../model/ipvs.js';
import { aliasProblem, MAX_ALIAS_COUNT } from './alias-limit.js';
import { semanticProblems } from './semantic-checks.js';
import type { Threshold } from '../thresholds/parse.js';
import { parseSuiteThresholds } from '../thresholds/suite-thresholds.js';

export interface ConfiguredCheck {
  plugin: CheckPlugin;
  options: unknown;
  /** Where the suite lists it; absent for the connections check the loader adds. */
  at?: FieldPath;
}

export interface LoadedSuite {
  file: string;
  name: string;
  spec: SuiteSpec;
  /** The source-address pool expanded: one address per emulated user. */
  sources: string[];
  checks: ConfiguredCheck[];
  /** The configs `apply:` changes name, read and parsed when the suite loaded; by file as written. */
  applyConfigs?: Record<string, DirectorConfig>;
  /** Where each of `spec.changes` is written, to point at one a lab turns out not to support. */
  changeLocations?: Omit<SuiteProblem, 'expected'>[];
  /** Set when the service came from a keepalived.conf: the kernel lab runs keepalived with it. */
  keepalived?: KeepalivedSource;
  /** Shown before the suite runs (keepalived's defaults and warnings about its config). */
  warnings?: string[];
  /** The suite's `thresholds:`, parsed. */
  thresholds: Threshold[];
}

/** Finds a check plugin by the name or path written in the suite, or says what was expected instead. */
export type CheckResolver = (ref: string, suiteDir: string) => Promise<CheckPlugin | { expected: string }>;

/** What a suite's files need from the command line. */
export interface SuiteLoadOptions {
  /** `--keepalived-id`: the director's keepalived config_id, for a keepalived.conf's `@ID` lines. */
  keepalivedId?: string;
}

export async function loadSuite(file: string, resolveCheck: CheckResolver, options: SuiteLoadOptions = {}): Promise<LoadedSuite> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'an existing suite file' : `a readable file (${String(e)})`;
    throw createInvalidSuiteError([{ file, line: 1, column: 1, field: '(file)', expected: why }]);
  }
  return parseSuite(text, file, resolveCheck, options);
}

export async function parseSuite(text: string, file: string, resolveCheck: CheckResolver, options: SuiteLoadOptions = {}): Promise<LoadedSuite> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw createInvalidSuiteError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0] ?? { line: 1, col: 1 };
        return { file, line: at.line, column: at.col, field: '(yaml)', expected: `valid YAML (${firstLine(e.message)})` };
      }),
    );
  }
  const problem = (p: FieldPath, expected: string, key?: string): SuiteProblem => ({
    file,
    ...locate(doc, lines, p, key),
    field: formatPath(key === undefined ? p : [...p, key]),
    expected,
  });

  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError) throw createInvalidSuiteError([{ file, ...aliasProblem(doc, lines) }]);
    throw e;
  }
  // reportInput: a field that is there with the wrong type must not be called missing.
  const fromKeepalived = await keepalivedSource(js, file, problem, options);
  const parsed = suiteSchema.safeParse(js, { reportInput: true });
  if (!parsed.success) throw createInvalidSuiteError(parsed.error.issues.flatMap((i) => issueProblems(i, problem)));
  const spec = parsed.data;

  const problems: SuiteProblem[] = [];
  const checks: ConfiguredCheck[] = [];
  for (const [i, entry] of spec.checks.entries()) {
    const [ref, rawOptions, at] =
      typeof entry === 'string' ? [entry, {}, ['checks', i]] : [Object.keys(entry)[0] ?? '', Object.values(entry)[0], ['checks', i]];
    if (typeof entry !== 'string' && Object.keys(entry).length !== 1) {
      problems.push(problem(at, 'one check per entry: `- name` or `- name: { options }`'));
      continue;
    }
    const plugin = await resolveCheck(ref, path.dirname(file));
    if ('expected' in plugin) {
      problems.push(problem(at, plugin.expected));
      continue;
    }
    const opts = plugin.options.safeParse(rawOptions ?? {}, { reportInput: true });
    if (!opts.success) {
      const base = typeof entry === 'string' ? at : [...at, ref];
      problems.push(...opts.error.issues.flatMap((iss) => issueProblems({ ...iss, path: [...base, ...iss.path] }, problem)));
      continue;
    }
    checks.push({ plugin: plugin as CheckPlugin, options: opts.data, at });
  }
  const changeFiles = await readChangeFiles(spec.changes, file, (p, expected) => problem(p, expected));
  problems.push(...changeFiles.problems);
  problems.push(...semanticProblems(spec, checks, problem));
  const thresholds = parseSuiteThresholds(spec);
  for (const p of thresholds.problems) problems.push(problem(p.path, p.expected, p.key));
  if (problems.length > 0) throw createInvalidSuiteError(problems);
  // Failed connections must never pass quietly, so the connections check runs unless listed with options.
  if (!checks.some((c) => c.plugin.name === 'connections')) {
    const plugin = (await resolveCheck('connections', path.dirname(file))) as CheckPlugin;
    checks.unshift({ plugin, options: plugin.options.parse({}) });
  }

  const pool = typeof spec.clients.sources === 'string' ? [spec.clients.sources] : spec.clients.sources;
  const sources = expandSources(pool) as string[];
  return { file, name: spec.name ?? path.basename(file).replace(/\.ya?ml$/, ''), spec, sources, checks, applyConfigs: changeFiles.configs,
    changeLocations: spec.changes.map((_, i) => problem(['changes', i], '')), thresholds: thresholds.thresholds, ...fromKeepalived };
}

/** A `service: { keepalived: FILE, ... }` is replaced in `raw` by the inline service it stands for. */
async function keepalivedSource(raw: unknown, file: string, problem: ProblemAt, options: SuiteLoadOptions): Promise<Pick<LoadedSuite, 'keepalived' | 'warnings'>> {
  const doc = raw as { service?: unknown; vip?: unknown } | null;
  if (typeof doc?.service !== 'object' || doc.service === null || !('keepalived' in doc.service)) return {};
  const ref = keepalivedService.safeParse(doc.service);
  if (!ref.success) throw createInvalidSuiteError(ref.error.issues.flatMap((i) => issueProblems({ ...i, path: ['service', ...i.path] }, problem)));
  const resolved = await resolveKeepalivedService(ref.data, file, doc.vip, options.keepalivedId);
  if ('problem' in resolved) {
    const { field, expected } = resolved.problem;
    throw createInvalidSuiteError([problem(field === 'vip' ? ['vip'] : ['service', field], expected)]);
  }
  doc.service = resolved.service;
  return { keepalived: resolved.source, warnings: resolved.warnings };
}

type ProblemAt = (p: FieldPath, expected: string, key?: string) => SuiteProblem;

function issueProblems(issue: z.core.$ZodIssue, at: ProblemAt): SuiteProblem[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => at(issue.path, 'no such field here (misspelt?)', k));
    case 'invalid_type':
      return [at(issue.path, issue.input === undefined ? `a value (${issue.expected}); the field is required` : `a value of type ${issue.expected}, not ${describe(issue.input)}`)];
    case 'invalid_value':
      return [at(issue.path, `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`)];
    case 'too_small':
      return [at(issue.path, `${issue.origin === 'array' ? 'at least' : '>='} ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : ''}`)];
    case 'too_big':
      return [at(issue.path, `${issue.origin === 'array' ? 'at most' : '<='} ${String(issue.maximum)}${issue.origin === 'array' ? ' item(s)' : ''}`)];
    case 'invalid_union':
      return [at(issue.path, unionExpectation(issue))];
    default:
      return [at(issue.path, issue.message)];
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function unionExpectation(issue: z.core.$ZodIssueInvalidUnion): string {
  const options = issue.errors.map((branch) => branch.map((b) => b.message).join('; '));
  return `one of: ${[...new Set(options)].join(' | ')}`;
}

/** yaml's pretty message is `<what> at line L, column C:` plus a code frame; the position is reported apart. */
function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).replace(/ at line \d+, column \d+:?$/, '');
}
