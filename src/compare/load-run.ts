/**
 * Reads one side of a comparison: a results folder, its results.json, or a `bench --json` file. Every
 * suite becomes its figures per source (its traffic, its bench step) and its verdicts.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BenchResult } from '../bench/types.js';
import { createBadArgumentError } from '../core/errors.js';
import { benchMetrics } from '../metrics/bench-metrics.js';
import type { MetricSet } from '../metrics/metric-set.js';
import type { Verdict } from '../model/verdict.js';

export interface SuiteFigures {
  name: string;
  traffic: MetricSet | null;
  bench: MetricSet | null;
  verdicts: Verdict[];
}

export interface LoadedRun {
  /** The file read. */
  file: string;
  suites: SuiteFigures[];
}

interface ResultsSuite {
  name: string;
  verdicts?: Verdict[];
  summary?: { metrics?: MetricSet };
  bench?: { result?: BenchResult } | null;
}

export async function loadRun(where: string, argument: string): Promise<LoadedRun> {
  let file = where;
  try {
    if ((await stat(where)).isDirectory()) file = path.join(where, 'results.json');
  } catch {
    throw createBadArgumentError(argument, `a results folder, results.json or bench --json file, got "${where}" (not found)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw createBadArgumentError(argument, `a readable JSON results file, got "${file}" (${(e as Error).message.split('\n')[0]})`);
  }
  const doc = json as { schema?: string; suites?: ResultsSuite[] };
  if (doc.schema === 'lvs-harness/bench-result@1') {
    return { file, suites: [{ name: 'bench', traffic: null, bench: benchMetrics(json as BenchResult), verdicts: [] }] };
  }
  if (!Array.isArray(doc.suites)) throw createBadArgumentError(argument, `results.json of a run or a bench --json file, got "${file}" (no suites)`);
  return {
    file,
    suites: doc.suites.map((s) => ({
      name: s.name,
      traffic: s.summary?.metrics ?? null,
      bench: s.bench?.result ? benchMetrics(s.bench.result) : null,
      verdicts: s.verdicts ?? [],
    })),
  };
}
