/**
 * What is kept of a suite's connections and what follows its traffic. The runner feeds each finished
 * connection, in start order, to a SuiteFeed (the checks' hooks and the tallies); after the traffic,
 * judgeSuite asks the checks for their verdicts, builds the summary and judges the thresholds over
 * it. `merge` feeds the shards' observations through the same two, so a merged run is judged exactly
 * as a single run would be.
 */
import type { HarnessError } from '../core/errors.js';
import { LegLog } from '../director/leg-log.js';
import { TimelineTally } from '../analysis/timeline.js';
import type { MetricSet } from '../metrics/metric-set.js';
import type { RunOutcome } from '../model/events.js';
import type { Observation } from '../model/observation.js';
import type { VerdictInput } from '../model/plugin.js';
import type { SuiteSummary } from '../model/summary.js';
import type { Verdict } from '../model/verdict.js';
import { expectedShares } from '../stats/expected-shares.js';
import type { LoadedSuite } from '../suite/load-suite.js';
import type { Threshold } from '../thresholds/parse.js';
import { thresholdVerdicts } from '../thresholds/suite-verdicts.js';
import type { PluginDriver } from './plugin-driver.js';
import { SummaryTally } from './summarise.js';

export interface Judgement {
  verdicts: Verdict[];
  failures: HarnessError[];
  summary: SuiteSummary;
}

/** Everything kept of a suite's connections: per client, per server, per second; never the list. */
export class SuiteFeed {
  readonly tally = new SummaryTally();
  readonly legs = new LegLog();
  readonly timeline = new TimelineTally();

  constructor(readonly driver: PluginDriver) {}

  add(o: Observation): void {
    this.driver.observation(o);
    this.tally.add(o);
    this.legs.add(o);
    this.timeline.add(o);
  }
}

/** `metrics`: the traffic's histograms, as recorded live or merged from shards. */
export async function judgeSuite(
  suite: LoadedSuite,
  feed: SuiteFeed,
  input: Omit<VerdictInput, 'legs'>,
  metrics: MetricSet,
  thresholds: readonly Threshold[] = [],
): Promise<Judgement> {
  const { verdicts, failures } = await feed.driver.verdicts({ ...input, legs: feed.legs });
  const summary: SuiteSummary = {
    ...feed.tally.summary(),
    metrics,
    expectedShares: expectedShares(suite.spec.service.realServers, suite.spec.service.scheduler),
  };
  verdicts.push(...thresholdVerdicts([...suite.thresholds, ...thresholds], summary, verdicts));
  return { verdicts, failures, summary };
}

/** A suite's outcome from how its traffic went and what the checks said, worst first. */
export function suiteOutcome(traffic: { aborted: boolean; unreachable: boolean }, { verdicts, failures }: Pick<Judgement, 'verdicts' | 'failures'>): RunOutcome {
  if (traffic.aborted) return 'aborted';
  if (traffic.unreachable) return 'unreachable';
  if (failures.length > 0) return 'plugin-error';
  return verdicts.some((v) => v.status !== 'pass') ? 'failed' : 'passed';
}
