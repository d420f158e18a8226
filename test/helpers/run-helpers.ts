/** Runs suites in-process against the embedded lab, capturing events and the results folder. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { embeddedLabFactory } from '../../src/lab/embedded-lab-factory.js';
import type { Director } from '../../src/director/model.js';
import type { Lab } from '../../src/lab/lab.js';
import type { DirectorConfig } from '../../src/model/ipvs.js';
import type { RunEvent } from '../../src/model/events.js';
import { ResultsWriter } from '../../src/reporters/results-writer.js';
import type { Reporter } from '../../src/reporters/reporter.js';
import { run, type RunResult } from '../../src/runner/run.js';
import type { LabFactory } from '../../src/lab/lab.js';
import type { LoadedSuite } from '../../src/suite/load-suite.js';
import { tempDir } from './temp-dir.js';
import type { ChangeTarget } from '../../src/changes/change-target.js';

export interface Captured extends RunResult {
  events: RunEvent[];
  results: ResultsJson;
}

export interface ResultsJson {
  outcome: string;
  exitCode: number;
  error: { code: string; message: string; hint?: string } | null;
  suites: Array<{
    name: string;
    outcome: string;
    verdicts: Array<{ check: string; status: string; seen: string; expected: string; examples: unknown[]; data?: Record<string, unknown> }>;
    summary: { connections: number; failed: number; errors: Record<string, number>; byRealServer: Record<string, number> };
    lab: { listing: string; connections: string; history: unknown[] } | null;
  }>;
}

export async function runSuites(
  files: string[],
  opts: {
    directorConfig?: (suite: LoadedSuite) => DirectorConfig;
    startLab?: LabFactory;
    /** The director read around each suite when `startLab` starts none (`--director`). */
    director?: Director;
    prepareSuite?: (suite: LoadedSuite) => LoadedSuite;
    /** What the run says stands behind the VIP (default `embedded`); `none` as for a live director. */
    labName?: string;
    onEvent?: (e: RunEvent, lab: Lab | null) => void;
    signal?: AbortSignal;
    changeTarget?: (suite: LoadedSuite, lab: () => Lab | null) => ChangeTarget;
  } = {},
): Promise<Captured> {
  const events: RunEvent[] = [];
  const root = tempDir('lvs-harness-test-');
  let current: Lab | null = null;
  const base = opts.startLab ?? embeddedLabFactory(opts.directorConfig);
  const startLab: LabFactory = async (suite) => (current = await base(suite));
  const capture: Reporter = {
    name: 'capture',
    onEvent(e) {
      events.push(e);
      opts.onEvent?.(e, current);
    },
  };
  const result = await run({
    suiteFiles: files,
    startLab,
    director: opts.director,
    ...(opts.prepareSuite ? { prepareSuite: opts.prepareSuite } : {}),
    labName: opts.labName ?? 'embedded',
    resultsRoot: root,
    reporters: [new ResultsWriter(['test'], 'embedded'), capture],
    signal: opts.signal ?? new AbortController().signal,
    ...(opts.changeTarget ? { changeTarget: (suite: LoadedSuite) => opts.changeTarget!(suite, () => current) } : {}),
  });
  const results = JSON.parse(await readFile(path.join(result.resultsDir, 'results.json'), 'utf8')) as ResultsJson;
  return { ...result, events, results };
}

export function verdictOf(c: Captured, check: string, suite = 0) {
  const v = c.results.suites[suite]?.verdicts.find((x) => x.check === check);
  if (!v) throw new Error(`no verdict for ${check}: ${JSON.stringify(c.results.suites[suite]?.verdicts ?? c.results.error)}`);
  return v;
}
