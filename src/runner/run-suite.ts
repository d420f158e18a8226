/**
 * Runs one loaded suite: lab up, traffic waves through the probes, verdicts, optional bench step,
 * lab down. Everything it learns leaves as events; it never prints.
 */
import { isHarnessError, type HarnessError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { LabFactory, LabSnapshot } from '../lab/lab.js';
import {
  EVENT_CHECK,
  EVENT_LAB_READY,
  EVENT_OBSERVATION,
  EVENT_SUITE_BEGIN,
  EVENT_SUITE_END,
  EVENT_WARNING,
  type RunEvent,
  type RunOutcome,
} from '../model/events.js';
import type { Observation } from '../model/observation.js';
import type { SuiteView } from '../model/plugin.js';
import type { SuiteSummary } from '../model/summary.js';
import type { Verdict } from '../model/verdict.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { redactProbe } from '../suite/redact.js';
import { executeWaves } from './execute-waves.js';
import { PluginDriver } from './plugin-driver.js';
import { runSuiteBench } from './suite-bench.js';
import { summarise } from './summarise.js';
import { planWaves } from './traffic-plan.js';
import { trafficMetrics } from '../metrics/traffic-metrics.js';
import { expectedShares } from '../stats/expected-shares.js';
import type { Threshold } from '../thresholds/parse.js';
import { thresholdVerdicts } from '../thresholds/suite-verdicts.js';


export interface SuiteRunOptions {
  startLab: LabFactory;
  labName: string;
  emit(e: RunEvent): void;
  signal: AbortSignal;
  /** Thresholds from the command line, judged beside the suite's own. */
  thresholds?: readonly Threshold[];
}

export interface SuiteRunResult {
  outcome: RunOutcome;
  verdicts: Verdict[];
  summary: SuiteSummary;
  lab: LabSnapshot | null;
  pluginFailures: HarnessError[];
}

export function suiteView(suite: LoadedSuite, lab: string): SuiteView {
  const { spec } = suite;
  return {
    name: suite.name,
    file: suite.file,
    vip: spec.vip,
    service: spec.service,
    // Plugins may quote the suite in verdicts, which go to every report: no passwords in it.
    probes: spec.probes.map(redactProbe),
    traffic: spec.traffic,
    clients: { count: suite.sources.length, first: suite.sources[0]!, last: suite.sources[suite.sources.length - 1]! },
    sources: suite.sources,
    lab,
  };
}

export async function runSuite(suite: LoadedSuite, opts: SuiteRunOptions): Promise<SuiteRunResult> {
  const started = performance.now();
  const { emit, signal } = opts;
  emit({ type: EVENT_SUITE_BEGIN, suite: suite.name, file: suite.file, lab: opts.labName });
  const lab = await opts.startLab(suite);
  try {
    if (lab) emit({ type: EVENT_LAB_READY, suite: suite.name, description: lab.describe() });
    const view = suiteView(suite, opts.labName);
    const driver = new PluginDriver(suite.checks, view);
    const traffic = await executeWaves(planWaves(suite.spec, suite.sources), {
      host: suite.spec.vip,
      signal,
      pauseSeconds: suite.spec.traffic.pauseSeconds,
      concurrency: suite.spec.traffic.concurrency,
      deadlineMs: suite.spec.traffic.maxSeconds * 1000,
      onObservation: (o: Observation) => {
        driver.observation(o);
        emit({ type: EVENT_OBSERVATION, suite: suite.name, observation: o });
      },
      onWarning: (message: string) => emit({ type: EVENT_WARNING, suite: suite.name, message }),
    });
    const snapshot = lab ? await lab.snapshot(traffic.observations) : null;
    const { verdicts, failures } = await driver.verdicts({ suite: view, observations: traffic.observations, lab: snapshot });
    const summary: SuiteSummary = {
      ...summarise(traffic.observations),
      metrics: trafficMetrics(traffic.observations),
      expectedShares: expectedShares(suite.spec.service.realServers, suite.spec.service.scheduler),
    };
    verdicts.push(...thresholdVerdicts([...suite.thresholds, ...(opts.thresholds ?? [])], summary, verdicts));
    for (const verdict of verdicts) emit({ type: EVENT_CHECK, suite: suite.name, verdict });

    let outcome: RunOutcome = signal.aborted
      ? 'aborted'
      : traffic.unreachable
        ? 'unreachable'
        : failures.length > 0
          ? 'plugin-error'
          : verdicts.some((v) => v.status !== 'pass')
            ? 'failed'
            : 'passed';
    const bench = suite.spec.bench !== undefined && !signal.aborted && !traffic.unreachable;
    if (bench) {
      try {
        await runSuiteBench(suite, signal, emit);
      } catch (e) {
        // The verdicts stand and must still reach the results; a bench that got no answer at all
        // means the target went away after the checks.
        if (!isHarnessError(e) || e.exitCode !== ExitCode.TargetUnreachable) throw e;
        emit({ type: EVENT_WARNING, suite: suite.name, message: `bench step: ${e.message}` });
        if (outcome === 'passed' || outcome === 'failed') outcome = 'unreachable';
      }
    }
    // The bench step's connections change the director's tables; without one the snapshot stands.
    const finalLab = lab && bench ? await lab.snapshot(traffic.observations) : snapshot;
    emit({
      type: EVENT_SUITE_END,
      suite: suite.name,
      outcome,
      summary,
      verdicts,
      lab: finalLab,
      durationMs: performance.now() - started,
    });
    return { outcome, verdicts, summary, lab: finalLab, pluginFailures: failures };
  } finally {
    await lab?.close();
  }
}
