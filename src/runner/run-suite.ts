/**
 * Runs one loaded suite: lab up, traffic waves through the probes, verdicts, optional bench step,
 * lab down. Everything it learns leaves as events; it never prints.
 */
import { createInvalidSuiteError, isHarnessError, type HarnessError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { Director } from '../director/model.js';
import type { LabFactory, LabSnapshot } from '../lab/lab.js';
import {
  EVENT_CHANGE,
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
import type { DirectorReadings, SuiteView } from '../model/plugin.js';
import type { SuiteSummary } from '../model/summary.js';
import type { Verdict } from '../model/verdict.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import { redactProbe } from '../suite/redact.js';
import { executeTraffic } from './execute-window.js';
import type { ChangeTarget } from '../changes/change-target.js';
import { unsupportedChanges } from './change-schedule.js';
import { changeWindow } from './change-window.js';
import { PluginDriver } from './plugin-driver.js';
import { runSuiteBench } from './suite-bench.js';
import { TrafficMetricsTally } from '../metrics/traffic-metrics.js';
import { SeqOrder } from './seq-order.js';
import { waitUntil } from '../shard/start-at.js';
import { judgeSuite, SuiteFeed, suiteOutcome } from './judge-suite.js';
import type { Threshold } from '../thresholds/parse.js';


export interface SuiteRunOptions {
  startLab: LabFactory;
  labName: string;
  /** The director behind the VIP when no lab is started (`--director CMD`). */
  director?: Director;
  emit(e: RunEvent): void;
  signal: AbortSignal;
  /** Who makes the suite's changes instead of the lab (`--manual`: the operator). */
  changeTarget?: (suite: LoadedSuite) => ChangeTarget;
  /** Thresholds from the command line, judged beside the suite's own. */
  thresholds?: readonly Threshold[];
  /** `--start-at`: epoch ms at which the traffic begins (shards on several hosts start together). */
  startAtMs?: number;
  /** A shard: the bench step's result keeps every request's record for `merge`. */
  keepBenchRecords?: boolean;
  /** Why the lab's director is not this run's alone (a shard beside others in one kernel lab). */
  sharedDirector?: string;
}

export interface SuiteRunResult {
  outcome: RunOutcome;
  verdicts: Verdict[];
  summary: SuiteSummary;
  lab: LabSnapshot | null;
  director: DirectorReadings;
  pluginFailures: HarnessError[];
}

/** `liveDirector`: a director given by `--director`, read before and after the traffic where no lab is. */
export function suiteView(suite: LoadedSuite, lab: string, liveDirector = false, sharedDirector?: string): SuiteView {
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
    directorRead: lab !== 'none' || liveDirector,
    ...(sharedDirector === undefined ? {} : { sharedDirector }),
  };
}

function assertMakeable(suite: LoadedSuite, target: ChangeTarget | undefined, labName: string): void {
  const unsupported = unsupportedChanges(suite.spec.changes, target, suite.changeLocations ?? [], labName);
  if (unsupported.length > 0) throw createInvalidSuiteError(unsupported);
}

export async function runSuite(suite: LoadedSuite, opts: SuiteRunOptions): Promise<SuiteRunResult> {
  const started = performance.now();
  const { emit, signal } = opts;
  emit({ type: EVENT_SUITE_BEGIN, suite: suite.name, file: suite.file, lab: opts.labName });
  for (const message of suite.warnings ?? []) emit({ type: EVENT_WARNING, suite: suite.name, message });
  // A change that cannot be made is the suite's fault: found before the target is reached or read
  // (a lab's own target once the lab is up).
  const given = opts.changeTarget?.(suite);
  if (given) assertMakeable(suite, given, opts.labName);
  const lab = await opts.startLab(suite);
  try {
    if (lab) emit({ type: EVENT_LAB_READY, suite: suite.name, description: lab.describe() });
    const target = given ?? lab?.changes;
    if (!given) assertMakeable(suite, target, opts.labName);
    // Shards on other hosts begin together: the wait comes after the lab is up, and before the
    // director's reading, so that the reading is of the moment the traffic starts.
    if (opts.startAtMs !== undefined) await waitUntil(opts.startAtMs, signal);
    const director = lab ?? opts.director ?? null;
    const before = director ? await director.read('before-traffic') : null;
    const view = suiteView(suite, opts.labName, opts.director !== undefined, opts.sharedDirector);
    const driver = new PluginDriver(suite.checks, view);
    // What the checks, the summary, the histograms and the timeline keep of the connections, fed in the order they started.
    const feed = new SuiteFeed(driver);
    const metrics = new TrafficMetricsTally();
    const inOrder = new SeqOrder((o) => {
      feed.add(o);
      metrics.add(o);
    });
    const trafficStartedAt = performance.timeOrigin + performance.now();
    const traffic = await executeTraffic(suite, {
      signal,
      target,
      onChange: (change) => emit({ type: EVENT_CHANGE, suite: suite.name, change }),
      onObservation: (o: Observation) => {
        inOrder.push(o);
        emit({ type: EVENT_OBSERVATION, suite: suite.name, observation: o });
      },
      onWarning: (message: string) => emit({ type: EVENT_WARNING, suite: suite.name, message }),
    });
    inOrder.flush();
    const readings: DirectorReadings = { before, after: director ? await director.read('after-traffic') : null };
    const snapshot = lab ? await lab.snapshot(readings.after ?? undefined) : null;
    const window = changeWindow(suite, traffic, feed.timeline, snapshot);
    const { verdicts, failures, summary } = await judgeSuite(
      suite,
      feed,
      { suite: view, lab: snapshot, director: readings, ...(window ? { window } : {}) },
      metrics.metrics(),
      opts.thresholds,
    );
    for (const verdict of verdicts) emit({ type: EVENT_CHECK, suite: suite.name, verdict });

    let outcome = suiteOutcome({ aborted: signal.aborted, unreachable: traffic.unreachable }, { verdicts, failures });
    const bench = suite.spec.bench !== undefined && !signal.aborted && !traffic.unreachable;
    if (bench) {
      try {
        await runSuiteBench(suite, signal, emit, opts.keepBenchRecords);
      } catch (e) {
        // The verdicts stand and must still reach the results; a bench that got no answer at all
        // means the target went away after the checks.
        if (!isHarnessError(e) || e.exitCode !== ExitCode.TargetUnreachable) throw e;
        emit({ type: EVENT_WARNING, suite: suite.name, message: `bench step: ${e.message}` });
        if (outcome === 'passed' || outcome === 'failed') outcome = 'unreachable';
      }
    }
    // The bench step's connections change the director's tables; without one the snapshot stands.
    const finalLab = lab && bench ? await lab.snapshot() : snapshot;
    emit({
      type: EVENT_SUITE_END,
      suite: suite.name,
      outcome,
      summary,
      verdicts,
      lab: finalLab,
      director: readings,
      durationMs: performance.now() - started,
      trafficStartedAt,
      ...(window ? { window } : {}),
    });
    return { outcome, verdicts, summary, lab: finalLab, director: readings, pluginFailures: failures };
  } finally {
    await lab?.close();
  }
}
